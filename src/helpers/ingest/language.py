"""The language of an article, by py3langid (its model ships in its wheel: nothing is
downloaded). The English rules and the English spaCy pipeline are only for English
articles; an article the identifier is not sure of is treated as English, the kit's
language, and marked undetermined."""

from __future__ import annotations

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

ENGLISH = "en"
UNDETERMINED = "und"  # ISO 639-2's code for a language not identified
# Probability below which an identification is not trusted: page chrome alone ("Home Login
# Share") scores far below it, a paragraph of any language far above.
CONFIDENT = 0.9
SAMPLE_CHARS = 5_000  # enough words to be sure, few enough to stay fast


@cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify(text: str) -> str:
    """The ISO 639-1 code of ``text``'s language, ``und`` when the identifier is not sure."""
    if not text.strip():
        return UNDETERMINED
    code, probability = _identifier().classify(text[:SAMPLE_CHARS])
    return code if probability >= CONFIDENT else UNDETERMINED


def english_rules_apply(language: str) -> bool:
    """Whether the kit's English rules and pipeline read an article in ``language``."""
    return language in {ENGLISH, UNDETERMINED}
