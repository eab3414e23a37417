"""scikit-learn's TF-IDF weights for rows counted a chunk at a time.

``TfidfVectorizer`` has to see every document at once to fit. Large corpora are counted a
chunk at a time instead and their rows weighed afterwards with the same arithmetic in the
same order of operations, so the weights, and the cosines made from them, are
scikit-learn's to the last bit (tested in ``tests/test_scale.py`` and
``tests/test_framing.py``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy import sparse
from sklearn.preprocessing import normalize


def smooth_idf(frequency: ArrayLike, n_docs: int) -> np.ndarray:
    """The smoothed inverse document frequency of each term, from how many of ``n_docs``
    documents use it."""
    df = np.asarray(frequency, dtype=np.float64) + 1.0
    idf = np.full_like(df, fill_value=n_docs + 1, dtype=np.float64)
    idf /= df
    np.log(idf, out=idf)
    return idf + 1.0


def weigh(counts: sparse.csr_matrix, idf: np.ndarray, sublinear: bool = False) -> sparse.csr_matrix:
    """Rows of term counts (float64, weighed in place) as unit-length TF-IDF rows;
    ``sublinear`` takes 1 + log of each count, as ``sublinear_tf=True`` does."""
    if sublinear:
        np.log(counts.data, out=counts.data)
        counts.data += 1.0
    counts.data *= idf[counts.indices]
    return normalize(counts, norm="l2", copy=False)
