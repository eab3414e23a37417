"""Every source an article attributes information to, one row per (source, cue), with its
type and the evidence for the type.

Sources are found in the parse: quote speakers; subjects of speech verbs and of the
verbs that attribute information ("voiced concern", "found that"), also when the cue is an
infinitive or an adverbial clause of the main verb ("agreed to speak"); subjects of
disclosure verbs with evidence ("released footage showing"); prepositional sources
("according to X", "citing X", "figures from X", "in an interview aired by X", "X's
announcement"); outlets spoken to ("told the Herald"). Then every source phrase is checked
(a pronoun, a word that names no one or a piece of evidence is no source), documents go to
their authors ("the statement said"), descriptions to the names the article gives them,
acronyms to their long forms, and the page's own outlet is left out.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Span, Token

from helpers.annotate.context import UNATTRIBUTED, BlockDoc, Context, resolve_cue
from helpers.annotate.entities import dateline_end, describe
from helpers.annotate.source_names import (
    _PERSON_ENDINGS,
    article_aliases,
    descriptions,
    head_phrase,
    head_word,
    is_named,
    is_proper,
    phrase_kind,
    states,
    words,
)
from helpers.annotate.source_types import Evidence, source_type
from helpers.annotate.speakers import (
    DEFINITE,
    DETERMINERS,
    cue_words,
    is_cue,
    lexicon,
    phrase_source,
    subject_of,
)
from helpers.text import fold, outlet_key

_BODY_HEADS = {
    "office",
    "ministry",
    "department",
    "council",
    "committee",
    "agency",
    "court",
    "authority",
    "administration",
    "directorate",
    "service",
    "government",
    "board",
    "commission",
    "embassy",
    "prosecutor",
    "prosecutors",
    "police",
    "army",
}
_NAME_LABELS = {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "LAW"}


@dataclass
class Event:
    """One attribution: the source as resolved, the phrase it was read from, the cue, the
    article offset, and how it was found."""

    source: str
    phrase: str
    cue: str
    at: int
    how: str = "subject"
    owner: str = ""  # a document's or evidence's author, when the sentence gives one


class Facts:
    """What the whole article says that sources need: its sentences, the words it uses as
    names, the acronyms it defines, the descriptions of what it names, its outlets."""

    def __init__(self, blocks: list[BlockDoc], ctx: Context) -> None:
        self.blocks = [b for b in blocks if b.role != "embed"]
        self.sents = [
            (b.start + s.start_char, b.start + s.end_char, s) for b in blocks for s in b.doc.sents
        ]
        self.propers = {t.text for b in blocks for t in b.doc if _is_name_word(t)}
        self.propers |= {  # "Turkey" for "Ankara said"
            w
            for b in blocks
            for e in b.doc.ents
            if describe(e)["source"] == "alias"
            and describe(e)["form"] not in {"adjective", "demonym"}
            for w in describe(e)["entity"].split()
        }
        self.aliases = article_aliases([b.text for b in blocks])
        self.described = descriptions([b.doc for b in blocks])
        self.orgs = {
            describe(e)["entity"]: e.label_
            for b in blocks
            for e in b.doc.ents
            if e.label_ in {"ORG", "GPE", "NORP", "FAC"}
        }
        # the label the parse gives a name most often: "Greenland" GPE, not once PERSON
        counts = Counter(
            (describe(e)["entity"], e.label_) for b in blocks for e in b.doc.ents
        ).most_common()
        self.labels: dict[str, str] = {}
        for (name, label), _ in counts:
            self.labels.setdefault(name, label)
        self.own = _own_outlets(blocks)
        # "The order, issued by the Ashcombe … Fire Service": whose each kind of document is
        self.doc_authors = {
            fold(t.head.head.lower_): _coordinated_name(o) or _body_name(o) or describe_name(o)
            for b in self.blocks
            for t in b.doc
            if t.dep_ == "agent" and _authored(t.head)
            for o in t.children
            if o.dep_ == "pobj"
        }
        self.person_names = {
            e.text for _, _, sent in self.sents for e in sent.ents if e.label_ == "PERSON"
        }
        self.media = {name for _, name in ctx.media} | {
            name for name in self.orgs if _is_outlet_name(name, self.described)
        }
        self.interviews = _interview_labels(self)  # Q&A answers, by interviewee

    def interviewee(self, block: BlockDoc) -> str:
        """The interviewee whose answer a block is, when the Q&A has two answers or more."""
        person = _interview_label(block, self)
        return person if person in {e.source for e in self.interviews} else ""

    def is_own(self, name: str) -> bool:
        """The page's own outlet, by any of its forms: "Millbrook Tenants Network (MTN)",
        "MTN", "the Network", "Courant" of "Valley Courant"."""
        if not self.own:
            return False
        forms = {fold(name), outlet_key(name)}
        forms.add(fold(self.canonical(name)))
        m = re.match(r"^(.*) \((\w+)\)$", self.canonical(name))
        if m:
            forms |= {fold(m.group(1)), fold(m.group(2))}
        own = set()
        for o in self.own:
            own |= {fold(o), fold(self.canonical(o))}
            mo = re.match(r"^(.*) \((\w+)\)$", self.canonical(o))
            if mo:
                own |= {fold(mo.group(1)), fold(mo.group(2))}
        lasts = {o.split()[-1] for o in own if len(o.split()) > 1}
        return bool(forms & own) or (len(name.split()) <= 2 and fold(name.split()[-1]) in lasts)

    def first_mention(self, name: str) -> int:
        """The article offset where a name first appears, else -1."""
        for block in self.blocks:
            at = block.text.find(name)
            if at >= 0:
                return block.start + at
        return -1

    def block_of_span(self, span: Span) -> int:
        """The block a span of one of the article's docs is in."""
        return next((b.block_id for b in self.blocks if b.doc is span.doc), -1)

    def block_of(self, at: int) -> int:
        return next((b.block_id for b in self.blocks if b.start <= at < b.start + len(b.text)), -1)

    def sentence(self, at: int) -> Span | None:
        return next((s for a, b, s in self.sents if a <= at < b), None)

    def canonical(self, name: str) -> str:
        return self.aliases.get(fold(name), name)

    def evidence_for(self, name: str) -> list[str]:
        """The descriptions filed under a name, its surname or its alias forms."""
        keys = {fold(name)}
        parts = name.split()
        if len(parts) >= 2 and name in self.person_names:
            keys |= {fold(parts[-1]), *(fold(f"{t} {parts[-1]}") for t in ("mr", "mrs", "ms"))}
        m = re.match(r"^(.*) \((\w+)\)$", name)
        if m:
            keys |= {fold(m.group(1)), fold(m.group(2))}
        return [d for k in keys for d in self.described.get(k, [])]


def _is_name_word(token: Token) -> bool:
    """A word of a name: a proper noun, or a noun inside a named entity; not a nationality
    or an adjective form ("Turkish officials" names no one)."""
    if token.ent_type_ == "NORP" and token.tag_ in {"NNS", "NNPS"}:
        return True  # a people: "Kurds in Kobani"
    if not token.text[:1].isupper() or token.pos_ == "ADJ" or token.ent_type_ == "NORP":
        return False
    if token.ent_type_ and token.ent_iob_ != "O":
        ent = next((e for e in token.sent.ents if e.start <= token.i < e.end), None)
        if ent is not None and describe(ent)["form"] in {"adjective", "demonym"}:
            return False
    return token.pos_ == "PROPN" or (token.ent_type_ in _NAME_LABELS and token.pos_ == "NOUN")


def article_sources(blocks: list[BlockDoc], quotes: list[dict], ctx: Context) -> list[dict]:
    """Every attribution in the article, one row per (source, cue): quote speakers,
    reported speech, prepositional sources, disclosures, outlets spoken to, embedded
    accounts; each with its type and the reason for it."""
    facts = Facts(blocks, ctx)
    # one event per cue: a split quote ("…,” he said, “…”) is one attribution
    by_cue = {(q["speaker"], q["cue_at"]): q for q in quotes if q["speaker"] != UNATTRIBUTED}
    events = [
        Event(_named_by_cue(q["phrase"]) or q["speaker"], q["phrase"], q["cue"],
              q["cue_at"] if q["cue_at"] >= 0 else q["start"],
              "embed" if q["kind"] == "tweet" else "quote")
        for q in by_cue.values()
    ]  # fmt: skip
    events += facts.interviews
    for block in facts.blocks:
        if facts.interviewee(block):
            continue  # an interview's answer: the interviewee's words, like a quotation
        if _CAPTION_CREDIT.search(block.text):
            continue  # a photo caption the cleaner kept: "… (Coast Newswire Photo/Ana Ruiz)"
        skip = [
            (q["start"] - block.start - 1, q["end"] - block.start + 1)
            for q in quotes
            if q["block_id"] == block.block_id
        ]
        for sent in block.doc.sents:
            events += _sentence_sources(sent, skip, ctx, block.start, block.cues, facts)
    events = _headline_words(_resolve(events, facts, ctx), facts)
    _merge_short_names(events, facts)
    _merge_descriptions(events, facts)
    events = [e for e in events if not facts.is_own(e.source)]
    bare = {e.source for e in events}
    for e in events:  # "The Foreign and Expatriates Ministry" is the "Foreign and … Ministry"
        if e.source[:4] in {"The ", "the "} and e.source[4:] in bare:
            e.source = e.source[4:]
    sources = {e.source for e in events}
    shortest = _shortest_forms(sources)
    sentences: dict[str, set[int]] = {}
    for e in events:
        start = next((a for a, b, _ in facts.sents if a <= e.at < b), -1)
        sentences.setdefault(e.source, set()).add(start)
    named = _named_persons(sources, ctx, sentences)
    table: dict[tuple[str, str], dict] = {}
    evidence: dict[str, Evidence] = {}
    for event in events:
        canonical = facts.canonical(named.get(event.source) or shortest[event.source])
        ev = evidence.setdefault(canonical, Evidence(canonical))
        ev.phrases.append(event.phrase or event.source)
        ev.cues.add(event.cue.lower())
        ev.named = ev.named or is_named(canonical, facts.propers)
        row = table.setdefault(
            (canonical, event.cue.lower()),
            {"source": canonical, "cue": event.cue.lower(), "n": 0},
        )
        row["n"] += 1
    for ev in evidence.values():
        person = ev.name in facts.person_names or ev.name in ctx.person_names
        ev.label = "" if person else facts.labels.get(ev.name, "")
        ev.described = facts.evidence_for(ev.name)
        ev.linked = _linked(ev, facts, {n for n in evidence if not _is_person(n, facts)})
    for row in table.values():
        row["source_type"], row["type_reason"] = source_type(evidence[row["source"]])
    return sorted(table.values(), key=lambda r: (r["source"], r["cue"]))


def _is_person(name: str, facts: Facts) -> bool:
    return name in facts.person_names or any(p.endswith(f" {name}") for p in facts.person_names)


_HEADER_ROLES = {"headline", "standfirst", "subheading"}


def _headline_words(events: list[Event], facts: Facts) -> list[Event]:
    """A headline's bare noun ("Monitor releases images", "nurse says") is the source the
    text below names with the same word; a singular one with none is no source ("Ministry
    welcomes ruling"), a plural one is the group it names ("Defendants say")."""
    roles = {b.block_id: b.role for b in facts.blocks}
    out = []
    for i, event in enumerate(events):
        word = event.source
        known = word in facts.orgs or word in facts.person_names or word in states()
        if (
            roles.get(facts.block_of(event.at)) not in _HEADER_ROLES
            or len(word.split()) != 1
            or known
            or event.how == "embed"
        ):
            out.append(event)
            continue
        stem = _stem(fold(word))[:5]
        later = [
            e.source
            for e in events[i + 1 :]
            if roles.get(facts.block_of(e.at)) not in _HEADER_ROLES
            and any(
                w.startswith(stem)
                for t in (e.source, e.phrase, *facts.evidence_for(e.source))
                for w in re.findall(r"\w+", fold(t))
            )
        ]
        if later:
            out.append(Event(later[0], event.phrase, event.cue, event.at, event.how))
        elif word.lower().endswith("s"):
            out.append(event)  # a group: "Defendants say they were obeying an order"
    return out


def _merge_short_names(events: list[Event], facts: Facts) -> None:
    """A one-word name that begins or ends exactly one longer name of the article's
    sources is that source: "Yalçın" is Serkan Ulus, "Halvard" Corbel Biologics."""
    names = {e.source for e in events if is_proper(e.source, facts.propers)}
    for event in events:
        word = event.source
        if len(word.split()) != 1 or word not in names:
            continue
        longer = {n for n in names if len(n.split()) > 1 and word in (n.split()[0], n.split()[-1])}
        if len(longer) == 1:
            event.source = longer.pop()


def _merge_descriptions(events: list[Event], facts: Facts) -> None:
    """A person described ("a spokesman", "counter-terror expert") is the named person the
    article described with all the same words, the latest one named before it."""
    stop = DETERMINERS | {fold(w) for w in lexicon()["function_words"]} | {"one", "another"}
    persons = words()["people"]
    first_at: dict[str, int] = {}
    for event in events:
        first_at.setdefault(event.source, event.at)
    said: dict[str, set[str]] = {}
    for event in events:
        if is_proper(event.source, facts.propers) and _is_person(event.source, facts):
            texts = [event.phrase, *facts.evidence_for(event.source)]
            stems = {_stem(w) for t in texts for w in re.findall(r"[\w-]+", fold(t))}
            said.setdefault(event.source, set()).update(stems)
    mapped = {}
    for source, at in first_at.items():
        head = head_word(source)
        if is_proper(source, facts.propers) or head not in persons or head.endswith("s"):
            continue
        content = {
            _stem(w) for w in re.findall(r"[\w-]+", fold(head_phrase(source))) if w not in stop
        }
        if not content or fold(source).split()[0] in {"the", "this", "that"}:
            continue
        fits = [(first_at[n], n) for n, known in said.items() if content <= known]
        before = [c for c in fits if c[0] < at]
        # "A medical ethicist explains …" in a standfirst, "Anders Brekke, who …" just below
        named = [(facts.first_mention(n), n) for _, n in fits]
        after = [c for c in named if at < c[0] < at + 600]
        if before:
            mapped[source] = max(before)[1]
        elif after:
            mapped[source] = min(after)[1]
    for event in events:
        event.source = mapped.get(event.source, event.source)


_CAPTION_CREDIT = re.compile(
    r"(?:\b(?:Photograph|Photo|Picture|Image)s?\s*:\s*[A-Z][^.]*$"
    r"|\([^()]*\bPhoto\b[^()]*/[^()]*\)\s*$)"
)
_LABEL = re.compile(r"^(?P<label>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3}):\s+\S")


def _interview_label(block: BlockDoc, facts: Facts) -> str:
    """The interviewee a Q&A paragraph is labelled with ("Anders Brekke: …", "SL: …"): a
    person the article names, by full name or initials; the interviewer's labels (the
    outlet's) are not persons."""
    m = _LABEL.match(block.text)
    if not m:
        return ""
    label = m.group("label")
    for person in facts.person_names:
        parts = person.split()
        initials = "".join(p[0] for p in parts if p[:1].isupper())
        if label == person or (len(parts) > 1 and label in {initials, parts[-1]}):
            return person
    return ""


def _interview_labels(facts: Facts) -> list[Event]:
    """One event per interviewee of a Q&A, at its first labelled answer; an interview has
    two answers or more ("Verdict: Misleading." once is no interview), and the label whose
    paragraphs are questions is the interviewer's (the page's own)."""
    answers: dict[str, list[BlockDoc]] = {}
    for block in facts.blocks:
        person = _interview_label(block, facts)
        if person:
            answers.setdefault(person, []).append(block)
    out = []
    for person, blocks in answers.items():
        questions = sum(b.text.rstrip().endswith("?") for b in blocks)
        if len(blocks) >= 2 and questions <= len(blocks) / 2:
            out.append(Event(person, person, "interview", blocks[0].start, "interview"))
        elif len(blocks) >= 2:
            facts.own.add(person)  # the interviewer
    return out


def _stem(word: str) -> str:
    """A crude stem, enough for "ethicist" and "ethics", not "spokesman" and "spoke"."""
    return word[: max(5, len(word) - 3)]


def _linked(ev: Evidence, facts: Facts, others: set[str]) -> list[str]:
    """The names and descriptions of the bodies a description names ("a RVCA coordinator":
    the RVCA's, "a network of local charities")."""
    text = " ".join(ev.described + [head_phrase(p) for p in ev.phrases])
    out = []
    for form, canonical in facts.aliases.items():
        if canonical != ev.name and re.search(rf"(?<!\w){re.escape(form)}(?!\w)", fold(text)):
            out += [canonical, *facts.evidence_for(canonical)]
    for name in others:
        if name != ev.name and len(name) > 2 and name in text and name not in out:
            out += [name, *facts.evidence_for(name)]
    return out


# --- finding sources in a sentence ------------------------------------------------------


def _sentence_sources(
    sent: Span, skip: list[tuple[int, int]], ctx: Context, offset: int, cues: list[Token],
    facts: Facts | None = None,
) -> list[Event]:  # fmt: skip
    """Reported speech and source phrases of one sentence not already used by a quote."""
    found: list[Event] = []
    impersonal = lexicon()["impersonal_subjects"]
    subjects: list[tuple[int, int]] = []
    media = {name for _, name in ctx.media} | (facts.media if facts else set())

    def add(cue: str, token: Token, at: int, how: str, note: bool = False, extra: str = "") -> None:
        token = _named_apposition(token)
        attr = resolve_cue((cue, token, at), ctx, offset)
        if attr.speaker == UNATTRIBUTED:
            return
        body = _body_name(token)
        if (
            body
            and fold(body) not in fold(attr.speaker)
            and (attr.speaker not in ctx.person_names or how in {"preposition", "cited"})
        ):
            attr.speaker = body  # a named body is itself, not the description before it
        if _short_definite(attr.surface):  # "the union": whichever named source it describes
            attr.speaker = re.sub(r"['’]s$", "", attr.surface)
        surface = attr.surface.split()
        if (
            len(surface) >= 3
            and fold(surface[0]) in DEFINITE
            and head_word(attr.surface) in _BODY_HEADS
            and head_word(attr.surface) not in fold(attr.speaker)
        ):
            attr.speaker = attr.surface  # "the Izmir chief prosecutor's office" is itself
        coordinated = _coordinated_name(token)
        if coordinated:
            attr.speaker = coordinated  # "the Marlow and District Fire Service"
        elif how in {"preposition", "cited"} and token.pos_ == "PROPN":
            span = _proper_span(token)  # "came from Gareth Pembry, who ran Harwick Rovers"
            if len(span.split()) >= 2 and fold(span) not in fold(attr.speaker):
                attr.speaker = span
        if note:
            ctx.note(attr, offset + token.idx)
        name = re.sub(r"['’]s$", "", _named_by_cue(attr.phrase) or attr.speaker)
        extra = ", ".join(x for x in (extra, _anonymity(token.sent)) if x)
        phrase = f"{attr.phrase}, {extra}" if extra else attr.phrase
        found.append(Event(name, phrase, attr.cue, offset + token.idx, how,
                           _owner(token, ctx, offset)))  # fmt: skip

    in_sent = [t for t in cues if sent.start <= t.i < sent.end]
    verbs = in_sent + [t for t in sent if t not in in_sent and _is_source_verb(t)]
    for token in verbs:
        if any(a <= token.idx < b for a, b in skip):
            continue
        if token.lemma_.lower() in {"tell", "speak"}:  # "told the Herald": the outlet relayed it
            for o in _spoken_to(token):
                name = _proper_span(o)
                described = facts.described if facts else {}
                outlet = name in media or describe_name(o) in media
                if outlet or (o.pos_ == "PROPN" and _is_outlet_name(name, described)):
                    name = name if name not in media else describe_name(o)
                    cue = cue_words(token).lower()
                    found.append(Event(name, o.text, cue, offset + o.idx, "told"))
        if offset + token.idx in ctx.used_cues or _reported(token) or _hypothetical(token):
            continue
        if any(c.dep_ == "parataxis" and is_cue(c) for c in token.children):
            continue  # "The colleague, she said, told her …": what she reports
        if token.lemma_.lower() in words()["clause_cues"] and not any(
            c.dep_ in {"ccomp", "xcomp", "oprd", "acomp"} for c in token.children
        ):
            continue  # "declared a caliphate" says nothing
        subject, extra = _subject(token, ctx)
        if subject is None or subject.lower_ in impersonal:
            continue
        subjects.append((subject.left_edge.i, subject.right_edge.i))
        add(cue_words(token), subject, token.idx, "subject", note=True, extra=extra)
    for cue, token in _prepositional(sent):
        if any(a <= token.idx < b for a, b in skip):
            continue
        add(cue, token, token.idx, "cited" if cue in {"citing", "quoting"} else "preposition")
    phrase = phrase_source(sent)
    if phrase and not any(a <= phrase[1].i <= b for a, b in subjects):
        noun = phrase[1].head.head  # "report" of "a report by X"; a verb in "would report by"
        if not (phrase[0].startswith("report") and noun.pos_ in {"VERB", "AUX"}):
            add(phrase[0], phrase[1], phrase[1].idx, "according")
    return found


def describe_name(token: Token) -> str:
    """The canonical name of the entity a token is in, else its text."""
    ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
    return describe(ent)["entity"] if ent is not None else token.text


def _proper_span(token: Token) -> str:
    """The name a proper noun heads, with the proper nouns before it: "Haddon Echo"."""
    if token.pos_ != "PROPN":
        return describe_name(token)
    words_ = [token]
    while words_[0].i > 0:
        prev = words_[0].nbor(-1)
        if prev.pos_ != "PROPN" or prev.head != token or not prev.text[:1].isupper():
            break
        words_.insert(0, prev)
    return " ".join(t.text for t in words_)


def _spoken_to(verb: Token) -> list[Token]:
    """The outlets a "told"/"spoke to" names: its objects and the objects of its "to"."""
    return [
        o
        for o in verb.subtree
        if o.dep_ in {"dobj", "dative", "pobj"}
        and o.head in (verb, *verb.children)
        and (o.head == verb or o.head.lower_ in {"to", "with"})
    ]


@cache
def _verb_sets() -> dict[str, frozenset[str]]:
    w = words()
    return {
        "source": w["source_verbs"],
        "clause": w["source_clause_verbs"],
        "disclosure": w["disclosure_verbs"],
        "concern": w["concern_nouns"],
        "evidence": w["evidence_nouns"] | w["document_nouns"],
    }


def _is_source_verb(token: Token) -> bool:
    """A verb that attributes information for the sources table only: "voiced concern",
    "fear that", "found that", "regards X as", "described an advance", "agreed to speak to
    the paper", "released footage showing", "issued a statement"."""
    if token.pos_ != "VERB":
        return False
    lemma = token.lemma_.lower()
    sets = _verb_sets()
    children = list(token.children)
    if lemma in sets["disclosure"]:
        return any(
            c.dep_ == "dobj" and fold(c.lemma_) in sets["evidence"] | {"footage"} for c in children
        )
    if lemma not in sets["source"]:
        return False
    if lemma in {"voice", "express", "raise"}:
        return any(c.dep_ == "dobj" and fold(c.lower_) in sets["concern"] for c in children)
    if lemma == "speak":
        return any(c.dep_ == "prep" and c.lower_ in {"to", "with"} for c in children)
    if lemma in sets["clause"]:
        return any(c.dep_ in {"ccomp", "xcomp", "oprd"} for c in children) or any(
            c.dep_ == "prep" and c.lower_ == "as" for c in children
        )
    return any(c.dep_ in {"dobj", "ccomp", "xcomp", "prep"} for c in children)


def _reported(verb: Token) -> bool:
    """A cue inside what another cue reports ("Can said the lawyers would appeal the verdict"):
    the words are the outer speaker's."""
    node = verb
    for _ in range(6):
        if node.dep_ not in {"ccomp", "xcomp", "conj", "advcl", "relcl"} or node.head == node:
            return False
        if node.dep_ == "ccomp" and (is_cue(node.head) or _is_source_verb(node.head)):
            return True
        if node.dep_ == "relcl":
            return False
        node = node.head
    return False


def _hypothetical(verb: Token) -> bool:
    """A cue in a clause that attributes nothing: "whether Meridian would publish", "until
    Meridian tells us"."""
    marks = words()["hypothetical_marks"]
    return any(c.dep_ == "mark" and c.lower_ in marks for c in verb.children)


def _subject(verb: Token, ctx: Context) -> tuple[Token | None, str]:
    """The subject of a cue and any description the parse cut from it: the parse's
    subject, checked, else the nearest noun chunk before the verb in its clause, else a
    surname right before it ("Can said")."""
    subject = subject_of(verb)
    relative = verb.dep_ == "relcl" and any(
        c.dep_ == "nsubj" and c.lower_ in {"which", "that"} for c in verb.children
    )
    if relative:
        # "pro-government accounts, which say …"; not "a claim that will add to tensions",
        # whose subject is the claim: no fallback to a noun before it
        if not (verb.head.pos_ == "PROPN" or _can_speak(verb.head)):
            return None, ""
        subject = verb.head
    agent = subject is not None and subject.dep_ == "pobj" and subject.head.dep_ == "agent"
    if subject is not None and subject.i > verb.i and not agent and not _inverted(verb, subject):
        subject = None
    if subject is not None and subject.i <= dateline_end(verb.sent):
        subject = None  # the dateline's place: "PORTVALE (Coast Wire) — …, residents said"
    if subject is not None and subject.pos_ == "NOUN" and not _can_speak(subject):
        subject = _person_above(subject)  # "a driver from the depot, who … and asked"
    if subject is not None and verb.dep_ == "relcl" and subject == verb.head:
        subject = _person_above(subject)  # "a doctor at a clinic in a hall, who said"
    if subject is not None:
        return _past_description(subject)
    return _fallback_subject(verb, ctx), ""


def _can_speak(noun: Token) -> bool:
    """A common noun that can be a source: a person or body, a document, evidence."""
    w = words()
    low = fold(noun.lower_)
    return (
        low in w["agents"]
        or low in w["document_nouns"]
        or low in w["evidence_nouns"]
        or noun.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"}
        or bool(re.search(_PERSON_ENDINGS, low))
    )


def _person_above(noun: Token) -> Token | None:
    """The person a relative "who" describes when the parse hung it on a nearer noun."""
    node = noun
    for _ in range(8):
        if node.ent_type_ == "PERSON" or fold(node.lower_) in words()["agents"]:
            return node
        if node.head == node:
            return None
        node = node.head
    return None


def _inverted(verb: Token, subject: Token) -> bool:
    """ "…,” said Omer" is an inverted subject; "urged Washington to close" is an object."""
    before = verb.doc[verb.i - 1] if verb.i else None
    return (
        before is not None
        and (before.is_punct or before.is_quote)
        and not any(c.dep_ in {"xcomp", "ccomp"} and c.i > verb.i for c in verb.children)
    )


def _past_description(subject: Token) -> tuple[Token, str]:
    """A name before its description: "Polat Can, a spokesman for the SDF, said" when the
    parse made the description the subject and left the name outside it; the description
    comes back as text."""
    doc = subject.doc
    start = subject.left_edge.i
    if start < 2 or doc[start - 1].text != "," or subject.pos_ == "PROPN":
        return subject, ""
    ent = next((e for e in doc.ents if e.end == start - 1 and e.label_ == "PERSON"), None)
    if ent is None or ent.start != ent.sent.start:
        return subject, ""
    return ent.root, doc[start : subject.right_edge.i + 1].text


def _fallback_subject(verb: Token, ctx: Context) -> Token | None:
    """The nearest noun chunk before a cue the parse left without a subject, in its
    sentence, that is a subject-like word and can be a source; else a known person's
    surname right before the cue ("Can said", where "Can" was read as a modal)."""
    sent = verb.sent
    before = verb.doc[verb.i - 1] if verb.i > sent.start else None
    if before is not None and any(
        p.split()[-1] == before.text and len(p.split()) > 1 for p in ctx.person_names
    ):
        return before
    head = verb.head
    if (
        verb.dep_ == "acl"
        and head.pos_ == "PROPN"
        and before is not None
        and before.text == ","
        and any(c.dep_ == "appos" and head.i < c.i < verb.i for c in head.children)
    ):
        return head  # "The Ledger Line, a business daily, reported": the parse took it for a clause
    if verb.tag_ == "VBN" and not any(c.dep_ == "aux" for c in verb.children):
        return None  # a participle: "the journalists were detained, accused of filming"
    if verb.dep_ == "conj":  # "Omer was transferred …, and describes": the first verb's subject
        # not of a participle: "they were detained …, accused of filming" were the accused
        deps = {"nsubj"} if verb.tag_ == "VBN" else {"nsubj", "nsubjpass"}
        subjects = [c for c in head.children if c.dep_ in deps]
        return subjects[0] if subjects else None
    if verb.tag_ == "VBG" or verb.dep_ in {"xcomp", "acl", "amod", "relcl", "pcomp"}:
        return None
    dateline = dateline_end(sent)
    chunks = [c for c in sent.noun_chunks if c.end <= verb.i and c.start > dateline]
    # after a dateline the parse is often lost: "…, residents and the port authority said"
    deps = {"nsubj", "nsubjpass", "ROOT", "dep", "appos", *(["conj"] if dateline >= 0 else [])}
    for chunk in reversed(chunks):
        root = chunk.root
        if any(t.text in {";", ":"} or t.is_quote for t in verb.doc[chunk.end : verb.i]):
            return None
        if root.dep_ in deps and root.ent_type_ not in {"DATE", "TIME", "CARDINAL"}:
            if root.dep_ == "conj" and root.head.pos_ not in {"NOUN", "PROPN"}:
                continue
            # "In an interview with the Gazette, a ferry captain said": the captain
            comma = root.left_edge.i > 0 and verb.doc[root.left_edge.i - 1].text == ","
            if root.dep_ == "appos" and not (root.head.dep_ == "pobj" and comma):
                root = root.head
            if root.pos_ in {"NOUN", "PROPN"}:
                return root
    return None


def _prepositional(sent: Span) -> list[tuple[str, Token]]:
    """(cue, object) of the source phrases that are no speech-verb subject: "citing X",
    "quoting X", "figures from X", "the words came from X", "in an interview with X",
    "That is the view of X", "footage broadcast by X", "X's announcement that"."""
    w = words()
    out = []
    for token in sent:
        low = token.lower_
        if token.lemma_.lower() in w["citing_verbs"] and token.tag_ == "VBG":
            out += [(low, o) for o in token.children if o.dep_ == "dobj"]
        elif low == "from" and token.dep_ == "prep":
            head = token.head
            subj = [c for c in head.children if c.dep_ == "nsubj"] if head.pos_ == "VERB" else []
            nouns = {fold(head.lower_), *(fold(s.lower_) for s in subj)}
            negated = any(c.lower_ in {"no", "without"} for c in head.children) or (
                head.head.lower_ in {"without", "no"}
            )  # "No comment from Ankara" says nothing
            if nouns & w["from_nouns"] and not negated:
                out += [
                    ("from", o)
                    for o in token.children
                    if o.dep_ == "pobj"
                    and _not_place(o)
                    and not any(c.dep_ == "poss" and c.pos_ == "PRON" for c in o.children)
                ]  # not "figures from its members": the citer's own
        elif low == "with" and fold(token.head.lower_) in w["with_nouns"]:
            out += [(f"{token.head.lower_} with", o) for o in token.children if o.dep_ == "pobj"]
        elif low == "of" and fold(token.head.lower_) in w["of_nouns"]:
            det = [c.lower_ for c in token.head.children if c.dep_ in {"det", "poss"}]
            if det[:1] == ["the"]:
                out += [(f"{token.head.lower_} of", o) for o in token.children if o.dep_ == "pobj"]
        elif low == "by" and (_authored(token.head) or _authored_noun(token.head)):
            out += [(f"{token.head.lower_} by", o) for o in token.children if o.dep_ == "pobj"]
        elif (
            token.dep_ == "poss"
            and fold(token.head.lower_) in w["possessed_nouns"]
            and token.pos_ in {"PROPN", "NOUN"}
            and token.lower_ not in DEFINITE
        ):
            out.append((f"{token.head.lower_}", token))
        elif (
            token.lemma_ == "give"
            and token.pos_ == "VERB"
            and any(c.dep_ == "dobj" and fold(c.lower_) in w["given_nouns"] for c in token.children)
        ):
            subject = subject_of(token)
            if subject is not None:
                out.append((cue_words(token), subject))
    out += _that_was(sent)
    return out


def _short_definite(surface: str) -> bool:
    """ "The union", "the group": a body described by its noun alone, which the named
    sources answer for (``_description_name``); not "the magazine" or "the official"."""
    parts = re.sub(r"['’]s$", "", fold(surface)).split()
    if len(parts) != 2 or parts[0] not in DEFINITE:
        return False
    lex = lexicon()
    persons_or_media = {fold(w) for w in (*lex["person_nouns"], *lex["media_nouns"])}
    return parts[1] in words()["org_nouns"] and parts[1] not in persons_or_media


def _anonymity(sent: Span) -> str:
    """The words of a sentence that keep its source unnamed ("speaking on condition of
    anonymity", "who asked not to be named"), to count as the source's description."""
    m = _ANONYMITY.search(sent.text)
    return m.group(0) if m else ""


_ANONYMITY = re.compile(
    r"\b(?:on condition of anonymity|not (?:to be|be) (?:named|identified)|not authori[sz]ed to"
    r" (?:speak|brief|talk)|declined to be (?:named|identified)|unnamed|anonymous)\b",
    re.I,
)


def _coordinated_name(token: Token) -> str:
    """A name with "and" inside it, which the parse splits into two: "the Ashcombe and
    District Fire Service", "Tamar Vale Fire and Rescue"."""
    if token.pos_ != "PROPN":
        return ""
    doc = token.doc
    start = token.i
    while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].is_title:
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].is_title:
        end += 1
    if end + 1 < len(doc) and doc[end].lower_ in {"and", "&"} and doc[end + 1].is_title:
        end += 1
        while end < len(doc) and doc[end].is_title and doc[end].pos_ in {"PROPN", "NOUN"}:
            end += 1
        return doc[start:end].text
    if start > 1 and doc[start - 1].lower_ in {"and", "&"} and doc[start - 2].is_title:
        first = start - 2
        while first > 0 and doc[first - 1].is_title and doc[first - 1].pos_ == "PROPN":
            first -= 1
        return doc[first:end].text
    return ""


def _named_apposition(token: Token) -> Token:
    """A description with the name beside it names that: "the private broadcaster Kanal
    Ufuk" is Kanal Ekin."""
    if token.pos_ == "PROPN" or token.ent_type_:
        return token
    names = [c for c in token.children if c.dep_ in {"appos", "compound"} and c.pos_ == "PROPN"]
    names = [c for c in names if c.ent_type_ in {"ORG", "PERSON", "FAC", "GPE", ""}]
    return names[-1] if names and names[-1].i > token.i else token


def _body_name(token: Token) -> str:
    """The canonical name of the organisation of two words or more a token is in."""
    ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
    if ent is None or ent.label_ != "ORG" or len(ent) < 2:
        return ""
    if any(t.is_quote or t.text in {",", ";", ":"} for t in ent):
        return ""  # "Islamic State,” Çağlar": the NER ran over a quotation's end
    return describe(ent)["entity"]


def _not_place(token: Token) -> bool:
    """ "A report from Rojava" comes from a place, not a source; a state is its government
    ("figures from Ankara")."""
    if token.ent_type_ not in {"GPE", "LOC", ""}:
        return True
    if not token.ent_type_:
        return token.pos_ != "PROPN"  # an unknown name after "from" is most often a place
    ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
    return ent is not None and describe(ent)["entity"] in states()


def _authored(verb: Token) -> bool:
    """A participle that gives a document's or evidence's author ("drafted by",
    "broadcast by", "aired by"), on a document, evidence or interview noun."""
    w = words()
    if verb.lemma_.lower() not in w["author_verbs"] or verb.dep_ != "acl":
        return False
    noun = fold(verb.head.lower_)
    return noun in w["evidence_nouns"] | w["document_nouns"] | w["with_nouns"] | {"remarks"}


def _authored_noun(noun: Token) -> bool:
    """ "an interview broadcast by X" when the parse took "broadcast" for a noun."""
    w = words()
    if noun.pos_ != "NOUN" or noun.lemma_.lower() not in w["author_verbs"]:
        return False
    return any(fold(c.lower_) in w["with_nouns"] | w["evidence_nouns"] for c in noun.children)


def _that_was(sent: Span) -> list[tuple[str, Token]]:
    """ "That was Brenda Coyle, …" after a quotation: the person named."""
    first = sent[0] if len(sent) else None
    if first is None or first.lower_ not in {"that", "those", "this"} or len(sent) < 3:
        return []
    verb = first.head
    if verb.lemma_ != "be" or first.dep_ != "nsubj":
        return []
    attrs = [c for c in verb.children if c.dep_ == "attr" and c.ent_type_ == "PERSON"]
    return [("that was", a) for a in attrs]


def _owner(token: Token, ctx: Context, offset: int) -> str:
    """The author of a document or evidence subject, when the phrase gives one: "the
    indictment, drafted by X", "X's own incident log", "a copy of the order issued by X",
    "a statement posted on X's website"."""
    head = token
    if fold(head.lower_) not in words()["evidence_nouns"] | words()["document_nouns"]:
        return ""
    for node in head.subtree:
        if node.dep_ == "agent" and _authored(node.head):
            objs = [o for o in node.children if o.dep_ == "pobj"]
            if objs:
                return resolve_cue(("", objs[0], objs[0].idx), ctx, offset).speaker
        if (
            node.dep_ == "poss"
            and node.pos_ in {"PROPN", "NOUN"}
            and node.lower_ not in DEFINITE
            and (node.head == head or node.head.lower_ in {"website", "account", "page", "site"})
        ):
            return re.sub(r"['’]s$", "", resolve_cue(("", node, node.idx), ctx, offset).speaker)
        from_owner = node.dep_ == "pobj" and node.head.lower_ == "from"
        if from_owner and node.head.head == head and _not_place(node):
            own = [c for c in node.children if c.dep_ == "poss" and c.pos_ == "PRON"]
            if own:  # "figures from its members": the citer's own
                return f"{own[0].lower_} {node.lower_}"
            return resolve_cue(("", node, node.idx), ctx, offset).speaker
    return ""


@cache
def _naming_pattern() -> re.Pattern:
    cues = "|".join(re.escape(c) for c in words_list("naming_cues"))
    name = r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3}"
    return re.compile(rf"\b(?:{cues})\s+[“\"‘']?(?P<name>{name})")


def words_list(name: str) -> list[str]:
    return lexicon()["sources"][name]


def _named_by_cue(phrase: str) -> str | None:
    """ "A group that calls itself “Osprey”": the name it gives."""
    m = _naming_pattern().search(phrase or "")
    return m.group("name") if m else None


def _is_credit(sent: Span) -> bool:
    """A reporter's credit ("Haddad reported from Beirut") or a columnist's note."""
    text = sent.text
    return any(re.search(p, text, re.I) for p in words_list("reporting_credits"))


# --- from events to sources -------------------------------------------------------------


def _resolve(events: list[Event], facts: Facts, ctx: Context) -> list[Event]:
    """Keep the events whose source is a source, each under the name it stands for."""
    events = sorted(events, key=lambda e: e.at)
    out: list[Event] = []
    naming = _naming_map(events, facts)
    for event in events:
        if event.how == "embed":  # an embedded post's account
            out.append(event)
            continue
        sent = facts.sentence(event.at)
        if sent is not None and _is_credit(sent):
            continue  # the page's own reporter: "Haddad reported from Beirut"
        event.source = naming.get(event.source, event.source)
        kind = phrase_kind(event.source, facts.propers)
        if kind in {"document", "evidence"}:
            if re.search(r"\b(?:its|their|his|her|our)\s+\w+$", fold(event.owner or "")):
                continue  # "citing figures from its members": the citer's own material
            author = event.owner or _issuer(event, out, facts)
            if author and phrase_kind(author, facts.propers) in {"name", "agent"}:
                out.append(Event(author, author, event.cue, event.at, event.how))
                if kind == "evidence" or _authored_document(event.source):
                    continue
                if not _is_definite(event.source) or event.owner:
                    out.append(event)  # "an internal memo", "the operator's own log"
                continue
            if kind == "evidence" or _authored_document(event.source):
                continue
            if _is_definite(event.source):  # "the memo says": the memo named before
                earlier = _earlier_document(event, out, facts)
                if not earlier:
                    continue
                event.source = earlier
        elif kind not in {"name", "agent"} and not (
            kind == "none" and event.how in {"cited", "preposition"}
        ):
            continue  # a subject that names no one: "the strain is showing"
        if kind == "agent" and _is_definite(event.source):
            event.source = _description_name(event, out, facts)
        event.source = _trim(event.source)
        out.append(event)
    own = {fold(o) for o in facts.own}
    return [
        e
        for e in out
        if fold(e.source) not in own
        and fold(facts.canonical(e.source)) not in own
        and not _is_own_short(e.source, facts)
    ]


def _earlier_document(event: Event, before: list[Event], facts: Facts) -> str:
    """The document an article named before that "the memo", "the document" points back
    to: the latest earlier document source."""
    for earlier in reversed(before):
        if phrase_kind(earlier.source, facts.propers) == "document" and not _is_definite(
            earlier.source
        ):
            return earlier.source
    return ""


def _authored_document(source: str) -> bool:
    return head_word(source) in words()["authored_documents"]


def _is_definite(source: str) -> bool:
    first = fold(source).split()[:1]
    return bool(first) and first[0] in DEFINITE


def _trim(source: str) -> str:
    """A long description cut to its head phrase: "a shopkeeper in Birecik, who did not want
    his name published" -> "a shopkeeper in Birecik"; a list bullet dropped."""
    source = source.lstrip("•·▪‣*–—- ")
    if len(source.split()) <= 4:
        return source
    head = head_phrase(source)
    return head if head and (len(head.split()) >= 2 or head[:1].isupper()) else source


def _issuer(event: Event, before: list[Event], facts: Facts) -> str:
    """Who issued the document a source phrase names ("the statement said"): the source
    of the latest earlier attribution, within three paragraphs, whose sentence names the
    same kind of document ("said in a statement", "issued a statement", "In its ruling,
    the court found")."""
    noun = head_word(event.source)
    if not noun:
        return ""
    pattern = re.compile(rf"(?<!\w){re.escape(noun)}s?(?!\w)")
    for earlier in reversed(before):
        if event.at - earlier.at > 1500:
            break
        if phrase_kind(earlier.source, facts.propers) not in {"name", "agent"}:
            continue
        sent = facts.sentence(earlier.at)
        if sent is not None and pattern.search(fold(sent.text)):
            return earlier.source
    if not _is_definite(event.source):
        return ""
    if noun in facts.doc_authors:
        return facts.doc_authors[noun]
    # "The authority said repairs would take a month. The statement said …": the body that
    # spoke just before, in the same paragraph
    block = facts.block_of(event.at)
    for earlier in reversed(before):
        if facts.block_of(earlier.at) != block:
            break
        if is_named(earlier.source, facts.propers) and not _is_person(earlier.source, facts):
            return earlier.source
    return ""


def _description_name(event: Event, before: list[Event], facts: Facts) -> str:
    """A definite description ("the minister", "the company", "the group") is the named
    source described with its head word, latest first; a body noun with no such name is
    the latest organisation the article named before it."""
    head = head_word(event.source)
    if not head or is_proper(event.source, facts.propers) or len(event.source.split()) != 2:
        return event.source
    word = re.compile(rf"(?<!\w){re.escape(head)}(?!\w)")
    for earlier in reversed(before):
        name = earlier.source
        if not is_named(name, facts.propers) or name == event.source:
            continue
        texts = [name, *facts.evidence_for(name), *(e.phrase for e in before if e.source == name)]
        if any(word.search(fold(t)) for t in texts):
            return name
    if head.endswith("s"):  # "a charge the groups deny": the groups just named
        chunk = _earlier_chunk(head, event, facts)
        if chunk:
            return chunk
    if head in words()["org_nouns"]:
        ents = [
            e
            for start, _, sent in facts.sents
            if start < event.at
            for e in sent.ents
            if e.label_ in {"ORG", "LOC", "FAC", "PERSON"}
            and start + e.start_char - sent.start_char < event.at
        ]
        # "Osprey Marine, a Dutch salvage company … The company said": the one described so
        described = [e for e in ents if any(word.search(fold(d)) for d in facts.evidence_for(
            describe(e)["entity"]))]  # fmt: skip
        # else the organisation that spoke last, or the one named last nearby (this
        # paragraph or the one before, not a headline)
        spoken = {e.source for e in before}
        here = facts.block_of(event.at)
        ids = [b.block_id for b in facts.blocks if b.role not in _HEADER_ROLES]
        near = set(ids[max(0, ids.index(here) - 1) : ids.index(here) + 1]) if here in ids else set()
        sent = facts.sentence(event.at)
        orgs = described or [
            e
            for e in ents
            if (e.label_ == "ORG" or (e.label_ == "FAC" and sent is not None and e.sent == sent))
            and (describe(e)["entity"] in spoken or facts.block_of_span(e) in near)
        ]
        if orgs:
            return describe(orgs[-1])["entity"]
    return event.source


def _earlier_chunk(head: str, event: Event, facts: Facts) -> str:
    """The latest fuller noun phrase with the same head, in this sentence or the two
    before: "Turkish-backed rebel groups" for "the groups"."""
    index = next((i for i, (a, b, _) in enumerate(facts.sents) if a <= event.at < b), None)
    if index is None:
        return ""
    found = ""
    for start, _, sent in facts.sents[max(0, index - 2) : index + 1]:
        for chunk in sent.noun_chunks:
            at = start + chunk.start_char - sent.start_char
            words_ = [t for t in chunk if t.lower_ not in DETERMINERS]
            if at < event.at and fold(chunk.root.lower_) == head and len(words_) >= 2:
                found = "".join(t.text_with_ws for t in words_).strip()
    return found


def _naming_map(events: list[Event], facts: Facts) -> dict[str, str]:
    """Descriptions the article names afterwards: "A man in his fifties … He gave his name
    as Karim Dosky", "“My name is X,” he said", "His first name is Tam", "She consented to be
    identified. Nesrin Yıldız, 34, …". The description is the latest one before the naming
    sentence; other descriptions with its head word go with it."""
    out: dict[str, str] = {}
    name = r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3}"
    titles = "|".join(re.escape(t) for t in lexicon()["name_titles"] if t.isalpha()) + "|sergeant"
    sentences = [re.compile(p.format(name=name, title=f"(?:{titles})"), re.I)
                 for p in words_list("name_sentences")]  # fmt: skip
    consent = [re.compile(p, re.I) for p in words_list("naming_consent")]
    persons = words()["people"]
    for i, (start, _end, sent) in enumerate(facts.sents):
        text = sent.text
        found = None
        for pattern in sentences:
            m = pattern.search(text)
            if m and m.group("name")[:1].isupper():
                found = m.group("name").strip()
                break
        if found is None and any(p.search(text) for p in consent):
            for _, _, nxt in facts.sents[i : i + 3]:
                people = [e for e in nxt.ents if e.label_ == "PERSON"]
                if people:
                    found = people[0].text
                    break
        if not found:
            continue
        described = [
            e.source
            for e in events
            if e.at < start + len(text)
            and not is_proper(e.source, facts.propers)
            and head_word(e.source) in persons
            and not head_word(e.source).endswith("s")
            and fold(e.source).split()[0] not in {"the", "this", "that"}
        ]
        if not described:
            continue
        target = described[-1]
        full = next((p for p in facts.person_names if p.endswith(found)), found)
        head = head_word(target)
        for e in events:
            if e.source == target or (
                head_word(e.source) == head and not is_proper(e.source, facts.propers)
            ):
                out.setdefault(e.source, full)
    return out


def _own_outlets(blocks: list[BlockDoc]) -> set[str]:
    """The page's own outlet: the agency of a wire dateline ("ANKARA (Meridian Wire) —"), the
    interviewer's label of a Q&A ("Harbour Gazette: What went wrong?") and the body a press
    release is about ("About the River Relief Alliance")."""
    out = set()
    for block in blocks[:8]:
        m = re.match(r"^[A-Z][A-Z .,'’-]+(?:,[^(]{0,20})?\s*\(([^)]{2,40})\)\s*[–—-]", block.text)
        if m:
            out.add(m.group(1).strip())
    labels = [m.group("label") for b in blocks if (m := _LABEL.match(b.text))]
    for label in set(labels):
        if labels.count(label) >= 2 or any(" " in x for x in labels if x == label):
            persons = {e.text for b in blocks for e in b.doc.ents if e.label_ == "PERSON"}
            if label not in persons and not any(p.endswith(label) for p in persons):
                out.add(label)
    for block in blocks:
        m = re.match(r"^About (?:the )?([A-Z][\w’'&.-]*(?:\s+(?:of|for|and|[A-Z][\w’'&.-]*))*)$",
                     block.text.strip())  # fmt: skip
        if m and block.role == "subheading":
            out.add(m.group(1))
    return out


def _is_outlet_name(name: str, described: dict[str, list[str]]) -> bool:
    """A name that reads as a news outlet: a media word in it ("Herald", "Radio", "TV"), or
    a description that says so ("a Kurdish news website")."""
    rules = {r.get("key"): r for r in lexicon()["source_type"]["rules"]}
    name_words = tuple(rules["outlet_name"]["words"])
    desc_words = tuple(rules["outlet_description"]["words"])
    if re.search(_alternation(name_words), fold(name)):
        return True
    return any(re.search(_alternation(desc_words), fold(d)) for d in described.get(fold(name), []))


@cache
def _alternation(words_: tuple[str, ...]) -> str:
    return r"(?<!\w)(?:" + "|".join(re.escape(fold(w)) for w in words_) + r")(?!\w)"


def _is_own_short(source: str, facts: Facts) -> bool:
    """ "the Courier", "the Clarion": an outlet the page names by one word only, with no
    longer form of it in the article, is the page's own."""
    low = fold(source)
    parts = low.split()
    if parts[:1] == ["the"]:
        parts = parts[1:]
    if len(parts) != 1 or not source.split()[-1][:1].isupper():
        return False
    word = parts[0]
    if word in {fold(w) for w in lexicon()["media_nouns"]}:
        return False
    longer = [m for m in facts.media if fold(m).endswith(f" {word}") and fold(m) != word]
    introduced = bool(facts.described.get(word))  # "The Ledger Line, a business daily"
    return (
        not longer
        and not introduced
        and _is_outlet_name(word, {})
        and word not in {fold(m) for m in _known_outlets()}
    )


@cache
def _known_outlets() -> tuple[str, ...]:
    return tuple(w for w in lexicon()["source_type"]["news_media"] if w[:1].isupper())


def _named_persons(
    sources: set[str], ctx: Context, sentences: dict[str, set[int]] | None = None
) -> dict[str, str]:
    """A person first described, then named: "A former member of the Islamic State told
    Newsweek …" is the Sherko Omer whom "the former Islamic State technician, dubbed …"
    names, when the description shares two words or more with the sentences that name
    exactly one person who is a source too."""
    person_nouns = set(lexicon()["person_nouns"])
    function_words = DETERMINERS | set(lexicon()["function_words"])
    # the words of the sentences naming each person source, by full name or surname
    people = {
        s: set().union(*(w for k, w in ctx.person_words.items() if k == s or s.endswith(f" {k}")))
        - function_words
        for s in sources & ctx.person_words.keys()
    }
    out = {}
    for source in sources - people.keys():
        words_ = fold(source).split()
        # indefinite ("a former member") or bare, as in headlines ("Former ISIS Member says"),
        # and one person ("officials" is not)
        nouns = person_nouns & set(words_)
        plural = any(n.endswith("s") and n[:-1] in person_nouns for n in nouns)
        if not words_ or words_[0] in DEFINITE or not nouns or plural:
            continue
        content = set(words_) - function_words
        matches = [p for p, known in people.items() if len(content & known) >= 2]
        if sentences:  # not the person the same sentence names ("X, quoting an official")
            matches = [p for p in matches if not sentences.get(p, set()) & sentences[source]]
        if len(matches) == 1:
            out[source] = matches[0]
    return out


def _shortest_forms(sources: set[str]) -> dict[str, str]:
    """Each source, or a shorter one of two words or more that begins it: "Kurdish
    commanders in northeast Syria" is the "Kurdish commanders" of the headline."""
    folded = {s: fold(s) for s in sources}
    out = {}
    for source in sources:
        starts = [
            other
            for other in sources
            if len(other.split()) >= 2 and folded[source].startswith(folded[other] + " ")
        ]
        out[source] = min(starts, key=len) if starts else source
    return out
