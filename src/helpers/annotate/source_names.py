"""What a source phrase is and which name it stands for: its head word and kind (a name,
a person or body, a document, evidence, a pronoun), the acronyms an article defines, and
the descriptions it gives of the people and bodies it names.
"""

from __future__ import annotations

import re
from functools import cache

from spacy.tokens import Doc, Span

from helpers.annotate.entities import aliases, describe
from helpers.annotate.speakers import lexicon
from helpers.text import fold

# Where the head phrase of a source ends: "a shopkeeper in Birecik, who did not want …".
_CUT = re.compile(r",|\s[–—-]\s|\s\(|\s(?:who|whom|whose|which|that|where|when)\s", re.I)
_PREPOSITIONS = {
    "of", "in", "at", "from", "for", "with", "on", "near", "close", "familiar", "linked", "by",
    "to", "under", "inside", "outside", "across", "along", "around", "based", "among", "over",
    "behind", "within", "who", "aged", "speaking",
}  # fmt: skip
_ARTICLES = {"the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their"}
_SMALL = {"of", "for", "and", "the", "de", "du", "des", "on", "in", "&", "al", "el", "to"}


def norm(text: str) -> str:
    """Folded, with one kind of apostrophe: "People’s" matches "People's"."""
    return fold(text).replace("’", "'").replace("‘", "'")


@cache
def words() -> dict[str, frozenset[str]]:
    """The [sources] word lists of attribution.toml, folded, as sets."""
    lex = lexicon()
    out = {
        name: frozenset(fold(w) for w in values)
        for name, values in lex["sources"].items()
        if isinstance(values, list)
    }
    agents = (
        out["agent_nouns"]
        | {fold(w) for w in lex["person_nouns"]}
        | {fold(w) for w in lex["body_nouns"]}
        | {fold(w) for w in lex["media_nouns"]}
    )
    # both numbers of each noun: "commander" and "commanders", "spokesman" and "spokesmen"
    plurals = {w[:-3] + "men" for w in agents if w.endswith("man")}
    plurals |= {w + ("es" if w.endswith(("s", "sh", "ch")) else "s") for w in agents}
    plurals |= {w[:-1] + "ies" for w in agents if w.endswith("y") and w[-2:-1] not in "aeiou"}
    out["agents"] = frozenset(agents | plurals)
    lex_bodies = {fold(w) for w in (*lex["body_nouns"], *lex["media_nouns"])}
    bodies = out["body_words"] | out["org_nouns"] | lex_bodies
    out["people"] = frozenset(
        w for w in out["agents"] if w not in bodies and w.rstrip("s") not in bodies
    )
    return out


def head_phrase(text: str) -> str:
    """The phrase up to its first relative clause, apposition or bracket: "a shopkeeper in
    Birecik, who asked that his name be left out" -> "a shopkeeper in Birecik"."""
    cut = _CUT.search(text)
    return (text[: cut.start()] if cut else text).strip(" ,.;:–—-")


def head_word(text: str) -> str:
    """The folded head noun of a source phrase: the last word before its first preposition,
    past a count ("hundreds of people" -> "people", "one of the guards" -> "guards")."""
    tokens = [fold(w) for w in re.findall(r"[\w’'.&-]+", head_phrase(text))]
    tokens = [t.strip(".’'") for t in tokens if t.strip(".’'")]
    quantities = words()["quantities"]
    while True:
        cut = next((i for i, t in enumerate(tokens) if i > 0 and t in _PREPOSITIONS), None)
        if cut is None:
            break
        before = [t for t in tokens[:cut] if t not in _ARTICLES]
        if tokens[cut] == "of" and (not before or all(t in quantities for t in before)):
            tokens = tokens[cut + 1 :]  # "two of the guards": the guards
            continue
        tokens = tokens[:cut]
        break
    tokens = [t for t in tokens if t not in _ARTICLES]
    if not tokens:
        return ""
    last = tokens[-1]
    return last[:-2] if last.endswith(("'s", "’s")) else last


def is_proper(text: str, propers: set[str]) -> bool:
    """A name: a word of the head phrase the parse took for a proper noun or an entity
    somewhere in the article, or an acronym."""
    phrase = head_phrase(text)
    tokens = re.findall(r"[\w’'.&-]+", phrase)
    for token in tokens:
        bare = token.strip(".’'")
        if bare.endswith(("'s", "’s")):
            bare = bare[:-2]
        if not bare[:1].isupper() or fold(bare) in words()["pronouns"]:
            continue
        if bare in propers or (bare.isupper() and len(bare) > 1):
            return True
    return False


def is_named(text: str, propers: set[str]) -> bool:
    """A name, not a description with a name in it: the head word is a proper noun ("Nura
    Sheikho", "the Port Authority (PA)"), not "an NHS official"."""
    phrase = head_phrase(text)
    tokens = [t.strip(".’'") for t in re.findall(r"[\w’'.&-]+", phrase)]
    tokens = [t[:-2] if t.endswith(("'s", "’s")) else t for t in tokens if t]
    head = head_word(text)
    last = next((t for t in reversed(tokens) if fold(t) == head), None)
    return last is not None and (last in propers or (last.isupper() and len(last) > 1))


def phrase_kind(text: str, propers: set[str]) -> str:
    """`name`, `agent` (a person or body described), `document`, `evidence`, `pronoun` or
    `none` (a word that names no one: "the strain", "the end of January")."""
    w = words()
    head = head_word(text)
    if not head or (head in w["pronouns"] and not is_proper(text, propers)):
        return "pronoun"
    if is_proper(text, propers):
        return "name"
    if head in w["evidence_nouns"]:
        return "evidence"
    if head in w["document_nouns"]:
        return "document"
    if head in w["agents"] or _person_suffix(head):
        return "agent"
    return "none"


def _person_suffix(word: str) -> bool:
    """Words that name people by their ending: activists, Syrians, volunteers, residents."""
    return len(word) > 4 and bool(re.search(_PERSON_ENDINGS, word))


_PERSON_ENDINGS = (
    r"(?:ists?|ians?|eers?|(?<!m)(?:ants?|ents?)|workers?|keepers?|makers?|sellers?|buyers?"
    r"|owners?|holders?|leaders?|members?|riders?|drivers?|fighters?|traders?|farmers?"
    r"|teachers?|officers?|lawyers?|bankers?|players?|managers?|reporters?|writers?"
    r"|speakers?|users?|clerks?|staffers?|campaigners?|protesters?|dealers?|smugglers?"
    r"|growers?|miners?|builders?|carers?|nurses?|doctors?|medics?|pilots?|sailors?"
    r"|[a-z]{3,}m[ae]n)$"
)


# --- acronyms an article defines --------------------------------------------------------

_WORD = r"[A-Z][\w’'.&-]*"
_LONG = rf"{_WORD}(?:\s+(?:of|for|and|the|de|on|in|&|{_WORD}))*"
_ACR = r"[A-Z][A-Za-z]{0,6}[A-Z]"
_ALIAS_PATTERNS = [
    re.compile(rf"(?P<long>{_LONG})\s+\((?P<acr>{_ACR})\)"),  # Long Name (ACR)
    re.compile(rf"(?P<long>{_LONG}),\s+or\s+(?:the\s+)?(?P<acr>{_ACR})\b"),  # Long Name, or ACR
    re.compile(rf"(?<![\w(])(?P<acr>{_ACR})\s+\((?P<long>{_LONG})\)"),  # ACR (Long Name)
    re.compile(  # Long Name, known as ACR
        rf"(?P<long>{_LONG}),?\s+(?:also |better |commonly |widely )?known as (?:the )?"
        rf"(?P<acr>{_ACR})\b"
    ),
]


@cache
def alias_entities() -> dict[str, str]:
    """The canonical entity of every alias in entities.toml, by folded alias."""
    return {norm(a.alias): a.entity for a in aliases().values()}


@cache
def states() -> frozenset[str]:
    """The states of entities.toml: places with an adjective or a capital standing for them
    (Turkey, Syria), not towns or regions (Kobani, Rojava)."""
    return frozenset(
        a.entity
        for a in aliases().values()
        if a.label == "GPE" and a.form in {"adjective", "metonym"}
    )


def _initials(words_: list[str]) -> str:
    return "".join(w[0].upper() for w in words_ if w.lower() not in _SMALL and w[:1].isalpha())


def _long_form(long: str, acr: str) -> str | None:
    """The words of ``long`` the acronym stands for: the shortest ending whose initials
    spell it ("On Monday the Orontes Observation Network" -> "Euphrates Monitoring
    Network"), or an ending that is a known alias of the acronym's entity ("People's
    Protection Units" for YPG)."""
    parts = long.split()
    while parts and parts[-1].lower() in _SMALL:
        parts.pop()
    letters = "".join(c for c in acr if c.isupper())
    entity = alias_entities().get(norm(acr))
    for start in range(len(parts) - 1, -1, -1):
        tail = parts[start:]
        if tail[0].lower() in _SMALL:
            continue
        if _initials(tail) == letters:
            return " ".join(tail)
        known = entity is not None and alias_entities().get(norm(" ".join(tail))) == entity
        if known and (start == 0 or parts[start - 1].lower() in _SMALL | {"the"}):
            return " ".join(tail)
    return None


def article_aliases(texts: list[str]) -> dict[str, str]:
    """Every short and long form an article defines for one source, folded, mapped to one
    canonical name, the long form with the acronym in brackets: "Euphrates Monitoring
    Network (OON)" for "OON", "Orontes Observation Network" and "the … Network"."""
    out: dict[str, str] = {}
    for text in texts:
        if "(" not in text and " or " not in text and "known as" not in text:
            continue
        for pattern in _ALIAS_PATTERNS:
            for m in pattern.finditer(text):
                acr, long = m.group("acr"), _long_form(m.group("long"), m.group("acr"))
                if long is None or len(long.split()) < 2 or fold(acr) == fold(long):
                    continue
                canonical = f"{long} ({acr})"
                for form in (acr, long, f"the {long}", canonical, f"the {canonical}"):
                    out.setdefault(fold(form), canonical)
    return out


# --- descriptions of the people and bodies an article names -----------------------------

_DESCRIBED = {"PERSON", "ORG", "NORP", "FAC", "LOC"}


def ent_key(ent: Span) -> str:
    """The name a description is filed under: the canonical entity, else the words."""
    info = describe(ent)
    if info["source"] == "alias":
        return info["entity"]
    text = ent.text
    return text[4:] if text.lower().startswith("the ") else text


def descriptions(docs: list[Doc]) -> dict[str, list[str]]:
    """For each name (folded): the words the article describes it with, from the parse.
    Appositions ("Nura Sheikho, a 34-year-old teacher"), the noun a name is in apposition to
    ("The boy's aunt, Dilan Rashid"), titles before it ("Defence Minister Murat Aksel"),
    relative clauses ("who chairs the committee") and copulas ("The Alliance is a coalition
    of charities")."""
    out: dict[str, list[str]] = {}
    for doc in docs:
        for ent in doc.ents:
            if ent.label_ not in _DESCRIBED:
                continue
            found = []
            root = ent.root
            inside = set(range(ent.start, ent.end))
            # a body's relative clauses say what it did, not what it is
            deps = {"appos", "relcl", "acl"} if ent.label_ == "PERSON" else {"appos"}
            for child in root.children:
                if child.dep_ in deps and child.i not in inside:
                    found.append(_subtree_text(child, inside))
            if root.dep_ == "appos" and root.head.i not in inside:
                head = root.head
                keep = [
                    t
                    for t in head.subtree
                    if t.i not in inside and not (root.left_edge.i <= t.i <= root.right_edge.i)
                ]
                found.append(_join(keep))
            title = [t for t in root.subtree if t.i < ent.start and t.dep_ in {"compound", "amod"}]
            if title:
                found.append(_join(title))
            if root.dep_ == "nsubj" and root.head.lemma_ == "be":
                found += [_subtree_text(c, inside) for c in root.head.children if c.dep_ == "attr"]
            for key in {fold(ent_key(ent)), fold(ent.text)}:
                out.setdefault(key, []).extend(f for f in found if f)
    return out


def _subtree_text(token, skip: set[int]) -> str:
    return _join([t for t in token.subtree if t.i not in skip])


def _join(tokens: list) -> str:
    """Tokens as written: "a 34-year-old teacher", not "a 34 - year - old teacher"."""
    return "".join(t.text_with_ws for t in tokens).strip(" ,")
