"""Publish: executing the notebooks and writing the report."""
