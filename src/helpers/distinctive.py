"""Distinctive language: Fightin' Words log-odds with an informative Dirichlet prior
(Monroe, Colaresi & Quinn 2008, "Fightin' Words", Political Analysis 16(4)), each article
against the rest of the corpus, and TF-IDF terms beside it."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

_LINK = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S+|@\w+")
TOKEN_PATTERN = r"(?u)\b[^\W\d_][\w'’-]*[^\W_]\b|\b[^\W\d_]\b"


def _normalise(text: str) -> str:
    """Lower case, one apostrophe, links out, possessives off ("Turkey’s" -> "turkey")."""
    text = _LINK.sub(" ", text.lower().replace("’", "'"))
    return re.sub(r"'s\b", "", text)


def _vectorizer(cls, **kwargs):
    return cls(preprocessor=_normalise, token_pattern=TOKEN_PATTERN, stop_words="english", **kwargs)


def fightin_words(texts: pd.Series, prior_scale: float = 0.01, top: int = 15) -> pd.DataFrame:
    """Top terms per document by z-scored log-odds against all other documents.

    The prior is the corpus-wide term distribution scaled so that its pseudo-counts sum
    to ``prior_scale`` times the corpus size (Monroe et al.'s informative prior).
    """
    vec = _vectorizer(CountVectorizer)
    try:
        counts = vec.fit_transform(texts.tolist()).toarray().astype(float)
    except ValueError:  # no documents, or no word outside the stop list
        return pd.DataFrame(columns=["doc_id", "term", "count", "count_rest", "z"])
    terms = vec.get_feature_names_out()
    total = counts.sum(axis=0)
    alpha = prior_scale * total.sum() * total / total.sum()
    alpha0 = alpha.sum()
    rows = []
    for i, doc_id in enumerate(texts.index):
        y_i, y_j = counts[i], total - counts[i]
        n_i, n_j = y_i.sum(), y_j.sum()
        delta = np.log((y_i + alpha) / (n_i + alpha0 - y_i - alpha)) - np.log(
            (y_j + alpha) / (n_j + alpha0 - y_j - alpha)
        )
        z = delta / np.sqrt(1 / (y_i + alpha) + 1 / (y_j + alpha))
        for k in np.lexsort((terms, -z))[:top]:
            rows.append(
                {
                    "doc_id": doc_id,
                    "term": terms[k],
                    "count": int(y_i[k]),
                    "count_rest": int(y_j[k]),
                    "z": round(float(z[k]), 3),
                }
            )
    return pd.DataFrame(rows, columns=["doc_id", "term", "count", "count_rest", "z"])


def tfidf_terms(texts: pd.Series, top: int = 15) -> pd.DataFrame:
    """Top TF-IDF terms (unigrams and bigrams) per document."""
    vec = _vectorizer(TfidfVectorizer, ngram_range=(1, 2), sublinear_tf=True)
    try:
        matrix = vec.fit_transform(texts.tolist())
    except ValueError:  # no documents, or no word outside the stop list
        return pd.DataFrame(columns=["doc_id", "term", "tfidf"])
    terms = vec.get_feature_names_out()
    rows = []
    for i, doc_id in enumerate(texts.index):
        row = matrix.getrow(i).toarray().ravel()
        for k in np.lexsort((terms, -row))[:top]:
            if row[k] > 0:
                rows.append({"doc_id": doc_id, "term": terms[k], "tfidf": round(float(row[k]), 4)})
    return pd.DataFrame(rows, columns=["doc_id", "term", "tfidf"])
