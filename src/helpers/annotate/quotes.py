"""Quotations of one article with their speakers.

Quote spans come from the marks (``helpers.annotate.quote_marks``), unmarked blockquotes and
embedded posts from the block roles the cleaner gave. A quote's speaker comes from a cue in
its sentence or the sentence that leads into it, the intro of a colon, the speaker of the
quote it continues, or a headline's "‘quote’: speaker".
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from helpers.annotate.context import (
    UNATTRIBUTED,
    Attribution,
    BlockDoc,
    Context,
    resolve_cue,
    sentence_words,
)
from helpers.annotate.quote_marks import QuoteSpan
from helpers.annotate.speakers import (
    cue_in,
    cue_words,
    is_cue,
    lexicon,
    looks_like_name,
    naming_ahead_pattern,
    naming_pattern,
    speaker_phrase,
    speaks,
    subject_of,
)
from helpers.ingest.clean import POST_ATTRIBUTION
from helpers.schema import QuoteKind

_SPEAKER_FIELDS = ("speaker", "speaker_surface", "cue", "phrase", "cue_at")


_MEDIA_LINK = re.compile(r"\s*\b(?:pic\.twitter\.com|t\.co)/\w+")


def quote_row(
    block_id: int, line: int, start: int, end: int, text: str, kind: QuoteKind, attr: Attribution
) -> dict:
    """A quotes row (without ``doc_id`` and ``quote_id``, which the article adds), with the
    article offset of its cue, which sources use to count each cue once."""
    return {
        "block_id": block_id,
        "line": line,
        "start": start,
        "end": end,
        "text": text,
        "speaker": attr.speaker,
        "speaker_surface": attr.surface,
        "cue": attr.cue,
        "kind": kind,
        "phrase": attr.phrase,
        "cue_at": attr.cue_at,
    }


def _split_second_half(text: str, quote: QuoteSpan, spans: list[QuoteSpan]) -> bool:
    """“…,” he said, “and …”: the second half of a split quote continues the first."""
    earlier = [s for s in spans if s.end < quote.start]
    if not earlier:
        return False
    between = text[earlier[-1].end : quote.start]
    return text[earlier[-1].end - 1] == "," and len(between) < 80 and "." not in between


def _kind(text: str, quote: QuoteSpan, has_cue: bool, spans: list[QuoteSpan]) -> QuoteKind:
    lex = lexicon()
    inner = quote.text(text).strip()
    before = text[: max(0, quote.start - 1)]
    lead = before[-30:].lower()
    if any(re.search(rf"\b{re.escape(c)}\W*$", lead) for c in lex["nickname_cues"]):
        return "scare"
    # a short quote with no speaker is a label; not a paragraph of its own (“Nothing.”)
    whole = quote.start <= 1 and quote.end >= len(text.rstrip(' ”"’')) - 1
    if not has_cue and len(inner.split()) <= 4 and not quote.missing_open and not whole:
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


def article_quotes(blocks: list[BlockDoc], ctx: Context) -> list[dict]:
    """Quotation rows of one article (offsets in the article text); updates ``ctx``."""
    rows: list[dict] = []
    # rows whose speaker the sentences around suggest, or the quote before passed on
    guessed: set[int] = set()
    previous: dict | None = None  # the last quote, for continuations
    in_blockquote: Attribution | None = None
    waiting: list[dict] = []  # quotes left open, whose speaker a later paragraph may name

    def add(
        block: BlockDoc, start: int, end: int, text: str, kind: QuoteKind, attr: Attribution
    ) -> dict:
        ctx.note(attr, block.start + start)
        row = quote_row(
            block.block_id, block.line_of(start), block.start + start, block.start + end, text,
            kind, attr,
        )
        rows.append(row)
        return row

    for index, block in enumerate(blocks):
        text = block.text
        if block.role == "embed":
            continue  # posts are read with their attribution line below
        spans = block.quote_spans
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
                if looks_like_name(inner):  # a pseudonym: "dubbed “Sherko Omer”"
                    name = inner.strip(" ,.;:")
                    ctx.persons.append((block.start + quote.start, name))
                    ctx.person_words.setdefault(name, set()).update(
                        sentence_words(block.doc, quote.start)
                    )
            lead = len(quote.text(text)) - len(quote.text(text).lstrip())
            previous = add(
                block, quote.start + lead, quote.start + lead + len(inner), inner, kind, attr
            )
            if attr.guessed or attr.inherited:
                guessed.add(len(rows) - 1)
            # a quote running on from paragraphs that left it open: its speaker is theirs
            if quote is spans[0] and quote.start <= 1 and attr.cue and not attr.inherited:
                for row in waiting:
                    row.update({k: previous[k] for k in _SPEAKER_FIELDS})
                waiting = []
            if quote.unclosed and (attr.inherited or not attr.cue):
                waiting.append(previous)
        _names_given(block, ctx, [r for r in rows if r["block_id"] == block.block_id])
    rows += _posts(blocks, ctx)
    _repeated_quotes(rows, blocks, ctx, guessed)
    for row in rows:  # described, then named: "A man in his fifties … gave his name as X"
        if row["speaker"] in ctx.aliases:
            row["speaker"] = ctx.resolve(row["speaker"], None, row["start"])
    ctx.speakers = [(at, ctx.aliases.get(s, s)) for at, s in ctx.speakers]
    return sorted(rows, key=lambda r: r["start"])


_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}


def _names_given(block: BlockDoc, ctx: Context, rows: list[dict]) -> None:
    """Names the article gives a person it described: "He gave his name as X", "His first
    name is X", "Can identified him as X", "she asked us to use her name: X", a speaker's
    own "My name is X", and "She agreed to be identified." before the sentence naming her."""
    text = block.text
    found = [*naming_pattern().finditer(text), *naming_ahead_pattern().finditer(text)]
    if not found:
        return  # most paragraphs name no one: their sentences are not walked
    sents = list(block.doc.sents)
    for match in naming_pattern().finditer(text):
        at = match.start()
        inside = [r for r in rows if r["start"] <= block.start + at < r["end"]]
        if inside:  # "My name is Aras Oskari": the speaker of the quote
            if match.group("cue").lower().startswith("my "):
                ctx.name(inside[0]["speaker"], match.group("name"), block.start + at)
            continue
        if block.quoted_at(at):
            continue
        _name_pronoun(block, sents, at, match.end("cue"), match.group("name"), ctx)
    for match in naming_ahead_pattern().finditer(text):
        here = next((i for i, s in enumerate(sents) if s.start_char <= match.start() < s.end_char))
        if here + 1 < len(sents):
            people = [e for e in sents[here + 1].ents if e.label_ == "PERSON"]
            if people:
                name = people[0].text
                _name_pronoun(block, sents, match.start(), match.end(), name, ctx)


def _name_pronoun(
    block: BlockDoc, sents: list[Span], start: int, end: int, name: str, ctx: Context
) -> None:
    """Name the person the pronoun before character ``end`` stands for, unless the naming
    lies inside a speaker's own phrase ("One man, who gave his name as X, said")."""
    sent = next((s for s in sents if s.start_char <= start < s.end_char), None)
    if sent is None:
        return
    tokens = [t for t in sent if t.idx < end]
    if any(
        t.dep_ == "nsubj"
        and is_cue(t.head)
        and t.lower_ not in _PRONOUN_GENDER
        and t.left_edge.idx <= start <= t.right_edge.idx + 1
        for t in sent
    ):
        return
    pronouns = [t for t in tokens if t.lower_ in _PRONOUN_GENDER]
    if not pronouns:
        return
    gender = _PRONOUN_GENDER[pronouns[-1].lower_]
    described = ctx.resolve("he" if gender == "m" else "she", None, block.start + pronouns[0].idx)
    if described != UNATTRIBUTED:
        ctx.name(described, name, block.start + start, gender)


_QA_LABEL = re.compile(r"^(?P<label>[A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,3}):\s+\S")


def _answers(blocks: list[BlockDoc], ctx: Context) -> list[tuple[BlockDoc, str]]:
    """The paragraphs of a question-and-answer interview that a person speaks: labelled
    with their name or initials ("Nell Ashby: …", "NA: …")."""
    names = [n for n in ctx.person_names if " " in n]
    found = []
    for block in blocks:
        match = _QA_LABEL.match(block.text)
        if not match:
            continue
        label = match.group("label")
        initials = [n for n in names if "".join(w[0] for w in n.split()) == label]
        person = label if label in names else initials[0] if len(initials) == 1 else None
        if person:
            found.append((block, person))
    return found


_SUMMARY_ROLES = {"headline", "standfirst", "subheading"}


def _repeated_quotes(
    rows: list[dict], blocks: list[BlockDoc], ctx: Context, guessed: set[int]
) -> None:
    """A quote repeating words the article quotes elsewhere is theirs: a pull quote, a
    headline's or subheading's quote (which wins over the headline's own summary "Kurds
    say …"), words quoted again without a cue, or words of an interview answer ("SL: …").
    Their words in order, gaps allowed ("If the border opened … the town would not
    fall")."""
    answers = [
        (block.block_id, re.findall(r"\w+", block.text.lower()), person)
        for block, person in _answers(blocks, ctx)
    ]
    roles = {b.block_id: b.role for b in blocks}
    words = [re.findall(r"\w+", r["text"].lower()) for r in rows]
    sources = [
        i
        for i, r in enumerate(rows)
        if r["speaker"] != UNATTRIBUTED
        and r["kind"] != "scare"
        and roles.get(r["block_id"]) not in _SUMMARY_ROLES
        and i not in guessed
    ]
    for i, row in enumerate(rows):
        summary = roles.get(row["block_id"]) in _SUMMARY_ROLES
        if row["kind"] == "scare" or len(words[i]) < 3:
            continue
        if row["speaker"] != UNATTRIBUTED and not summary and i not in guessed:
            continue
        for j in sources:
            if j != i and len(words[j]) >= len(words[i]) and _in_order(words[i], words[j]):
                row.update({k: rows[j][k] for k in _SPEAKER_FIELDS})
                break
        else:
            for block_id, said, person in answers:
                if block_id != row["block_id"] and _in_order(words[i], said):
                    attr = Attribution(surface=person, cue="answer", speaker=person)
                    row.update({k: getattr(attr, k) for k in ("speaker", "cue")})
                    row.update(speaker_surface=person, phrase=person, cue_at=-1)
                    break


def _in_order(part: list[str], whole: list[str]) -> bool:
    """Whether the words of ``part`` appear in ``whole`` in order (gaps allowed), the
    first and the last next to their neighbours."""
    it = iter(whole)
    if not all(word in it for word in part):
        return False
    text = " ".join(whole)
    return " ".join(part[:2]) in text and " ".join(part[-2:]) in text


def _colon_intro(intro: BlockDoc | None, ctx: Context) -> Attribution:
    if intro is None or not intro.text.rstrip().endswith(":"):
        return Attribution()
    last = list(intro.doc.sents)[-1]
    found = cue_in(last, [], len(intro.text), intro.cues)
    if found is None:
        # "The report is blunt:", "The minister was unequivocal:": a document or a person
        # introduces the words without a verb of saying
        lex = lexicon()
        speakers = {*lex["document_nouns"], *lex["person_nouns"]}
        found = next(
            (
                ("colon", c, c.idx)
                for c in last.root.children
                if c.dep_ == "nsubj"
                and (c.lemma_.lower() in speakers or c.ent_type_ == "PERSON")
            ),
            None,
        )
    return resolve_cue(found, ctx, intro.start)


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
    lead_in = _lead_in(sents, around, quote, block.text)
    trailing = _trailing(sents, quote, block.text)
    # “Why …?” Mr. Clyburn said: a question or exclamation ends its sentence, so the
    # attribution after it is a sentence of its own, and it speaks for the quote before
    # the sentence that leads into it does
    asks = block.text[: quote.end].rstrip()[-1:] in "?!"
    cues = block.cues
    # only the verb a trailing attribution is built on: "The words came from X, who said
    # …" is no attribution of its own
    roots = [t for t in cues if any(t == s.root for s in trailing)]
    windows = [(around, cues, True), (lead_in, cues, True)]
    windows.insert(1 if asks else 2, (trailing, roots, False))
    for window, candidates, phrases in windows:
        for sent in window:
            found = cue_in(sent, skip, near, candidates, (quote.start, quote.end), phrases)
            if found:
                return resolve_cue(_relayed(found), ctx, block.start)
    owned = _owned_saying(around, quote)
    if owned:
        return resolve_cue(owned, ctx, block.start)
    whole = quote.start <= 1 and quote.end >= len(block.text.rstrip(' ”"’')) - 1
    after = blocks[index + 1] if index + 1 < len(blocks) else None
    # the sentence after the quote, or for a paragraph-long quote the next paragraph's
    # first: an attribution ("Ilse Brandvik, 52, …, said she would stay") or words that
    # point back at the quote ("That warning came from X", "Those words, from X")
    if trailing:
        following = (trailing[0], block)
    elif whole and after is not None and after.role == "body" and len(after.doc):
        first = next(iter(after.doc.sents))
        following = (first, after) if _opens_with_speaker(first) else None
    else:
        following = None
    if following is not None:
        pointed = _pointed_back(*following)
        if pointed:
            return resolve_cue(pointed, ctx, following[1].start)
    # A paragraph-long quote with no cue of its own continues the previous one.
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
    if following is not None and following[1] is not block:
        sent, owner = following
        roots = [t for t in owner.cues if t == sent.root and not owner.quoted(t)]
        found = cue_in(sent, [], sent.start_char, roots, None, False)
        if found:
            return resolve_cue(found, ctx, owner.start)
    # the person the words before it are about: "she answered in one word.", "I asked
    # the mayor’s office … The answer was short.", "When I asked, she shrugged. “…”"
    opens = not block.text[: quote.start].strip(" “\"‘'") or bool(lead_in)
    if opens and (whole or lead_in):
        if lead_in:
            before, owner = [*sents[: sents.index(lead_in[0]) + 1]], block
        elif index and blocks[index - 1].role == "body":
            owner = blocks[index - 1]
            before = list(owner.doc.sents)
        else:
            before, owner = [], block
        found = _lead_speaker(before[-2:], owner)
        if found:
            attr = resolve_cue(found, ctx, owner.start)
            attr.guessed = True
            return attr
    return _headline_speaker(block, quote, ctx)


def _relayed(found: tuple[str, Token, int]) -> tuple[str, Token, int]:
    """"The daily, quoting an unnamed official, branded the pictures “propaganda”": the
    words are the official's, the outlet relays them."""
    cue, subject, at = found
    verb = subject.head
    for child in [*subject.children, *verb.children]:
        if child.dep_ in {"acl", "advcl"} and child.lemma_.lower() in lexicon()["relay_verbs"]:
            objs = [g for g in child.children if g.dep_ == "dobj"]
            if objs and child.tag_ == "VBG":
                return cue, objs[0], at
    return found


def _owned_saying(around: list[Span], quote: QuoteSpan) -> tuple[str, Token, int] | None:
    """"the water board's claim that the pipes had been “completely replaced”": the possessor
    of a noun of saying whose clause holds the quote."""
    nouns = set(lexicon()["saying_nouns"])
    for sent in around:
        inside = [t for t in sent if quote.start <= t.idx < quote.end]
        for token in sent:
            if token.lemma_.lower() not in nouns or not inside:
                continue
            owners = [c for c in token.children if c.dep_ == "poss" and c.pos_ != "PRON"]
            if owners and all(token in t.ancestors for t in inside):
                return (token.text, owners[0], owners[0].idx)
    return None


# Nouns for words said, which a sentence after a quote points back with ("That warning
# came from X", "The words came from X", "That is the view of X").
_SAID_NOUNS = {"word", "words", "warning", "view", "verdict", "assessment", "comment",
               "message", "remark", "plea", "reply", "answer", "response", "claim", "line"}
_ASKING = {"ask", "question", "contact", "call", "email", "reach", "approach", "press"}


def _pointed_back(sent: Span, owner: BlockDoc) -> tuple[str, Token, int] | None:
    """The speaker a sentence names when it opens by pointing back at the quote before it
    ("That was how Petra Vohl summed it up", "Those words, from Dilys Fairweather, …")."""
    first = next((t for t in sent if not t.is_punct), None)
    if first is None:
        return None
    demonstrative = first.lower_ in {"that", "this", "those", "these"}
    said = first.lower_ == "the" and first.head.lower_ in _SAID_NOUNS
    if not (demonstrative or said):
        return None
    outside = [t for t in sent if not owner.quoted(t)]
    people = [t for t in outside if t.ent_type_ == "PERSON" and t.dep_ != "compound"]
    # "came from X", "the view of X", "That was X": the name the sentence turns on
    named = [
        t
        for t in outside
        if t.pos_ == "PROPN"
        and ((t.dep_ == "pobj" and t.head.lower_ in {"from", "of", "by"}) or t.dep_ == "attr")
    ]
    found = people or named or [t for t in outside if t.ent_type_ == "ORG"]
    return ("said", found[0], found[0].idx) if found else None


def _lead_speaker(sents: list[Span], owner: BlockDoc) -> tuple[str, Token, int] | None:
    """Who the sentences before a quote with no cue of its own make its speaker: the
    subject of the last cue (whom the author asked, when the author asked), else the
    person the last sentence is about; a last sentence about the answer itself ("The reply
    came back within a minute.") passes to the one before."""
    for sent in reversed(sents):
        cues = [t for t in owner.cues if sent.start <= t.i < sent.end and not owner.quoted(t)]
        for token in cues:  # the author asked someone: the one asked answers
            subject = subject_of(token)
            if subject is not None and subject.lower_ in {"i", "we"}:
                asked = [c for c in token.children if c.dep_ in {"dobj", "dative"}]
                if token.lemma_.lower() in _ASKING and asked and asked[0].pos_ != "PRON":
                    return (cue_words(token), asked[0], asked[0].idx)
        # the sentence's main cue: "X said the trust spent the week asking …" is X's
        for token in sorted(cues, key=lambda t: (len(list(t.ancestors)), -t.i)):
            subject = subject_of(token)
            if subject is not None and speaks(token, subject, []):
                return (cue_words(token), subject, token.idx)
        root = sent.root
        subjects = [c for c in root.children if c.dep_ == "nsubj"]
        if not subjects:
            continue
        subject = subjects[0]
        if subject.lemma_.lower() in _SAID_NOUNS:
            continue  # "The answer was short.": whose, the sentence before says
        if _speaker_like(subject):
            return (root.text.lower(), subject, subject.idx)
        return None
    return None


def _speaker_like(token: Token) -> bool:
    """A person or a named organisation: someone a quote can be given to."""
    lex = lexicon()
    return (
        token.ent_type_ in {"PERSON", "ORG"}
        or token.lower_ in {"he", "she"}
        or token.lemma_.lower() in lex["person_nouns"]
        or (token.pos_ == "PROPN" and token.ent_type_ not in {"GPE", "LOC", "DATE", "NORP"})
    )


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


def _trailing(sents: list[Span], quote: QuoteSpan, text: str) -> list[Span]:
    """The sentence right after a quote that ends its own sentence, when that sentence is
    an attribution: it opens with its speaker or its cue ("Mr. Clyburn said.", "said
    Mr. Clyburn", "Berfin Sido, 40, who fled …, said she would stay")."""
    after = next((s for s in sents if s.start_char >= quote.end), None)
    if after is None or text[quote.end : after.start_char].strip(" ”\"’'"):
        return []
    return [after] if _opens_with_speaker(after) else []


def _opens_with_speaker(sent: Span) -> bool:
    """A sentence that opens with its subject or its verb ("Mr. Clyburn said.", "said
    Mr. Clyburn", "That warning came from X"), not with a clause ("Asked what …, X …")."""
    root = sent.root
    subjects = [c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}]
    start = next((t.i for t in sent if not t.is_punct), sent.start)
    return root.i == start or any(c.left_edge.i == start for c in subjects)


def _posts(blocks: list[BlockDoc], ctx: Context) -> list[dict]:
    """Embedded social-media posts: the text above each account line is the quote."""
    rows = []
    for index, block in enumerate(blocks):
        match = POST_ATTRIBUTION.match(block.text)
        if block.rule != "post_attribution" or not match:
            continue
        body = []
        j = index - 1
        while j >= 0 and blocks[j].role == "embed" and blocks[j].rule != "post_attribution":
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
        attr.cue_at = body[0].start  # the post is its own cue; noted above as uncued
        text = _MEDIA_LINK.sub("", "\n".join(b.text for b in body)).strip()
        end = body[-1].start + len(body[-1].text)
        first = body[0]
        rows.append(quote_row(first.block_id, first.line, first.start, end, text, "tweet", attr))
    return rows
