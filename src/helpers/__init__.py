"""Notebook kit for comparing how news outlets cover one story."""

__version__ = "0.1.0"
