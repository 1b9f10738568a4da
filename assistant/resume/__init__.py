"""Résumé parsing, sections, fields, entities and review."""
