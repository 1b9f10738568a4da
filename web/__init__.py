"""The web product: FastAPI routes over the `Assistant`."""
