"""Figures: one module per notebook, and the one helper that saves PNG + SVG + CSV."""
