"""Shared vocabularies, data in YAML beside the code: the education scale, the job catalogue (districts, industries,
chains, roles), place and role aliases, document-kind labels and the lookups over them.

Nothing here imports a domain package; every other package may import vocab.
"""
