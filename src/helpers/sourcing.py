"""Who speaks in an article: quotations with their speakers, and every attributed source.

Works on one article at a time: its body blocks in order, each with its spaCy doc. Quote
spans come from the marks (``helpers.quotes``), unmarked blockquotes and embedded posts
from the block roles the cleaner gave. A speaker is the subject of the nearest attribution
verb outside the quote (dependency parse), the object of "according to", the intro of a
colon, or the speaker of the quote it continues. Pronouns, "the magazine", surnames and
definite descriptions ("the officials") are resolved against what the article named
before that point.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, cached_property

from spacy.tokens import Doc, Span, Token

from .clean import POST_ATTRIBUTION
from .entities import aliases, describe
from .lexicons import read_toml
from .quotes import QuoteSpan, find_quote_spans

_DASHES = {"-", "--", "–", "—"}
_SPEAKER_FIELDS = ("speaker", "speaker_surface", "cue", "phrase", "cue_at")
_DEFINITE = {"the", "this", "that", "his", "her", "their", "its"}
_DETERMINERS = _DEFINITE | {"a", "an"}
_MEDIA_LINK = re.compile(r"\s*\b(?:pic\.twitter\.com|t\.co)/\w+")
_PERSON_PRONOUNS = {"he", "she", "him", "her"}
_GROUP_PRONOUNS = {"they", "them"}
# A passive subject is the addressee ("Austin was asked"); a passive speaker is its agent.
_SUBJECT_DEPS = {"nsubj"}
_CUT_DEPS = {"relcl", "acl", "appos", "punct", "cc", "conj", "advcl", "prep"}
UNATTRIBUTED = "unattributed"
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
    return read_toml("attribution.toml")


def fold(text: str) -> str:
    """Lower case without diacritics, for matching "Celen" to "Çelen"."""
    return "".join(
        c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c)
    )


@dataclass
class Attribution:
    """Who an utterance or a piece of information is attributed to."""

    surface: str = ""
    cue: str = ""
    speaker: str = UNATTRIBUTED
    phrase: str = ""  # the whole subject phrase ("Celen's lawyer, Ali Aksoy")
    cue_at: int = -1  # article offset of the cue word
    inherited: bool = False  # taken from the quote before, not from a cue of its own


@dataclass
class Context:
    """What the article has named up to a point, for resolving pronouns and short names."""

    persons: list[tuple[int, str]] = field(default_factory=list)  # (offset, full name)
    media: list[tuple[int, str]] = field(default_factory=list)
    speakers: list[tuple[int, str]] = field(default_factory=list)  # (offset, canonical)
    # the words of the sentences that name each person ("the former technician, dubbed …")
    person_words: dict[str, set[str]] = field(default_factory=dict)
    # sources described, not named: (offset, head word, phrase, plural)
    described: list[tuple[int, str, str, bool]] = field(default_factory=list)
    phrases: dict[str, list[str]] = field(default_factory=dict)  # canonical -> phrases
    used_cues: set[int] = field(default_factory=set)

    @property
    def person_names(self) -> set[str]:
        return {name for _, name in self.persons}

    def speakers_before(self, at: int) -> list[str]:
        return [name for pos, name in sorted(self.speakers) if pos < at]

    def resolve(self, surface: str, head: Token | None, at: int, phrase: str = "") -> str:
        """A canonical name for a speaker surface at article offset ``at``; the surface
        itself when it cannot be resolved. A known name inside the whole subject phrase
        wins ("the technician – dubbed “Sherko Omer” – said")."""
        lex = lexicon()
        for name in sorted(self.person_names, key=lambda n: (-len(n), n)):
            possessor = f"{name}'s" in phrase or f"{name}’s" in phrase  # "Akar's critics"
            if len(name.split()) > 1 and name in phrase and not possessor:
                return name
        named = _naming_pattern().search(phrase)
        if named:  # "one man, who gave his name as Mustafa"
            self.persons.append((at, named.group("name")))
            return named.group("name")
        words = surface.split()
        low = fold(surface)
        earlier = self.speakers_before(at)
        if low in _PERSON_PRONOUNS:
            # the person who spoke (or was named) last, or one described since
            people = [(pos, s) for pos, s in sorted(self.speakers) if s in self.person_names]
            people = people or list(self.persons)
            people += [
                (pos, p)
                for pos, w, p, plural in self.described
                if not plural and w in lex["person_nouns"]
            ]
            latest = max(((pos, s) for pos, s in people if pos < at), default=None)
            return latest[1] if latest else UNATTRIBUTED
        if low in _GROUP_PRONOUNS:
            groups = [s for s in earlier if s not in self.person_names]
            return groups[-1] if groups else UNATTRIBUTED
        media = [name for pos, name in self.media if pos < at]
        if head is not None and head.lemma_.lower() in lex["media_nouns"] and media:
            return media[-1]
        full = self._full_name(words[-1]) if words else None
        if full and (len(words) == 1 or head is None or head.ent_type_ == "PERSON"):
            return full
        if (
            head is not None
            and head.lemma_.lower() in {*lex["person_nouns"], *lex["body_nouns"]}
            and ((bool(words) and fold(words[0]) == "the") or _definite(head))
        ):
            return self._antecedent(head, surface, earlier, at)
        return surface

    def _full_name(self, last: str) -> str | None:
        matches = sorted(p for p in self.person_names if fold(p.split()[-1]) == fold(last))
        return max(matches, key=len) if matches else None

    def _antecedent(self, head: Token, surface: str, earlier: list[str], at: int) -> str:
        """A definite description names an earlier source: "the officials" the officials
        quoted before, else the person who spoke last or the source an earlier sentence
        described with the same word, whichever came later."""
        # the head word as written: "the official" is not "the officials"
        word = re.compile(rf"(?<!\w){re.escape(fold(head.text))}(?!\w)")
        named = [s for s in earlier if any(word.search(fold(p)) for p in self.phrases.get(s, [s]))]
        if named:
            return named[0]
        # "the former member" is the person who spoke last and was described with one of
        # its words ("the former technician"), or the "a senior official" an earlier
        # sentence reported, whichever came later
        key = fold(head.text)
        content = set(fold(surface).split()) - _DETERMINERS
        people = [
            (pos, s)
            for pos, s in sorted(self.speakers)
            if pos < at and s in self.person_names and content & self.person_words.get(s, set())
        ]
        described = [(pos, p) for pos, w, p, _ in self.described if pos < at and w == key]
        if head.tag_ != "NN" or head.lemma_.lower() not in lexicon()["person_nouns"]:
            people = []
        latest = max([*people, *described], default=None)
        return latest[1] if latest else surface

    def note(self, attr: Attribution, at: int) -> None:
        """Remember a resolved speaker at article offset ``at``."""
        if attr.speaker == UNATTRIBUTED:
            return
        self.speakers.append((at, attr.speaker))
        self.phrases.setdefault(attr.speaker, []).append(attr.phrase or attr.surface)
        if attr.cue_at >= 0:
            self.used_cues.add(attr.cue_at)


# --- cues and speakers in a parse -----------------------------------------------------------


def _is_cue(token: Token) -> bool:
    lex = lexicon()
    lemma = token.lemma_.lower()
    if token.pos_ not in {"VERB", "AUX"} or lemma not in lex["speech_verbs"]:
        return False
    particle = lex["particle_verbs"].get(lemma)
    if particle and not any(c.dep_ == "prt" and c.lower_ == particle for c in token.children):
        return False
    if lemma in lex["silent_cues"] and (
        any(c.dep_ == "neg" for c in token.children)
        or (token.dep_ == "xcomp" and token.head.lemma_.lower() in lex["refusal_verbs"])
    ):
        return False
    if lemma in lex["clause_verbs"]:  # "maintained that …", not "maintain zones"
        return any(c.dep_ in {"ccomp", "xcomp"} for c in token.children)
    return True


@cache
def _naming_pattern() -> re.Pattern:
    cues = "|".join(re.escape(c) for c in lexicon()["naming_cues"])
    name = r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3}"
    return re.compile(rf"\b(?:{cues})\s+[“\"‘']?(?P<name>{name})")


def _definite(noun: Token) -> bool:
    """A description that points back: "the official", "their spokesman"."""
    return any(c.dep_ in {"det", "poss"} and c.lower_ in _DEFINITE for c in noun.children)


def _named(noun: Token) -> bool:
    """A name, not a description, despite its article: "The Foreign Ministry"."""
    return any(c.dep_ in {"compound", "nmod"} and c.pos_ == "PROPN" for c in noun.children)


def cue_words(verb: Token) -> str:
    """The cue as written, with its particle ("pointed out")."""
    return " ".join([verb.text, *(c.text for c in verb.children if c.dep_ == "prt")])


def _subject(verb: Token) -> Token | None:
    """The subject of a cue verb, climbing from "saying …" and "went on to say …"."""
    node = verb
    for _ in range(3):
        # the subject nearest the verb: "Damascus, SANA – The Ministry affirmed" has two
        subjects = [c for c in node.children if c.dep_ in _SUBJECT_DEPS]
        if subjects:
            child = max(subjects, key=lambda c: (c.i < node.i, c.i if c.i < node.i else -c.i))
            # "a technician who said": the person the relative clause describes
            return (
                node.head if child.tag_ == "WP" and node.dep_ == "relcl" else _past_dateline(child)
            )
        for child in node.children:
            if child.dep_ == "agent":
                objs = [g for g in child.children if g.dep_ == "pobj"]
                if objs:
                    return objs[0]
        if not (node.tag_ == "VBG" or node.dep_ in {"xcomp", "conj"}) or node.head is node:
            break
        node = node.head
    # "…,” reported Newsweek: an inverted subject the parser took for an object.
    after = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    if (
        after is not None
        and after.head == verb
        and after.dep_ in {"dobj", "attr", "npadvmod"}
        and (after.pos_ == "PROPN" or after.lower_ in _PERSON_PRONOUNS)
    ):
        return after
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
    whole = doc[token.left_edge.i : token.right_edge.i + 1]
    phrase = _trim(whole)
    # "Akar's critics": a possessor is not the speaker
    people = [e for e in phrase.ents if e.label_ == "PERSON" and e.root.dep_ != "poss"]
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
    while start < end and (
        doc[start].ent_type_ in {"DATE", "TIME"}
        or doc[start].is_punct
        or doc[start].like_num
        or doc[start].lower_ in _CALENDAR
    ):
        start += 1
    for token in doc[start:end]:
        if token.text == "(":
            end = token.i
            break
    while end > start and doc[end - 1].is_punct:
        end -= 1
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


def _phrase_source(span: Span) -> tuple[str, Token] | None:
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
) -> tuple[str, Token, int] | None:
    """(cue, subject, cue offset) closest to character ``near`` in ``span``, outside
    quoted text; ``candidates`` are the block's cue verbs (``BlockDoc.cues``). With the
    ``quote``'s character span, a cue whose clause holds the quoted words wins over a
    nearer one ("Ankara says it targets “terrorists”, while Washington warns …")."""
    impersonal = lexicon()["impersonal_subjects"]
    quoted = [t for t in span if quote[0] <= t.idx < quote[1]] if quote else []
    cues = []
    for token in candidates:
        if not span.start <= token.i < span.end or any(a <= token.idx < b for a, b in skip):
            continue
        subject = _subject(token)
        if subject is not None and subject.lower_ not in impersonal:
            governs = any(token in t.ancestors for t in quoted)
            cues.append((not governs, abs(token.idx - near), cue_words(token), subject, token.idx))
    if cues:
        *_, cue, subject, at = min(cues, key=lambda c: c[:2])
        return cue, subject, at
    found = _phrase_source(span)
    if found and not any(a <= found[1].idx < b for a, b in skip):
        return found[0], found[1], found[1].idx
    return None


def _resolved(found: tuple[str, Token, int] | None, ctx: Context, offset: int) -> Attribution:
    """Attribution from a cue; ``offset`` is the block's offset in the article text."""
    if found is None:
        return Attribution()
    cue, subject, at = found
    surface, head, phrase = speaker_phrase(subject)
    speaker = ctx.resolve(surface, head, offset + subject.idx, phrase)
    return Attribution(surface=surface, cue=cue, speaker=speaker, phrase=phrase, cue_at=offset + at)


# --- quotes of one article ----------------------------------------------------------------


@dataclass
class BlockDoc:
    """One body block of an article: its table values and its parsed doc."""

    block_id: int
    role: str
    reason: str
    start: int  # offset in the article text
    line: int
    wraps: list[int]
    doc: Doc

    @cached_property
    def _scan(self) -> tuple[list[Token], list[Token]]:
        """The block's attribution verbs and its subjects, in one pass over its tokens."""
        cues, subjects = [], []
        for token in self.doc:
            if token.dep_ in {"nsubj", "nsubjpass"}:
                subjects.append(token)
            elif _is_cue(token):
                cues.append(token)
        return cues, subjects

    @property
    def cues(self) -> list[Token]:
        """The block's attribution verbs, found once and shared by every reader."""
        return self._scan[0]

    @property
    def subjects(self) -> list[Token]:
        return self._scan[1]

    @cached_property
    def text(self) -> str:
        """The block's text, made once: ``Doc.text`` joins every token's text when read."""
        return self.doc.text

    def text_of(self, span: Span) -> str:
        """``span.text``, cut from the block's text (a Span too joins its tokens' texts)."""
        return self.text[span.start_char : span.end_char]

    def line_of(self, char: int) -> int:
        return self.line + sum(1 for w in self.wraps if w <= char)


def _split_second_half(text: str, quote: QuoteSpan, spans: list[QuoteSpan]) -> bool:
    """“…,” he said, “and …”: the second half of a split quote continues the first."""
    earlier = [s for s in spans if s.end < quote.start]
    if not earlier:
        return False
    between = text[earlier[-1].end : quote.start]
    return text[earlier[-1].end - 1] == "," and len(between) < 80 and "." not in between


def _kind(text: str, quote: QuoteSpan, has_cue: bool, spans: list[QuoteSpan]) -> str:
    lex = lexicon()
    inner = quote.text(text).strip()
    before = text[: max(0, quote.start - 1)]
    lead = before[-30:].lower()
    if any(re.search(rf"\b{re.escape(c)}\W*$", lead) for c in lex["nickname_cues"]):
        return "scare"
    if not has_cue and len(inner.split()) <= 4 and not quote.missing_open:
        return "scare"
    if _split_second_half(text, quote, spans):
        return "direct"
    opens_sentence = quote.start == 0 or re.search(r"(?:[.!?:…]|^)[\s\"“‘']*$", before)
    return "partial" if inner[:1].islower() or not opens_sentence else "direct"


def _author_voice(block: BlockDoc) -> bool:
    """A paragraph in the author's own voice ends an unmarked blockquote."""
    openers = lexicon()["blockquote"]["author_voice_openers"]
    first = block.doc[0].lower_ if len(block.doc) else ""
    return (
        first in openers
        or bool(block.cues)
        or bool(re.search(r"\b(reportedly|allegedly|according to)\b", block.text, re.I))
    )


def _sentence_words(doc: Doc, char: int) -> set[str]:
    """The folded words of the sentence of ``doc`` that holds character ``char``."""
    sent = next((s for s in doc.sents if s.start_char <= char < s.end_char), None)
    return {fold(t.text) for t in sent} if sent is not None else set()


def _looks_like_name(text: str) -> bool:
    words = text.strip(" ,.;:").split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words)


def article_quotes(blocks: list[BlockDoc], ctx: Context) -> list[dict]:
    """Quotation rows of one article (offsets in the article text); updates ``ctx``."""
    rows: list[dict] = []
    previous: dict | None = None  # the last quote, for continuations
    in_blockquote: Attribution | None = None
    waiting: list[dict] = []  # quotes left open, whose speaker a later paragraph may name

    def add(block: BlockDoc, start: int, end: int, text: str, kind: str, attr: Attribution) -> dict:
        ctx.note(attr, block.start + start)
        row = {
            "block_id": block.block_id,
            "line": block.line_of(start),
            "start": block.start + start,
            "end": block.start + end,
            "text": text,
            "speaker": attr.speaker,
            "speaker_surface": attr.surface,
            "cue": attr.cue,
            "kind": kind,
            "phrase": attr.phrase,
            "cue_at": attr.cue_at,
        }
        rows.append(row)
        return row

    for index, block in enumerate(blocks):
        text = block.text
        if block.role == "embed":
            continue  # posts are read with their attribution line below
        spans = find_quote_spans(text)
        # a subheading or the author's own paragraph ends an unmarked blockquote
        continues = (
            in_blockquote is not None
            and block.role in {"body", "blockquote"}
            and not _author_voice(block)
        )
        if not spans and (block.role == "blockquote" or continues):
            attr = in_blockquote or _colon_intro(blocks[index - 1] if index else None, ctx)
            previous = add(block, 0, len(text), text, "blockquote", attr)
            in_blockquote = attr
            continue
        in_blockquote = None
        skip = [(q.start - 1, q.end + 1) for q in spans]
        if not spans or spans[0].start > 1:
            waiting = []
        for quote in spans:
            attr = _attribute(block, quote, skip, ctx, previous, index, blocks)
            kind = _kind(text, quote, bool(attr.cue), spans)
            inner = quote.text(text).strip()
            if kind == "scare":
                attr = Attribution()
                if _looks_like_name(inner):  # a pseudonym: "dubbed “Sherko Omer”"
                    name = inner.strip(" ,.;:")
                    ctx.persons.append((block.start + quote.start, name))
                    ctx.person_words.setdefault(name, set()).update(
                        _sentence_words(block.doc, quote.start)
                    )
            lead = len(quote.text(text)) - len(quote.text(text).lstrip())
            previous = add(
                block, quote.start + lead, quote.start + lead + len(inner), inner, kind, attr
            )
            # a quote running on from paragraphs that left it open: its speaker is theirs
            if quote is spans[0] and quote.start <= 1 and attr.cue and not attr.inherited:
                for row in waiting:
                    row.update({k: previous[k] for k in _SPEAKER_FIELDS})
                waiting = []
            if quote.unclosed and (attr.inherited or not attr.cue):
                waiting.append(previous)
    rows += _posts(blocks, ctx)
    return sorted(rows, key=lambda r: r["start"])


def _colon_intro(intro: BlockDoc | None, ctx: Context) -> Attribution:
    if intro is None or not intro.text.rstrip().endswith(":"):
        return Attribution()
    last = list(intro.doc.sents)[-1]
    return _resolved(cue_in(last, [], len(intro.text), intro.cues), ctx, intro.start)


def _attribute(
    block: BlockDoc,
    quote: QuoteSpan,
    skip: list[tuple[int, int]],
    ctx: Context,
    previous: dict | None,
    index: int,
    blocks: list[BlockDoc],
) -> Attribution:
    doc = block.doc
    sents = list(doc.sents)
    around = [s for s in sents if s.start_char < quote.end + 1 and s.end_char > quote.start - 1]
    near = quote.start if quote.missing_open else quote.end
    for window in (around, _lead_in(sents, around, quote, block.text)):
        for sent in window:
            found = cue_in(sent, skip, near, block.cues, (quote.start, quote.end))
            if found:
                return _resolved(found, ctx, block.start)
    # A paragraph-long quote with no cue of its own continues the previous one.
    whole = quote.start <= 1 and quote.end >= len(block.text.rstrip(' ”"’')) - 1
    adjacent = {block.block_id, blocks[index - 1].block_id if index else -1}
    if (
        previous is not None
        and previous["speaker"] != UNATTRIBUTED
        and (whole or quote.missing_open)
        and previous["block_id"] in adjacent
    ):
        return Attribution(
            surface=previous["speaker_surface"],
            cue=previous["cue"],
            speaker=previous["speaker"],
            phrase=previous["phrase"],
            cue_at=previous["cue_at"],
            inherited=True,
        )
    return _headline_speaker(block, quote, ctx)


def _headline_speaker(block: BlockDoc, quote: QuoteSpan, ctx: Context) -> Attribution:
    """The speaker a headline names after a colon that follows its opening quotation
    ("‘Turkey is helping Isis’: Kurdish commander speaks out")."""
    if block.role != "headline" or quote.start > 1:
        return Attribution()
    after = re.match(r"[’'”\"]?\s*[:–—]\s*", block.text[quote.end :])
    if after is None:
        return Attribution()
    at = quote.end + after.end()
    chunk = next((c for c in block.doc.noun_chunks if c.start_char == at), None)
    if chunk is None:
        return Attribution()
    surface, head, phrase = speaker_phrase(chunk.root)
    speaker = ctx.resolve(surface, head, block.start + at, phrase)
    return Attribution(surface, "headline", speaker, phrase, block.start + at)


def _lead_in(sents: list[Span], around: list[Span], quote: QuoteSpan, text: str) -> list[Span]:
    """The sentence before a quote that opens a sentence (its lead-in), if any."""
    if not around:
        return []
    first = sents.index(around[0])
    opens = not text[around[0].start_char : quote.start].strip(" “\"‘'")
    return [sents[first - 1]] if opens and first > 0 else []


def _posts(blocks: list[BlockDoc], ctx: Context) -> list[dict]:
    """Embedded social-media posts: the text above each account line is the quote."""
    rows = []
    for index, block in enumerate(blocks):
        match = POST_ATTRIBUTION.match(block.text)
        if block.reason != "embedded post attribution line" or not match:
            continue
        body = []
        j = index - 1
        while (
            j >= 0
            and blocks[j].role == "embed"
            and blocks[j].reason != "embedded post attribution line"
        ):
            body.insert(0, blocks[j])
            j -= 1
        if not body:
            continue
        attr = Attribution(
            surface=match.group("handle"),
            cue="embedded post",
            speaker=match.group("name").strip(),
            phrase=match.group("handle"),
        )
        ctx.note(attr, body[0].start)
        rows.append(
            {
                "block_id": body[0].block_id,
                "line": body[0].line,
                "start": body[0].start,
                "end": body[-1].start + len(body[-1].text),
                "text": _MEDIA_LINK.sub("", "\n".join(b.text for b in body)).strip(),
                "speaker": attr.speaker,
                "speaker_surface": attr.surface,
                "cue": attr.cue,
                "kind": "tweet",
                "phrase": attr.phrase,
                "cue_at": body[0].start,
            }
        )
    return rows


# --- sources ------------------------------------------------------------------------------


def article_sources(blocks: list[BlockDoc], quotes: list[dict], ctx: Context) -> list[dict]:
    """Every attribution in the article, one row per (source, cue): quote speakers,
    reported speech, "according to" phrases, outlets spoken to, embedded accounts."""
    # one event per cue: a split quote ("…,” he said, “…”) is one attribution
    by_cue = {(q["speaker"], q["cue_at"]): q for q in quotes if q["speaker"] != UNATTRIBUTED}
    events = [(q["speaker"], q["phrase"], q["cue"]) for q in by_cue.values()]
    for block in blocks:
        if block.role == "embed":
            continue
        skip = [
            (q["start"] - block.start - 1, q["end"] - block.start + 1)
            for q in quotes
            if q["block_id"] == block.block_id
        ]
        for sent in block.doc.sents:
            events += _sentence_sources(sent, skip, ctx, block.start, block.cues)
    sources = {canonical for canonical, _, _ in events}
    shortest = _shortest_forms(sources)
    named = _named_persons(sources, ctx)
    table: dict[tuple[str, str], dict] = {}
    phrases: dict[str, list[str]] = {}
    for canonical, phrase, cue in events:
        canonical = named.get(canonical) or shortest[canonical]
        phrases.setdefault(canonical, []).append(phrase)
        row = table.setdefault(
            (canonical, cue.lower()), {"source": canonical, "cue": cue.lower(), "n": 0}
        )
        row["n"] += 1
    for row in table.values():
        row["source_type"] = source_type(row["source"], phrases[row["source"]])
    return sorted(table.values(), key=lambda r: (r["source"], r["cue"]))


def _named_persons(sources: set[str], ctx: Context) -> dict[str, str]:
    """A person first described, then named: "A former member of the Islamic State told
    Newsweek …" is the Sherko Omer whom "the former Islamic State technician, dubbed …"
    names, when the description shares two words or more with the sentences that name
    exactly one person who is a source too."""
    person_nouns = set(lexicon()["person_nouns"])
    function_words = _DETERMINERS | set(lexicon()["function_words"])
    # the words of the sentences naming each person source, by full name or surname
    people = {
        s: set().union(*(w for k, w in ctx.person_words.items() if k == s or s.endswith(f" {k}")))
        - function_words
        for s in sources & ctx.person_words.keys()
    }
    out = {}
    for source in sources - people.keys():
        words = fold(source).split()
        # indefinite ("a former member") or bare, as in headlines ("Former ISIS Member says"),
        # and one person ("officials" is not)
        nouns = person_nouns & set(words)
        plural = any(n.endswith("s") and n[:-1] in person_nouns for n in nouns)
        if not words or words[0] in _DEFINITE or not nouns or plural:
            continue
        content = set(words) - function_words
        matches = [p for p, known in people.items() if len(content & known) >= 2]
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


def _sentence_sources(
    sent: Span, skip: list[tuple[int, int]], ctx: Context, offset: int, cues: list[Token]
) -> list[tuple[str, str, str]]:
    """Reported speech and source phrases of one sentence not already used by a quote."""
    found = []
    impersonal = lexicon()["impersonal_subjects"]
    subjects: list[tuple[int, int]] = []
    media = {name for _, name in ctx.media}
    for token in cues:
        if not sent.start <= token.i < sent.end or any(a <= token.idx < b for a, b in skip):
            continue
        if token.lemma_.lower() in {"tell", "speak"}:  # "told Newsweek": the outlet relayed it
            found += [
                (o.text, o.text, cue_words(token).lower())
                for o in token.subtree
                if o.dep_ in {"dobj", "dative", "pobj"}
                and o.text in media
                and o.head in (token, *token.children)
            ]
        if offset + token.idx in ctx.used_cues:
            continue  # its speaker was counted with the quote
        subject = _subject(token)
        if subject is None or subject.lower_ in impersonal:
            continue
        subjects.append((subject.left_edge.i, subject.right_edge.i))
        attr = _resolved((cue_words(token), subject, token.idx), ctx, offset)
        if attr.speaker != UNATTRIBUTED:
            ctx.note(attr, offset + subject.idx)
            found.append((attr.speaker, attr.phrase, attr.cue))
    phrase = _phrase_source(sent)
    if phrase and not any(a <= phrase[1].i <= b for a, b in subjects):
        attr = _resolved((phrase[0], phrase[1], phrase[1].idx), ctx, offset)
        if attr.speaker != UNATTRIBUTED:
            found.append((attr.speaker, attr.phrase, attr.cue))
    return found


def source_type(source: str, phrases: list[str]) -> str:
    """The kind of source, from its name and the phrases used for it (first list wins)."""
    types = lexicon()["source_type"]
    words = " ".join([source, *phrases])
    low = fold(words)
    if "@" in words:
        return "social_media"
    # "Newsweek's source" is a person the outlet spoke to, not the outlet
    if _has_any(_POSSESSOR.sub(" ", low), types["news_media"]):
        return "news_media"
    for name in ("monitor_ngo", "court_legal"):
        if _has_any(low, types[name]):
            return name
    armed = _has_any(low, types["armed_groups"])
    if armed and _has_any(low, types["armed_group_spokesperson"]):
        return "armed_group_spokesperson"
    if _has_any(low, types["armed_group_member"]) and (armed or "former" in low):
        return "armed_group_member"
    if source in types["armed_groups"]:
        return "armed_group_spokesperson"
    for name in (
        "social_media",
        "military_official",
        "government_official",
        "document_statement",
        "local_residents",
    ):
        if _has_any(low, types[name]):
            return name
    if _has_any(low, types["anonymous_official"]) and not _looks_like_name(source):
        return "anonymous_official"  # "a senior official", not a source named by the article
    if any(a.entity == source and a.label == "GPE" for a in aliases().values()):
        return "government_official"  # a state speaking: "Turkey argues …"
    return "other"


_POSSESSOR = re.compile(r"(?:^|(?<=\s))[\w.-]+(?:\s[\w.-]+){0,2}['’]s(?=\s)")


def _has_any(text: str, words: list[str]) -> bool:
    return bool(_word_pattern(tuple(words)).search(text))


@cache
def _word_pattern(words: tuple[str, ...]) -> re.Pattern:
    """One pattern for a word list, matched on folded text as whole words."""
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(fold(w)) for w in words) + r")(?!\w)")


def article_context(mentions: list[dict], blocks: list[BlockDoc]) -> Context:
    """Persons and news outlets the article names, with their offsets: PERSON entities,
    and proper-name subjects of attribution verbs the NER missed ("Muhammed Suad Çelen")."""
    lex = lexicon()
    media_names = {fold(m) for m in lex["source_type"]["news_media"]}
    persons = [(m["start"], m["entity"]) for m in mentions if m["label"] == "PERSON"]
    by_id = {block.block_id: block for block in blocks}
    person_words: dict[str, set[str]] = {}
    for m in mentions:
        if m["label"] == "PERSON" and m["block_id"] in by_id:
            block = by_id[m["block_id"]]
            words = _sentence_words(block.doc, m["start"] - block.start)
            person_words.setdefault(m["entity"], set()).update(words)
    nouns = {*lex["person_nouns"], *lex["body_nouns"]}
    described = [
        (block.start + token.idx, fold(token.text), speaker_phrase(token)[0], token.tag_ == "NNS")
        for block in blocks
        for token in block.subjects
        if token.lemma_.lower() in nouns and (not _definite(token) or _named(token))
    ]
    for block in blocks:
        for token in block.cues:
            subject = _subject(token)
            if (
                subject is None
                or subject.pos_ != "PROPN"
                or subject.ent_type_ in {"ORG", "GPE", "NORP"}
            ):
                continue
            name = [subject]  # the name the subject heads: its flat/compound parts
            while (
                name[0].i > 0
                and name[0].nbor(-1).pos_ == "PROPN"
                and name[0].nbor(-1).is_title
                and name[0].nbor(-1).head == subject
            ):
                name.insert(0, name[0].nbor(-1))
            while name and name[0].lower_ in lex["name_titles"]:
                name.pop(0)
            if len(name) >= 2:
                full = " ".join(t.text for t in name)
                persons.append((block.start + name[0].idx, full))
                person_words.setdefault(full, set()).update(fold(t.text) for t in subject.sent)
    return Context(
        persons=sorted(persons),
        media=[(m["start"], m["entity"]) for m in mentions if fold(m["entity"]) in media_names],
        described=described,
        person_words=person_words,
    )
