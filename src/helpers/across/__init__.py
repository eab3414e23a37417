"""Across articles: tables that compare many articles (reuse, quote versions, distinctive
words, claims, the attribution chain, caveat survival)."""
