"""Helpers shared by the built-in checks (no check imports another check's module)."""
