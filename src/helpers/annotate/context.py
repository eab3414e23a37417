"""What an article has named up to a point, and the body blocks it is read from.

Pronouns, "the magazine", surnames and definite descriptions ("the officials") are
resolved against the persons, outlets and speakers named before that point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, cached_property

from spacy.tokens import Doc, Span, Token

from helpers.annotate.quote_marks import QuoteSpan, find_quote_spans
from helpers.annotate.speakers import (
    DETERMINERS,
    PERSON_PRONOUNS,
    is_cue,
    is_definite,
    is_named,
    lexicon,
    naming_pattern,
    speaker_phrase,
    subject_of,
)
from helpers.schema import BlockRule
from helpers.text import fold

_GROUP_PRONOUNS = {"they", "them"}


_GOVERNING = "for|of|to|with|by|from|against"  # "the lawyer for X" is not X


_GENERIC_DOCUMENTS = {"document", "text", "paper", "file"}


_PLACES = {"GPE", "LOC", "FAC"}


UNATTRIBUTED = "unattributed"


@dataclass
class Attribution:
    """Who an utterance or a piece of information is attributed to."""

    surface: str = ""
    cue: str = ""
    speaker: str = UNATTRIBUTED
    phrase: str = ""  # the whole subject phrase ("Celen's lawyer, Ali Aksoy")
    cue_at: int = -1  # article offset of the cue word
    inherited: bool = False  # taken from the quote before, not from a cue of its own
    guessed: bool = False  # read from the sentences around, with no cue of the quote's own


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
    # the subjects of every cue verb of the article, in order: (offset, subject)
    reporters: list[tuple[int, Token]] = field(default_factory=list)
    # the documents it names ("a statement", "its ruling"): (offset, noun)
    documents: list[tuple[int, Token]] = field(default_factory=list)
    # persons named as subjects or in appositions, who "he" and "she" may stand for, and
    # the offsets of the other names the tagger took for persons ("reached Tal Tamr")
    mentions: list[tuple[int, str]] = field(default_factory=list)
    quiet: set[int] = field(default_factory=set)
    # the titles and roles each person is named with ("Defence Minister X", "X, a spokesman")
    titles: list[tuple[int, str, frozenset[str]]] = field(default_factory=list)
    # organisations named: (offset, name)
    organisations: list[tuple[int, str]] = field(default_factory=list)
    # evidence of each person's gender: name -> list of "m" / "f"
    genders: dict[str, list[str]] = field(default_factory=dict)
    # a described speaker the article later names: "A man in his seventies" -> "Idris Vanlo"
    aliases: dict[str, str] = field(default_factory=dict)

    @property
    def person_names(self) -> set[str]:
        return {name for _, name in self.persons}

    def speakers_before(self, at: int) -> list[str]:
        return [name for pos, name in sorted(self.speakers) if pos < at]

    def resolve(self, surface: str, head: Token | None, at: int, phrase: str = "") -> str:
        """A canonical name for a speaker surface at article offset ``at``; the surface
        itself when it cannot be resolved. A known name inside the whole subject phrase
        wins ("the technician – dubbed “Sherko Omer” – said"); a person's name is the
        article's fullest spelling of it ("Mrs Kaya" is Aylin Kaya)."""
        found = self._resolve(surface, head, at, phrase)
        found = self.aliases.get(found, found)
        return self.canonical(found) if found in self.person_names else found

    def name(self, described: str, name: str, at: int, gender: str | None = None) -> None:
        """The article names the person it described (``described``, a speaker phrase) as
        ``name`` at offset ``at``: both stand for the name from now on, and before."""
        words = [w for w in name.split() if fold(w) not in lexicon()["name_titles"]]
        if not words:
            return
        name = " ".join(words)
        self.persons.append((at, name))
        if gender:
            self.genders.setdefault(name, []).append(gender)
        if described and described != name and described not in self.person_names:
            self.aliases[described] = self.canonical(name)

    def _resolve(self, surface: str, head: Token | None, at: int, phrase: str) -> str:
        lex = lexicon()
        # a description naming its person (not a name with a clause naming another)
        described = head is None or head.ent_type_ != "PERSON"
        for name in sorted(self.person_names, key=lambda n: (-len(n), n)) if described else ():
            possessor = f"{name}'s" in phrase or f"{name}’s" in phrase  # "Akar's critics"
            # "the lawyer for Ali Aksoy", "the wife of X": another person
            governed = re.search(rf"\b(?:{_GOVERNING})\s+{re.escape(name)}", phrase)
            if len(name.split()) > 1 and name in phrase and not possessor and not governed:
                return name
        named = naming_pattern().search(phrase)
        if named:  # "one man, who gave his name as Mustafa"
            self.persons.append((at, named.group("name")))
            return named.group("name")
        words = surface.split()
        low = fold(surface)
        earlier = self.speakers_before(at)
        if low in PERSON_PRONOUNS:
            return self._person(low, at)
        if low == "it":
            return self.institution(at)
        if low in _GROUP_PRONOUNS:
            group = self._group(at)
            if group:
                return group
            groups = [s for s in earlier if s not in self.person_names]
            return groups[-1] if groups else UNATTRIBUTED
        if head is not None and head.lemma_.lower() in _document_words():
            issuer = self._issuer(head, at - head.idx)
            if issuer:
                return issuer
        media = [name for pos, name in self.media if pos < at]
        if head is not None and head.lemma_.lower() in lex["media_nouns"] and media:
            return media[-1]
        full = self._full_name(words[-1]) if words else None
        if full and (len(words) == 1 or head is None or head.ent_type_ == "PERSON"):
            return full
        if len(words) == 1 and words[0][:1].isupper():  # "Nesrin": her full name
            first = self._first_name(words[0])
            if first:
                return first
        counted = _partitive(head) if head is not None else None
        if counted is not None and is_definite(counted):  # "one of the two guards"
            group = self._described_group(counted, at)
            if group:
                words = group.split()
                while words and (fold(words[0]) in DETERMINERS or words[0].isdigit()):
                    words.pop(0)
                return f"{head.text.lower()} of the {' '.join(words)}"
        definite = (bool(words) and fold(words[0]) == "the") or (
            head is not None and is_definite(head)
        )
        if (
            head is not None
            and definite
            and head.is_lower  # "the minister", tagged a noun or, wrongly, a name
            and head.tag_ not in {"NNS", "NNPS"}
            and not _has_name(head)
        ):
            titled = self._titled(head, at)
            if titled:
                return titled
            if head.lemma_.lower() in lex["org_nouns"]:
                organisation = self._organisation(head, at)
                if organisation:
                    return organisation
        if (
            head is not None
            and head.lemma_.lower() in {*lex["person_nouns"], *lex["body_nouns"]}
            and definite
            and not _has_name(head)
        ):
            return self._antecedent(head, surface, earlier, at)
        return surface

    def personal(self, token: Token) -> bool:
        """A subject that is a person: a part of a name the article gives a person ("Finch
        said", whatever the tagger thought), a person's name or a description of one."""
        if token.pos_ == "PROPN" and any(
            token.text in name.split() for name in self.person_names if " " in name
        ):
            return True
        return _personal(token)

    def canonical(self, name: str) -> str:
        """A person's fullest spelling in the article ("Mrs Kaya" is Aylin Kaya)."""
        words = [w for w in name.split() if fold(w) not in lexicon()["name_titles"]]
        if not words:
            return name
        full = self._full_name(words[-1])
        if full:
            full = " ".join(w for w in full.split() if fold(w) not in lexicon()["name_titles"])
        if full and len(full.split()) >= len(words):
            return full
        if len(words) == 1:
            return self._first_name(words[0]) or words[0]
        return " ".join(words)

    def gender(self, name: str) -> str | None:
        """"m", "f" or None: what the article says of a person named or described."""
        lex = lexicon()
        votes = list(self.genders.get(name, []))
        for word in fold(name).split():
            if word in lex["male_words"]:
                votes.append("m")
            elif word in lex["female_words"]:
                votes.append("f")
        if not votes:
            return None
        male, female = votes.count("m"), votes.count("f")
        return "m" if male > female else "f" if female > male else None

    def _person(self, pronoun: str, at: int) -> str:
        """Who "he" or "she" stands for: the person who spoke, was named as a subject or
        was described last, skipping those the article gives the other gender."""
        lex = lexicon()
        people = [(pos, s) for pos, s in self.speakers if s in self.person_names]
        people += [(pos, self.canonical(name)) for pos, name in self.mentions]
        # names found otherwise: pseudonyms ("dubbed “Sherko Omer”"), cue subjects
        people += [(pos, self.canonical(n)) for pos, n in self.persons if pos not in self.quiet]
        people += [
            (pos, p)
            for pos, w, p, plural in self.described
            if not plural and w in lex["person_nouns"]
        ]
        want = "f" if pronoun in {"she", "her"} else "m"
        fits = [
            (pos, s)
            for pos, s in people
            if pos < at and self.gender(s) in {None, want} and not self._organisation_part(s)
        ]
        # the latest person reported as speaking ("Finch said he …")
        for pos, token in reversed(self.reporters):
            if pos >= at or not self.personal(token) or token.pos_ == "PRON" or _plural(token):
                continue
            name = self._name_of(token, pos - token.idx)
            if (
                name != UNATTRIBUTED
                and self.gender(name) in {None, want}
                and not self._organisation_part(name)
            ):
                fits.append((pos, name))
                break
        latest = max(fits, default=None)
        if latest is None:
            return UNATTRIBUTED
        self.genders.setdefault(latest[1], []).append(want)
        return latest[1]

    def _organisation_part(self, name: str) -> bool:
        """A name the tagger took for a person that opens an organisation the article names
        ("Chamber warns" in a headline, of "the Chamber of Commerce"): no "he" or "she"."""
        words = fold(name).split()
        return any(
            fold(org).removeprefix("the ").split()[: len(words)] == words
            for _, org in self.organisations
        )

    def _titled(self, head: Token, at: int) -> str | None:
        """"The minister" is the person last named with that title ("Transport Minister
        Marta Kovács", "Polat Can, a spokesman for the SDF"), unless a source described
        with the same word spoke since."""
        word = head.lemma_.lower()
        named = [(pos, name) for pos, name, words in self.titles if pos < at and word in words]
        if not named:
            return None
        pos, name = max(named)
        key = fold(head.text)
        if any(p > pos and p < at and w == key for p, w, _, _ in self.described):
            return None
        return self.canonical(name)

    def _organisation(self, head: Token, at: int) -> str | None:
        """"The bank" is the organisation named last whose name has the word ("Eastmoor
        Savings Bank"), else, for a company or club, the organisation named last."""
        word = fold(head.lemma_)
        before = [(pos, name) for pos, name in self.organisations if pos < at]
        having = [n for _, n in before if word in fold(n).split()]
        if having:
            return max(having, key=lambda n: (n in having[-1:], len(n)))
        if before and word in {"company", "club", "firm", "consortium", "lender"}:
            return before[-1][1]
        return None

    def _described_group(self, noun: Token, at: int) -> str | None:
        """The group described before with the same word ("Two border guards at the
        checkpoint"), which "one of the two guards" is one of."""
        key = fold(noun.text)
        groups = [(pos, p) for pos, w, p, plural in self.described if plural and w == key]
        latest = max(((pos, p) for pos, p in groups if pos < at), default=None)
        return latest[1] if latest else None

    def _first_name(self, first: str) -> str | None:
        matches = {p for p in self.person_names if len(p.split()) > 1 and p.split()[0] == first}
        return next(iter(matches)) if len(matches) == 1 else None

    def _name_of(self, token: Token, base: int) -> str:
        """The canonical name of the phrase ``token`` heads (``base``: its block's offset)."""
        if token.lower_ in {"its", "it"}:
            return self.institution(base + token.idx)
        if token.lower_ in {"their", "they"}:
            return self._group(base + token.idx) or UNATTRIBUTED
        surface, head, phrase = speaker_phrase(token)
        return self.resolve(surface, head, base + token.idx, phrase)

    def _issuer(self, noun: Token, base: int) -> str | None:
        """Who issued the document ``noun`` names: its own issuer ("the indictment, drafted
        by X", "a copy of the order issued by X", "X's report"), else, for "the statement",
        the issuer of the latest statement named before, else the latest institution."""
        lex = lexicon()
        if noun.lemma_.lower() in lex["document_parts"]:
            of = [g for c in noun.children if c.lower_ == "of" for g in c.children]
            documents = [g for g in of if g.lemma_.lower() in lex["document_nouns"]]
            if not documents:
                return None
            noun = documents[0]
        own = issuer_of(noun)
        at = base + noun.idx
        if own is not None:
            # a joint statement ("the three countries issued a joint statement") speaks for
            # no one institution: it stays the statement
            return None if _several(own) else self._name_of(own, base)
        if not is_definite(noun):
            return None
        lemma = noun.lemma_.lower()
        generic = lemma in _GENERIC_DOCUMENTS  # "The document" is the memo named before
        earlier = [
            (pos, t)
            for pos, t in self.documents
            if pos < at and (t.lemma_.lower() == lemma or (generic and t.i != noun.i))
        ]
        for pos, document in reversed(earlier):
            issuer = issuer_of(document)
            if issuer is not None:
                return None if _several(issuer) else self._name_of(issuer, pos - document.idx)
        if earlier:  # named before, by no one: the document itself
            document = earlier[-1][1]
            return speaker_phrase(document)[0] if document.lemma_.lower() != lemma else None
        found = self.institution(at)
        return found if found != UNATTRIBUTED else None

    def institution(self, at: int) -> str:
        """What "it" stands for: the latest institution or document that spoke or was
        named as issuing something before ``at`` (a document stands for its issuer)."""
        candidates = [(pos, t) for pos, t in self.reporters if pos < at and not self.personal(t)]
        candidates += [
            (pos, t)
            for pos, t in self.documents
            if pos < at
            and (issuer := issuer_of(t)) is not None
            and not _personal(issuer)
            and not _several(issuer)
        ]
        for pos, token in sorted(candidates, key=lambda c: c[0], reverse=True):
            if token.lower_ in lexicon()["impersonal_subjects"] or token.pos_ == "PRON":
                continue
            if token.lemma_.lower() in lexicon()["document_nouns"] and not is_definite(token):
                issuer = issuer_of(token)
                if issuer is None:
                    continue
                return self._name_of(issuer, pos - token.idx)
            name = self._name_of(token, pos - token.idx)
            unresolved = fold(name).split()[-1:] == [fold(token.text)] and (
                token.lemma_.lower() in _document_words()
            )  # a document no one is named as issuing stands for no institution
            if unresolved or name == UNATTRIBUTED or fold(name) in _GROUP_PRONOUNS | {"it"}:
                continue
            return name
        return UNATTRIBUTED

    def _group(self, at: int) -> str | None:
        """What "they" stands for: the latest plural speaker ("two security officials")."""
        for pos, token in reversed(self.reporters):
            if pos < at and token.pos_ != "PRON" and _plural(token):
                name = self._name_of(token, pos - token.idx)
                return name if name != UNATTRIBUTED else None
        return None

    def _full_name(self, last: str) -> str | None:
        """The longest name of two words or more that ends with ``last``."""
        matches = sorted(
            p for p in self.person_names if " " in p and fold(p.split()[-1]) == fold(last)
        )
        return max(matches, key=len) if matches else None

    def _antecedent(self, head: Token, surface: str, earlier: list[str], at: int) -> str:
        """A definite description names an earlier source: "the officials" the officials
        quoted before, else the person who spoke last or the source an earlier sentence
        described with the same word, whichever came later."""
        # the head word as written: "the official" is not "the officials"
        word = re.compile(rf"(?<!\w){re.escape(fold(head.text))}(?!\w)")
        # its head word in the earlier source's name, not in a modifier ("the ministry" is
        # not "a senior official at the education ministry")
        named = [s for s in earlier if word.search(fold(s))]
        if named:
            return named[0]
        # "the former member" is the person who spoke last and was described with one of
        # its words ("the former technician"), or the "a senior official" an earlier
        # sentence reported, whichever came later
        key = fold(head.text)
        content = set(fold(surface).split()) - DETERMINERS
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


def resolve_cue(found: tuple[str, Token, int] | None, ctx: Context, offset: int) -> Attribution:
    """Attribution from a cue; ``offset`` is the block's offset in the article text."""
    if found is None:
        return Attribution()
    cue, subject, at = found
    surface, head, phrase = speaker_phrase(subject)
    speaker = ctx.resolve(surface, head, offset + subject.idx, phrase)
    return Attribution(surface=surface, cue=cue, speaker=speaker, phrase=phrase, cue_at=offset + at)


@cache
def _document_words() -> frozenset[str]:
    lex = lexicon()
    return frozenset({*lex["document_nouns"], *lex["document_parts"]})


def _personal(token: Token) -> bool:
    """A subject that names or describes a person, not an institution or a document."""
    lex = lexicon()
    if token.ent_type_ == "PERSON" or token.lower_ in PERSON_PRONOUNS | {"i", "we", "you"}:
        return True
    if token.ent_type_ in {"ORG", "GPE", "NORP", "FAC", "LOC"}:
        return False
    lemma = token.lemma_.lower()
    if lemma in {*lex["body_nouns"], *lex["media_nouns"], *lex["document_nouns"]}:
        return False
    return lemma in lex["person_nouns"] or token.pos_ == "PROPN"


def _partitive(token: Token) -> Token | None:
    """The noun of "one of the defendants", "two of them": what the number counts."""
    if token.pos_ not in {"NUM", "PRON"} and token.lower_ != "one":
        return None
    for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"):
        objs = [g for g in prep.children if g.dep_ == "pobj"]
        if objs:
            return objs[0]
    return None


def _has_name(head: Token) -> bool:
    """A description holding a proper name ("the Izmir chief prosecutor's office")."""
    return any(t.pos_ == "PROPN" for t in head.subtree if t.i < head.i)


def _several(token: Token) -> bool:
    """Several issuers ("the three countries", "X and Y"), not one institution with a plural
    name ("the Syrian Democratic Forces")."""
    return token.tag_ == "NNS" or any(c.dep_ == "conj" for c in token.children)


def _plural(token: Token) -> bool:
    return token.tag_ in {"NNS", "NNPS"} or any(c.dep_ == "conj" for c in token.children)


def issuer_of(noun: Token) -> Token | None:
    """The issuer a document noun names itself: "X's report", "its ruling", "a statement
    from X", "the order, issued by X", "X said in a statement", "X issued a statement"."""
    lex = lexicon()
    head = noun.head
    found: Token | None = None
    if (
        noun.dep_ == "pobj"
        and head.lower_ in {"in", "through", "via", "with"}
        and head.head.pos_ in {"VERB", "AUX"}
    ):  # "X said in its statement", "In its ruling, the court found": X, the court
        found = subject_of(head.head)
    elif noun.dep_ == "dobj" and head.lemma_.lower() in lex["issue_verbs"]:
        found = subject_of(head)
    for child in noun.children:
        if found is not None:
            break
        if child.dep_ == "poss":
            found = child
        elif child.dep_ == "prep" and child.lower_ in {"from", "by"}:
            found = next((g for g in child.children if g.dep_ == "pobj"), None)
            if found is not None and child.lower_ == "from" and found.ent_type_ in _PLACES:
                found = None  # "a report from Rojava" comes from a place, not an issuer
        elif child.dep_ == "acl" and child.lemma_.lower() in lex["issue_verbs"]:
            # "the order, issued by X", not "a memo seen by the Courier"
            agents = [g for g in child.children if g.dep_ == "agent"]
            found = next((g for a in agents for g in a.children if g.dep_ == "pobj"), None)
    if found is not None and found.lower_ in {"my", "your", "our", "i", "you", "we"}:
        return None  # the author's or the reader's: "your activation email"
    return found


@dataclass
class BlockDoc:
    """One body block of an article: its table values and its parsed doc."""

    block_id: int
    role: str
    rule: BlockRule  # why the cleaner gave the role: readers decide on it, not on words
    start: int  # offset in the article text
    line: int
    wraps: list[int]
    doc: Doc

    @cached_property
    def _scan(self) -> tuple[list[Token], list[Token], list[Token]]:
        """The block's attribution verbs, its subjects and the documents it names, in one
        pass over its tokens."""
        cues, subjects, documents = [], [], []
        words = set(lexicon()["document_nouns"])
        for token in self.doc:
            if token.dep_ in {"nsubj", "nsubjpass"}:
                subjects.append(token)
            elif is_cue(token):
                cues.append(token)
            if token.pos_ == "NOUN" and token.lemma_.lower() in words:
                documents.append(token)
        return cues, subjects, documents

    @property
    def cues(self) -> list[Token]:
        """The block's attribution verbs, found once and shared by every reader."""
        return self._scan[0]

    @property
    def subjects(self) -> list[Token]:
        return self._scan[1]

    @property
    def documents(self) -> list[Token]:
        """Nouns of documents ("statement", "ruling"), whose issuers speak through them."""
        return self._scan[2]

    @cached_property
    def quote_spans(self) -> list[QuoteSpan]:
        """The block's quotations, from its quote marks."""
        return find_quote_spans(self.text)

    def quoted(self, token: Token) -> bool:
        """Whether ``token`` lies inside one of the block's quotations."""
        return self.quoted_at(token.idx)

    def quoted_at(self, char: int) -> bool:
        return any(q.start <= char < q.end for q in self.quote_spans)

    @cached_property
    def text(self) -> str:
        """The block's text, made once: ``Doc.text`` joins every token's text when read."""
        return self.doc.text

    def text_of(self, span: Span) -> str:
        """``span.text``, cut from the block's text (a Span too joins its tokens' texts)."""
        return self.text[span.start_char : span.end_char]

    def line_of(self, char: int) -> int:
        return self.line + sum(1 for w in self.wraps if w <= char)


def sentence_words(doc: Doc, char: int) -> set[str]:
    """The folded words of the sentence of ``doc`` that holds character ``char``."""
    sent = next((s for s in doc.sents if s.start_char <= char < s.end_char), None)
    return {fold(t.text) for t in sent} if sent is not None else set()


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
            words = sentence_words(block.doc, m["start"] - block.start)
            person_words.setdefault(m["entity"], set()).update(words)
    nouns = {*lex["person_nouns"], *lex["body_nouns"]}
    described = []
    for block in blocks:
        for token in block.subjects:
            # the subject of a main clause or a cue: "He claimed a driver could …" describes
            # no one the article goes on about
            head = token.head
            main = head.dep_ == "ROOT" or (head.dep_ == "conj" and head.head.dep_ == "ROOT")
            if not (main or is_cue(head)):
                continue
            noun = _partitive(token) or token
            if noun.lemma_.lower() not in nouns or (is_definite(token) and not is_named(token)):
                continue
            plural = noun.tag_ == "NNS" if noun is token else token.lower_ != "one"
            word = fold(noun.text if noun is token or plural else noun.lemma_)  # one defendant
            described.append((block.start + token.idx, word, speaker_phrase(token)[0], plural))
    for block in blocks:
        for token in block.cues:
            subject = subject_of(token)
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
    # who speaks and what documents are named in the author's words, not inside quotes
    reporters = [
        (block.start + subject.idx, subject)
        for block in blocks
        for subject in (subject_of(token) for token in block.cues if not block.quoted(token))
        if subject is not None
    ]
    documents = [
        (block.start + t.idx, t)
        for block in blocks
        for t in block.documents
        if not block.quoted(t)
    ]
    named, quiet, titles, genders = _person_facts(blocks)
    organisations = [
        (m["start"], m["entity"])
        for m in mentions
        # named by the tagger, not the study's own actors ("the company" is not ISIS)
        if m["label"] == "ORG" and m["source"] == "ner" and fold(m["entity"]) not in media_names
    ]
    return Context(
        mentions=named,
        quiet=quiet,
        titles=titles,
        genders=genders,
        organisations=organisations,
        reporters=sorted(reporters, key=lambda r: r[0]),
        documents=documents,
        persons=sorted(persons),
        media=[(m["start"], m["entity"]) for m in mentions if fold(m["entity"]) in media_names],
        described=described,
        person_words=person_words,
    )


# A person named here is someone "he" or "she" may stand for later; a name in an object
# ("reached Tal Tamr") is often a place the tagger took for a person.
_SALIENT_DEPS = {"nsubj", "nsubjpass", "appos", "attr", "conj", "ROOT"}
_ADDRESSING = {"tell", "ask", "urge", "accuse", "quote", "cite", "describe"}


def _person_facts(
    blocks: list[BlockDoc],
) -> tuple[
    list[tuple[int, str]], set[int], list[tuple[int, str, frozenset[str]]], dict[str, list[str]]
]:
    """Persons named as subjects, the offsets of the other PERSON entities, the titles each
    person is named with and their genders, from the article's own words."""
    lex = lexicon()
    titles_words = set(lex["name_titles"])
    named, titles, genders = [], [], {}
    quiet: set[int] = set()
    for block in blocks:
        for ent in block.doc.ents:
            if ent.label_ != "PERSON":
                continue
            if block.quoted(ent.root):
                quiet.add(block.start + ent.start_char)
                continue
            words = [t for t in ent if fold(t.text) not in titles_words and not t.is_punct]
            if not words or not words[0].is_title:
                continue
            name = block.text[words[0].idx : words[-1].idx + len(words[-1])]
            name = re.sub(r"['’]s$", "", name)
            at = block.start + ent.start_char
            root = ent.root
            inverted = (  # "…,” said Omer; not "told Tigris Daily", an addressee
                root.dep_ in {"dobj", "npadvmod"}
                and is_cue(root.head)
                and root.head.lemma_.lower() not in _ADDRESSING
            )
            if root.dep_ in _SALIENT_DEPS or inverted:
                named.append((at, name))
            else:
                quiet.add(at)
            role = _title_words(ent)
            if role:
                titles.append((at, name, role))
            found = _gender_evidence(ent, role)
            if found:
                genders.setdefault(name, []).append(found)
    return named, quiet, titles, genders


def _title_words(ent: Span) -> frozenset[str]:
    """The title and role words a name is given: "Defence Minister X", "X, a spokesman for
    the SDF", "the trial's chief investigator, X"."""
    root = ent.root
    words = {
        t.lemma_.lower()
        for t in root.subtree
        if t.i < ent.start and t.pos_ in {"NOUN", "PROPN"} and t.ent_type_ != "PERSON"
    }
    words |= {fold(t.text) for t in ent if fold(t.text) in lexicon()["name_titles"]}
    for child in root.children:
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            words.add(child.lemma_.lower())
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        words.add(root.head.lemma_.lower())
    return frozenset(words)


def _gender_evidence(ent: Span, role: frozenset[str]) -> str | None:
    """"m" or "f" from a name's title, role or the first pronoun after it in its sentence
    (before any other name)."""
    lex = lexicon()
    male, female = set(lex["male_words"]), set(lex["female_words"])
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    cues = {fold(t.text) for t in ent} | set(role)
    if before is not None:
        cues.add(fold(before.text))
    if cues & male and not cues & female:
        return "m"
    if cues & female and not cues & male:
        return "f"
    for token in ent.doc[ent.end : ent.sent.end]:
        if token.ent_type_ == "PERSON":
            return None
        low = token.lower_
        if token.pos_ == "PRON" and low in male:
            return "m"
        if token.pos_ == "PRON" and low in female:
            return "f"
    return None
