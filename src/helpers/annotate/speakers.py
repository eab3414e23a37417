"""Who speaks, read from the dependency parse: attribution verbs, their subjects, and the
speaker phrase a subject heads.

A speaker is the subject of the nearest attribution verb outside the quote, the object of
"according to", or an inverted subject ("…,” reported Newsweek"). Resolving what the
phrase refers to is ``helpers.annotate.context``'s job.
"""

from __future__ import annotations

import calendar
import re
from functools import cache

from spacy.tokens import Span, Token

from helpers.annotate.entities import describe
from helpers.lexicons import read_toml
from helpers.study import with_study_sources

_DASHES = {"-", "--", "–", "—"}


DEFINITE = {"the", "this", "that", "his", "her", "their", "its"}


DETERMINERS = DEFINITE | {"a", "an"}


PERSON_PRONOUNS = {"he", "she", "him", "her"}


# A passive subject is the addressee ("Austin was asked"); a passive speaker is its agent.
_SUBJECT_DEPS = {"nsubj"}


_CUT_DEPS = {"relcl", "acl", "appos", "punct", "cc", "conj", "advcl", "prep"}


_POST_MODIFIERS = {"relcl", "acl", "advcl", "prep"}


_CALENDAR = {
    name.lower()
    for name in (
        *calendar.month_name[1:],
        *calendar.month_abbr[1:],
        *calendar.day_name,
        *calendar.day_abbr,
    )
}


@cache
def lexicon() -> dict:
    return with_study_sources(read_toml("attribution.toml"))


def is_cue(token: Token) -> bool:
    lex = lexicon()
    lemma = token.lemma_.lower()
    if token.pos_ not in {"VERB", "AUX"} and not _verb_taken_for_a_noun(token):
        return False
    if lemma in lex["document_cues"]:  # "the post read in part:", not "she read the post"
        return _document_speaks(token)
    if lemma in lex["quote_verbs"] and _governs_a_quotation(token):
        return True
    if lemma not in lex["speech_verbs"]:
        return False
    particle = lex["particle_verbs"].get(lemma)
    if particle and not any(c.dep_ == "prt" and c.lower_ == particle for c in token.children):
        return False
    if lemma in lex["colon_verbs"]:  # "She went on: ‘…", not "would go on “until …”"
        last = max([token.i, *(c.i for c in token.children if c.dep_ == "prt")])
        follows = token.doc[last + 1].text if last + 1 < len(token.doc) else ""
        return follows == ":"
    if lemma in lex["silent_cues"] and (
        any(c.dep_ == "neg" for c in token.children)
        or (token.dep_ == "xcomp" and token.head.lemma_.lower() in lex["refusal_verbs"])
    ):
        return False
    if lemma in lex["that_verbs"]:  # "the court found that …", not "anyone found to have"
        deps = {c.dep_ for c in token.children}
        return "ccomp" in deps and "nsubj" in deps
    if lemma in lex["clause_verbs"]:  # "maintained that …", not "maintain zones"
        return any(c.dep_ in {"ccomp", "xcomp"} for c in token.children)
    return True


_OPENING = {"“", "‘", '"', "'", "«"}


def _governs_a_quotation(verb: Token) -> bool:
    """An active verb with a subject and an object whose clause holds a quotation mark:
    "called the election “rigged”", "described the reforms as “a licence …”"."""
    deps = {c.dep_ for c in verb.children}
    if "nsubj" not in deps or "auxpass" in deps or (verb.tag_ == "VBN" and "aux" not in deps):
        return False
    return any(t.text in _OPENING for t in verb.subtree if t.i > verb.i)


def _document_speaks(verb: Token) -> bool:
    """A document cue with a document (or "it") for its subject; a fragment's verb hangs
    from its document ("The order, issued by X, read in full:")."""
    if verb.dep_ == "acl":
        return verb.head.lemma_.lower() in _document_words()
    return any(
        c.dep_ == "nsubj" and (c.lower_ in {"it", "this"} or c.lemma_.lower() in _document_words())
        for c in verb.children
    )


def _verb_taken_for_a_noun(token: Token) -> bool:
    """"A copy of the order … states:": a sentence's root the tagger read as a plural noun
    but that has a subject is its verb."""
    return (
        token.dep_ == "ROOT"
        and token.tag_ == "NNS"
        and token.lower_.endswith("s")
        and any(c.dep_ == "nsubj" for c in token.children)
    )


@cache
def _document_words() -> frozenset[str]:
    lex = lexicon()
    return frozenset({*lex["document_nouns"], *lex["document_parts"]})


def speaks(verb: Token, subject: Token, quoted: list[Token]) -> bool:
    """Whether a cue's subject is a speaker. Impersonal subjects are not ("it was believed
    that", "there is"), except an active "it" that governs a quote or a that-clause ("…,”
    it added", "it said that …"): an institution or a document speaking."""
    if subject.lower_ not in lexicon()["impersonal_subjects"]:
        return True
    if subject.lower_ != "it" or subject.dep_ != "nsubj":
        return False
    if any(c.dep_ == "auxpass" for c in verb.children):
        return False
    nxt = verb.doc[verb.right_edge.i + 1] if verb.right_edge.i + 1 < len(verb.doc) else None
    return (
        any(c.dep_ == "ccomp" for c in verb.children)
        or any(verb in t.ancestors for t in quoted)
        or (nxt is not None and nxt.text == ":")  # "It reads, in part:"
        or verb.doc[verb.right_edge.i].text == ":"
    )


@cache
def naming_pattern() -> re.Pattern:
    cues = "|".join(re.escape(c) for c in lexicon()["naming_cues"])
    name = r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3}"
    return re.compile(rf"\b(?P<cue>(?i:{cues}))\s+[“\"‘']?(?P<name>{name})")


@cache
def naming_ahead_pattern() -> re.Pattern:
    cues = "|".join(re.escape(c) for c in lexicon()["naming_ahead"])
    return re.compile(rf"\b(?i:{cues})\b")


def is_definite(noun: Token) -> bool:
    """A description that points back: "the official", "their spokesman"."""
    return any(c.dep_ in {"det", "poss"} and c.lower_ in DEFINITE for c in noun.children)


def is_named(noun: Token) -> bool:
    """A name, not a description, despite its article: "The Foreign Ministry"."""
    return any(c.dep_ in {"compound", "nmod"} and c.pos_ == "PROPN" for c in noun.children)


def cue_words(verb: Token) -> str:
    """The cue as written, with its particle ("pointed out")."""
    return " ".join([verb.text, *(c.text for c in verb.children if c.dep_ == "prt")])


def subject_of(verb: Token) -> Token | None:
    """The subject of a cue verb, climbing from "saying …" and "went on to say …"."""
    inverted = _inverted_name(verb)
    if inverted is not None:
        return inverted
    node = verb
    for _ in range(3):
        surname = _surname_taken_for_a_verb(node)
        if surname is not None:
            return surname
        # the subject nearest the verb: "Damascus, SANA – The Ministry affirmed" has two
        subjects = [c for c in node.children if c.dep_ in _SUBJECT_DEPS]
        if subjects:
            child = max(subjects, key=lambda c: (c.i < node.i, c.i if c.i < node.i else -c.i))
            # "a technician who said": the person the relative clause describes
            return (
                node.head
                if child.tag_ in {"WP", "WDT"} and node.dep_ == "relcl"
                else _past_dateline(child)
            )
        for child in node.children:
            if child.dep_ == "agent":
                objs = [g for g in child.children if g.dep_ == "pobj"]
                if objs:
                    return objs[0]
        if not (node.tag_ == "VBG" or node.dep_ in {"xcomp", "conj"}) or node.head is node:
            break
        node = node.head
    if verb.dep_ == "acl" and verb.lemma_.lower() in lexicon()["document_cues"]:
        return verb.head  # "The order, issued by X, read in full:"
    opening = _misparsed_subject(verb)
    if opening is not None:
        return opening
    # "…,” reported Newsweek: an inverted subject the parser took for an object.
    after = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    if (
        after is not None
        and after.head == verb
        and after.dep_ in {"dobj", "attr", "npadvmod"}
        and (after.pos_ == "PROPN" or after.lower_ in PERSON_PRONOUNS)
    ):
        return after
    return None


_CLOSING = {"”", '"', "’", "'", "»"}


def _inverted_name(verb: Token) -> Token | None:
    """“…,” said Rami Abdulrahman of …: right after a closing quotation mark, the name
    after the verb is its subject, whatever the parser attached it to; not "said Hulusi
    Akar's critics"."""
    doc = verb.doc
    if verb.i == 0 or doc[verb.i - 1].text not in _CLOSING or verb.i + 1 >= len(doc):
        return None
    end = verb.i + 1
    while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper():
        end += 1
    if end == verb.i + 1 or (end < len(doc) and doc[end].lower_ in {"'s", "’s", "'", "’"}):
        return None
    return doc[end - 1]


def _misparsed_subject(verb: Token) -> Token | None:
    """"The Kurdish Democratic Forces (KDF), the coalition led by … that has pushed IS out
    of …, said": a long subject the parser took for a clause before the verb; its subject
    opens the sentence (not a quotation before the verb: "“We won,” said …")."""
    sent = verb.sent
    if doc_text(sent.doc, sent.start) in _OPENING:
        return None
    for child in verb.children:
        if child.dep_ in {"ccomp", "advcl"} and child.i < verb.i:
            subjects = [c for c in child.children if c.dep_ == "nsubj"]
            if subjects and subjects[0].left_edge.i == sent.start:
                return subjects[0]
    return None


def doc_text(doc, i: int) -> str:
    return doc[i].text if 0 <= i < len(doc) else ""


def _surname_taken_for_a_verb(verb: Token) -> Token | None:
    """"Can said", "May said": a capitalised modal before a finite verb is a surname, the
    verb's subject ("Polat Can said" too)."""
    if verb.tag_ not in {"VBD", "VBZ"}:
        return None
    doc = verb.doc
    for child in verb.children:
        if (
            child.dep_ in {"aux", "dep"}
            and child.tag_ == "MD"
            and child.text[:1].isupper()
            and child.i < verb.i
            and all(t.pos_ == "ADV" for t in doc[child.i + 1 : verb.i])
        ):
            before = doc[child.i - 1] if child.i > 0 else None
            if before is not None and before.pos_ == "PROPN" and before.head == verb:
                return before  # "Polat Can said": the name's first word is the subject
            return child
    return None


def _past_dateline(subject: Token) -> Token:
    """The subject past a wire dateline: in "ISTANBUL (Reuters) - Turkey rejected …" the
    parser takes the dateline's place for the subject and the real one for its apposition."""
    if subject.i != subject.sent.start:
        return subject
    dash = next((t for t in subject.subtree if t.i > subject.i and t.text in _DASHES), None)
    after = [c for c in subject.children if dash is not None and c.dep_ == "appos" and c.i > dash.i]
    return after[0] if after else subject


def speaker_phrase(token: Token) -> tuple[str, Token, str]:
    """(name, head, phrase): a person's name inside the subject phrase, a named
    organisation by its canonical name, else the noun phrase itself ("Kurds in Kobani")."""
    doc = token.doc
    end = token.right_edge.i + 1
    for child in token.children:  # "the administration, which said …": not what it said
        if (
            child.dep_ == "relcl"
            and child.i > token.i
            and is_cue(child)
            and any(c.dep_ == "ccomp" for c in child.children)
        ):
            end = min(end, child.left_edge.i)
            while end > token.i + 1 and doc[end - 1].is_punct:
                end -= 1
    whole = doc[token.left_edge.i : end]
    phrase = _trim(whole)
    # "Akar's critics": a possessor is not the speaker; nor a name in a post-modifier
    # ("Gareth Pembry, who ran Harwick Rovers", "the lawyer for Ali Aksoy")
    modifiers = {
        t.i
        for m in phrase
        if m.dep_ in _POST_MODIFIERS and m.i > token.i
        for t in m.subtree
    }
    people = [
        e
        for e in phrase.ents
        if e.label_ == "PERSON" and e.root.dep_ != "poss" and e.root.i not in modifiers
    ]
    # "Zinar Can, a spokesman for the Eastern Shield, said": the parser took the apposition
    # for the subject and left the name opening the sentence aside
    start = whole.start
    if not people and start >= 2 and doc[start - 1].text == ",":
        named = next((e for e in doc.ents if e.label_ == "PERSON" and e.end == start - 1), None)
        if named is not None and (named.start == named.sent.start or doc[named.start - 1].is_punct):
            return named.text, named.root, doc[named.start : whole.end].text
    if not people and token.pos_ == "PROPN" and token.i + 1 < len(doc):
        surname = doc[token.i + 1]  # "Polat Can said", "Can" tagged a modal verb
        if surname.tag_ == "MD" and surname.text[:1].isupper() and surname.head == token.head:
            first = token.i  # the capitalised run up to the surname, not "Group spokesman"
            while first > token.left_edge.i and doc[first - 1].pos_ == "PROPN":
                if doc[first - 1].ent_type_ not in {"", "PERSON"}:
                    break
                first -= 1
            run = doc[token.left_edge.i : surname.i + 1]
            return doc[first : surname.i + 1].text, token, run.text
    if people:
        end = people[-1].end  # NER may stop short: "Polat" of "Polat Can"
        while (
            end < len(doc)
            and doc[end].is_title
            and doc[end].is_alpha
            and not doc[end].is_sent_start
            and doc[end].ent_type_ in {"", "PERSON"}
        ):
            end += 1
        return doc[people[-1].start : end].text, people[-1].root, whole.text
    ent = next((e for e in doc.ents if e.start <= token.i < e.end), None)
    if ent is not None and ent.label_ in {"ORG", "GPE"}:
        return describe(ent)["entity"], token, whole.text
    keep = [token]
    stack = [
        c
        for c in token.children
        if c.dep_ not in _CUT_DEPS or (c.dep_ == "prep" and c.lower_ in {"in", "of", "from"})
    ]
    while stack:
        node = stack.pop()
        keep.append(node)
        stack.extend(node.children)
    words = sorted(keep, key=lambda t: t.i)
    core = _trim(doc[words[0].i : words[-1].i + 1])
    return canonical_phrase(core), token, whole.text


def _trim(span: Span) -> Span:
    """Drop leading dates and punctuation ("August - US officials") and brackets."""
    start, end = span.start, span.end
    doc = span.doc
    root = span.root
    while start < end and (
        doc[start].ent_type_ in {"DATE", "TIME"}
        or doc[start].is_punct
        or (doc[start].like_num and doc[start] != root)  # "One of the guards" keeps "One"
        or doc[start].lower_ in _CALENDAR
    ):
        start += 1
    for token in doc[start:end]:
        if token.text == "(":
            end = token.i
            break
    while end > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in {"'s", "’s"}):
        end -= 1  # "the council’s claim": the council
    return doc[start:end] if end > start else span


def canonical_phrase(span: Span) -> str:
    """A phrase with each place name in its canonical spelling."""
    text, base = span.text, span.start_char
    out, last = [], 0
    for ent in span.ents:
        info = describe(ent)
        # place spellings only: "Kurds in Kobane" -> "Kurds in Kobani"
        if info["source"] == "alias" and info["form"] == "name" and info["label"] == "GPE":
            out += [text[last : ent.start_char - base], info["entity"]]
            last = ent.end_char - base
    out.append(text[last:])
    return "".join(out).strip(" ,–—-")


def phrase_source(span: Span) -> tuple[str, Token] | None:
    """("according to", X) for "according to X", "a report by X" and the like."""
    lowered = span.text.lower()
    for phrase in lexicon()["phrases"]:
        if phrase not in lowered:  # cheap test first: most sentences have none
            continue
        words = phrase.split()
        for token in span:
            if token.lower_ != words[-1] or token.i < len(words) - 1:
                continue
            before = [token.doc[token.i - k].lower_ for k in range(len(words) - 1, 0, -1)]
            objs = [c for c in token.children if c.dep_ == "pobj"]
            if before == words[:-1] and objs:
                return phrase, objs[0]
    return None


def cue_in(
    span: Span,
    skip: list[tuple[int, int]],
    near: int,
    candidates: list[Token],
    quote: tuple[int, int] | None = None,
    phrases: bool = True,
) -> tuple[str, Token, int] | None:
    """(cue, subject, cue offset) closest to character ``near`` in ``span``, outside
    quoted text; ``candidates`` are the block's cue verbs (``BlockDoc.cues``). With the
    ``quote``'s character span, a cue whose clause holds the quoted words wins over a
    nearer one ("Ankara says it targets “terrorists”, while Washington warns …").
    Without ``phrases``, only the verbs count, not "according to X"."""
    quoted = [t for t in span if quote[0] <= t.idx < quote[1]] if quote else []
    cues = []
    for token in candidates:
        if not span.start <= token.i < span.end or any(a <= token.idx < b for a, b in skip):
            continue
        subject = subject_of(token)
        if subject is not None and speaks(token, subject, quoted):
            governs = any(token in t.ancestors for t in quoted)
            cues.append((not governs, abs(token.idx - near), cue_words(token), subject, token.idx))
    if cues:
        *_, cue, subject, at = min(cues, key=lambda c: c[:2])
        return cue, subject, at
    found = phrase_source(span) if phrases else None
    if found and not any(a <= found[1].idx < b for a, b in skip):
        return found[0], found[1], found[1].idx
    return None


def looks_like_name(text: str) -> bool:
    words = text.strip(" ,.;:").split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words)
