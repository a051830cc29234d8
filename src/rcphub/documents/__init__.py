"""Outcome documents: reading, parsing, storing."""
