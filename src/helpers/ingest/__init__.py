"""Ingest: a raw folder -> articles (decoded, with metadata) and their classified blocks."""
