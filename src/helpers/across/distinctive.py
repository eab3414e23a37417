"""Distinctive language per outlet: Fightin' Words log-odds with an informative Dirichlet
prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words", Political Analysis 16(4)), each
outlet against all the others, and TF-IDF terms beside it.

Articles are counted a chunk at a time and the counts summed per outlet, so memory
follows the number of outlets and the vocabulary, not the number of articles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import islice

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

_LINK = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S+|@\w+")
TOKEN_PATTERN = r"(?u)\b[^\W\d_][\w'’-]*[^\W_]\b|\b[^\W\d_]\b"
FW_COLUMNS = ["outlet", "term", "count", "count_rest", "z"]
TFIDF_COLUMNS = ["outlet", "term", "tfidf"]


def _normalise(text: str) -> str:
    """Lower case, one apostrophe, links out, possessives off ("Turkey’s" -> "turkey")."""
    text = _LINK.sub(" ", text.lower().replace("’", "'"))
    return re.sub(r"'s\b", "", text)


CHUNK = 500  # articles counted at a time


def outlet_counts(
    docs: Iterable[tuple[str, str]], ngram_range: tuple[int, int] = (1, 1)
) -> tuple[list[str], np.ndarray, sparse.csr_matrix]:
    """(outlets, terms, outlet × term counts) of (outlet, text) pairs, terms sorted.
    ValueError when no text has a word outside the stop list, as scikit-learn's."""
    vocabulary: dict[str, int] = {}
    outlets: dict[str, int] = {}
    total = sparse.csr_matrix((0, 0))
    docs = iter(docs)
    while chunk := list(islice(docs, CHUNK)):
        vec = CountVectorizer(
            preprocessor=_normalise,
            token_pattern=TOKEN_PATTERN,
            stop_words="english",
            ngram_range=ngram_range,
        )
        owner = np.array([outlets.setdefault(outlet, len(outlets)) for outlet, _ in chunk])
        try:
            counts = sparse.coo_matrix(vec.fit_transform([text for _, text in chunk]))
        except ValueError:  # no word in this chunk; its outlets still count
            continue
        rows = owner[counts.row]
        to_global = np.empty(len(vec.vocabulary_), dtype=np.int64)
        for term, col in vec.vocabulary_.items():
            to_global[col] = vocabulary.setdefault(term, len(vocabulary))
        cols = to_global[counts.col]
        shape = (len(outlets), len(vocabulary))
        total.resize(shape)
        total = total + sparse.csr_matrix((counts.data, (rows, cols)), shape=shape)
    if not vocabulary:
        raise ValueError("empty vocabulary: no text has a word outside the stop list")
    total.resize((len(outlets), len(vocabulary)))  # outlets of word-less chunks too
    names, terms = sorted(outlets), sorted(vocabulary)
    by_name = [outlets[name] for name in names]
    by_term = [vocabulary[term] for term in terms]
    counts = total.astype(np.float64)[by_name][:, by_term].tocsr()
    counts.sort_indices()
    return names, np.array(terms, dtype=object), counts


def fightin_words(
    docs: Iterable[tuple[str, str]], prior_scale: float = 0.01, top: int = 15
) -> pd.DataFrame:
    """Top terms per outlet by z-scored log-odds against all other outlets, from
    (outlet, text) pairs.

    The prior is the corpus-wide term distribution scaled so that its pseudo-counts sum
    to ``prior_scale`` times the corpus size (Monroe et al.'s informative prior).
    """
    try:
        names, terms, counts = outlet_counts(docs)
    except ValueError:  # no documents, or no word outside the stop list
        return pd.DataFrame(columns=FW_COLUMNS)
    total = np.asarray(counts.sum(axis=0)).ravel()
    alpha = prior_scale * total
    alpha0 = alpha.sum()
    rows = []
    for i, outlet in enumerate(names):
        y_i = counts.getrow(i).toarray().ravel()
        y_j = total - y_i
        n_i, n_j = y_i.sum(), y_j.sum()
        delta = np.log((y_i + alpha) / (n_i + alpha0 - y_i - alpha)) - np.log(
            (y_j + alpha) / (n_j + alpha0 - y_j - alpha)
        )
        z = delta / np.sqrt(1 / (y_i + alpha) + 1 / (y_j + alpha))
        for k in np.lexsort((terms, -z))[:top]:
            rows.append(
                {
                    "outlet": outlet,
                    "term": terms[k],
                    "count": int(y_i[k]),
                    "count_rest": int(y_j[k]),
                    "z": round(float(z[k]), 3),
                }
            )
    return pd.DataFrame(rows, columns=FW_COLUMNS)


def tfidf_terms(docs: Iterable[tuple[str, str]], top: int = 15) -> pd.DataFrame:
    """Top TF-IDF terms (unigrams and bigrams) per outlet, outlets as documents, from
    (outlet, text) pairs."""
    try:
        names, terms, counts = outlet_counts(docs, ngram_range=(1, 2))
    except ValueError:
        return pd.DataFrame(columns=TFIDF_COLUMNS)
    matrix = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    rows = []
    for i, outlet in enumerate(names):
        row = matrix.getrow(i).toarray().ravel()
        for k in np.lexsort((terms, -row))[:top]:
            if row[k] > 0:
                rows.append({"outlet": outlet, "term": terms[k], "tfidf": round(float(row[k]), 4)})
    return pd.DataFrame(rows, columns=TFIDF_COLUMNS)
