"""The web product: FastAPI routes over the `PolicyService`."""
