"""Annotate: one article's body blocks -> its per-article rows (sentences, mentions, quotes,
sources, labels, stance)."""
