"""Speakers, sources, shared quotes and the relay chain, through the real build."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from spacy.tokens import Doc

from helpers.across.alignment import compare
from helpers.across.chain import _channel, relay_citations
from helpers.annotate.context import BlockDoc, Context
from helpers.annotate.nlp import get_nlp
from helpers.annotate.source_names import article_aliases
from helpers.annotate.source_types import Evidence, source_type
from helpers.annotate.speakers import is_cue, lexicon, speaker_phrase, speaks, subject_of
from helpers.build.pipeline import build
from helpers.text import fold

PARAGRAPHS_A = [
    "Turkey and the militants",
    "Newsweek interviewed a former ISIS member dubbed “Sherko Omer” in order to protect him.",
    "“ISIS and Turkey cooperate together on the ground against the Kurds,” he told the magazine.",
    "I rarely heard them speak in Arabic, they mostly spoke in Turkish to officials.”",
    "The magazine pointed out that “anecdotal evidence of Turkish forces "
    "turning a blind eye has been mounting.”",
    "“There is no change at all in the town,” said Rami Abdulrahman of the "
    "Syrian Observatory for Human Rights, according to Reuters.",
    "Officials were caught “transporting missiles, mortars and anti-aircraft "
    "ammunition” via trucks.",
    "RT",
]
PAGE_A = "\n\n".join(PARAGRAPHS_A) + "\n"

PAGE_B = """Former member says Turkey helped the group

In 2014, a former communications technician told Newsweek:

ISIS and Turkey cooperate together on the ground against the Kurds.

We crossed the border with the help of the soldiers at night and nobody stopped us.

Indeed, there is more evidence that the military has been arming jihadists for years.

Another attack caused civilian casualties on the so-called ‘safe zone’ road:

Turkish bombardment on civilians on the road. pic.twitter.com/XnAa4oT3bR

— pyd rojava (@PYD_Rojava) October 13, 2019
"""

PAGE_C = """Officials reject the report

Ankara says the operation targets “terrorists”, while Washington warns of a humanitarian crisis.

“We lost everything, but we are home,” said one man, who gave his name as Mustafa.

Speaking on condition of anonymity, a senior official said the report relied on one source.

“Turkey is at the forefront of the fight against terrorism,” the official said.

A spokesman for the embassy did not respond to a request for comment. The ministry declined \
to comment.

Newsweek's source, who calls himself Sherko Omer, said he had seen the trucks himself.
"""

PAGE_D = """Kurdish commanders say the factions include former fighters

Damascus, SANA – The Foreign and Expatriates Ministry affirmed that the regime backs the group.

“The government bears full responsibility,” the Ministry said.

A former fighter made new claims this week.

“The Kurds were the common enemy,” he said.

The claims came after an interview with a former technician who said the army was an ally.

Kurdish commanders in northeast Syria say the factions include former fighters.

ISTANBUL (Reuters) - Turkey on Saturday rejected as “unfounded” a report in the magazine.

One of them told the agency:

We crossed the border at night and nobody stopped us.

Denials

Turkey has denied the claims.
"""

PAGE_E = """‘Turkey is helping the group’: Kurdish commander speaks out

“We see them cross every night,” said Defence Minister Hulusi Akar's critics.

“Turkey has never supported any terrorist group,” said Defence Minister Hulusi Akar.

“Why would we help them?” asked Ibrahim Kalin, the presidential spokesman.

“It is not our job to guard the border,” a senior official said. He added: “We did more.”

“I saw it with my own eyes.

“The trucks came at night and the soldiers waved them through,” the former fighter said.
"""

PAGE_F = """Former group member says the army helped the group

A former member of the group told the magazine that the army let its fighters through.

The former group technician, dubbed “Sherko Omer”, said the border was open to them.
"""


PAGE_G = """Committee questions the missing fund

The hearing on the relief fund ran late into the evening and grew tense.

“Why was that money sitting in the bank?” Mr. Clyburn said. “Nobody could tell us.”

“Who signed the transfer?” one of the two auditors asked.

“Get out of the building now!” the fire marshal said.

“We spent it on the roof,” Mr. Clyburn said.
"""


PAGE_H = """Ministry says the strikes hit only fighters

The Harbour Authority said in a statement that forty ships were waiting at anchor outside \
the port.

“Priority berthing has been granted to ships carrying medicine,” the statement said. \
“Teams are working around the clock,” it added.

The Valley Water Board released a statement late on Tuesday. It reads in part:

Every household in the valley will have clean water again within a week of the repairs.

The notice, issued by the county water service, read in full:

Boil all tap water. The reservoir is contaminated. Keep children away from the taps.

The Shelter Watch Network published a report on the camps last week. The report is blunt:

Conditions in the annex fall far below minimum standards for anyone held there for long.

In its ruling, the labour court found that the union had given no notice. “The strike is \
unlawful,” the ruling said.

The deal was announced in a statement from the regional administration, which said the \
army would “protect the border”.

Two security officials said the trucks had crossed at night. “We watched them on the \
cameras,” they said.

It was believed that the convoy had crossed before dawn.

The three ministers issued a joint statement after the talks. The statement said they had \
“rejected every attempt to divide the region”.

The United Nations said in a statement that aid deliveries had stopped on Monday.

“We cannot reach the camps by road or by air,” the statement said.

A report from Syria stated that the wells in the region had run “completely dry” by summer.
"""


PAGE_I = """Families wait at the border crossing

Aylin Kaya pressed her face to the fence and counted the trucks on the road below.

“Six today. Yesterday there were nine,” she said.

A farmer in his sixties said the soldiers had closed the gate at dawn. “We waited all \
night for nothing,” he said.

“They told us to come back tomorrow,” she said.

Mrs Kaya has a brother across the river. “We will stay,” Mrs Kaya said.

Transport Minister Marta Kovács welcomed the ruling on Friday. “No group may hold the port \
hostage,” the minister said.

Kemal Ozturk, a spokesman for the dockers, rejected the ruling. “We will appeal,” the \
spokesman said.

The Eastmoor Mutual Bank said hackers had stolen customer records. “No passwords were \
taken,” the bank said.

The Brandt Polymers plant leaked a solution into the river. The company said the leak \
was contained. “It is not toxic to humans,” the company said.

Later Aylin climbed the hill again. “Every day there is more smoke,” Aylin said.
"""


PAGE_K = """Tenants still wait for the storm grants

Councillor Ada Brennick told the Bugle that the borough had been able to pay since October.

“Nobody’s cheque is stuck in a drawer at the town hall.”

Asked how much had reached her, Ines Marlowe answered in one word.

“Nothing.”

I asked the council’s press office when the payments would start. The answer arrived within \
the hour.

“Not before spring.”

“Every household on this street was promised a grant by Easter.” That warning came from Nell \
Ashby, who runs the Millbrook Tenants Network.

‘We stood on the stairs and watched the river come through the door.’ That was Dilys \
Fairweather, who has lived in the terrace since 1979.

She went on: ‘We have read the guidance. The sandbags are stacked in the hall, as they advise.

‘My son moved the photographs up to the loft. I blame nobody except the water board.’

“Every household on this street was promised a grant”

Nell Ashby spoke to us on Friday.

NA: The borough has held the grant money since March. It is parked in a bank account.

“It is parked in a bank account.”
"""


PAGE_L = """Displaced families reach the river crossing

A man in his seventies who had pushed a handcart through most of the night rested by the \
well. “They arrived with drones and artillery,” he said.

He gave his name as Idris Vanlo, a shepherd from the hills north of the river.

“We abandoned our flocks and our houses,” he said.

A former soldier told the paper he had slipped across the front line two times. “Print it. \
My name is Aras Oskari,” he said.

A man who drives forklifts at the depot told me the roof had been cracked for months. “Every \
driver on the early shift could see it,” he said. His first name is Gus.

A clerk who worked at a district clinic says the orders arrived unsigned. “Our \
instructions were to keep quiet,” she said.

She agreed to be identified once she had resigned. Melis Tarvan, 41, spent nine years at the \
clinic.

One of the defendants, a sergeant, trembled as he spoke to the panel. “I followed the orders \
I was given,” he said. His solicitor afterwards identified him as Sergeant Teoman Dalkan.
"""


PAGE_M = """Coalition units hold the river crossings

Zinar Can, a spokesman for the Eastern Shield, said allied units had repelled several raids \
overnight.

Can said the units would hold the river crossings “whatever it costs” but urged Brussels to help.

“We buried hundreds of our volunteers in a war fought for everyone,” he said.
"""


PAGE_N = """Union leader attacks the changes

Union president Oskar Lindqvist described the planned changes as “a charter for cheap labour \
on the quays”.

The opposition leader called the election “rigged” on Monday.

A group called “Kestrel” claimed the attack.

The audit undermined the water board’s claim that the pipes had been “completely replaced” \
by June.

The pro-government daily Meridyen, quoting an unnamed security official, branded the videos \
“crude fakes” meant to smear the state.

Nearly 900 pupils were missing from the register, according to an internal memo obtained by \
the Lantern.

The document describes a “waiting register” of pupils. “These pupils should not be counted \
until the audit is over,” the memo says.
"""


PAGE_O = """School denies the teacher's account

A senior official at the education ministry, who requested anonymity, said pupils were \
vetted by inspectors.

On Thursday the ministry said a review had found “no errors in pupil records”.

Three guards at the checkpoint said they had served in Kelvara and had gone unpaid since spring.

“If the shelling starts again, who will hold this road?” one of the three guards asked me.
"""


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> dict[str, pd.DataFrame]:
    raw = tmp_path_factory.mktemp("raw")
    (raw / "a.txt").write_text(PAGE_A, encoding="utf-8")
    (raw / "b.txt").write_text(PAGE_B, encoding="utf-8")
    (raw / "c.txt").write_text(PAGE_C, encoding="utf-8")
    (raw / "d.txt").write_text(PAGE_D, encoding="utf-8")
    (raw / "e.txt").write_text(PAGE_E, encoding="utf-8")
    (raw / "f.txt").write_text(PAGE_F, encoding="utf-8")
    (raw / "g.txt").write_text(PAGE_G, encoding="utf-8")
    (raw / "h.txt").write_text(PAGE_H, encoding="utf-8")
    (raw / "i.txt").write_text(PAGE_I, encoding="utf-8")
    (raw / "k.txt").write_text(PAGE_K, encoding="utf-8")
    (raw / "l.txt").write_text(PAGE_L, encoding="utf-8")
    (raw / "m.txt").write_text(PAGE_M, encoding="utf-8")
    (raw / "n.txt").write_text(PAGE_N, encoding="utf-8")
    (raw / "o.txt").write_text(PAGE_O, encoding="utf-8")
    (raw / "manifest.csv").write_text(
        "file,outlet\na.txt,Relay Daily\nb.txt,Blog B\nc.txt,Wire C\nd.txt,Agency D\n"
        "e.txt,Daily E\nf.txt,Weekly F\ng.txt,Hearing G\nh.txt,Wire H\ni.txt,Border I\n"
        "k.txt,Storm K\nl.txt,Border L\nm.txt,Front M\nn.txt,Union N\n"
        "o.txt,School O\n"
    )
    return build(raw, tmp_path_factory.mktemp("out"), progress=False)


def quote(tables, doc_id: str, start: str) -> pd.Series:
    q = tables["quotes"]
    hits = q[(q["doc_id"] == doc_id) & q["text"].str.startswith(start)]
    assert len(hits) == 1, start
    return hits.iloc[0]


def test_pronoun_resolves_to_the_pseudonym_named_before(tables) -> None:
    row = quote(tables, "a", "ISIS and Turkey")
    assert (row["speaker"], row["speaker_surface"], row["cue"], row["kind"]) == (
        "Sherko Omer",
        "he",
        "told",
        "direct",
    )


def test_the_magazine_is_the_outlet_named_before(tables) -> None:
    row = quote(tables, "a", "anecdotal evidence")
    assert (row["speaker"], row["kind"]) == ("Newsweek", "partial")


def test_paragraph_without_opening_mark_continues_the_speaker(tables) -> None:
    row = quote(tables, "a", "I rarely heard them")
    assert row["speaker"] == "Sherko Omer"


def test_inverted_cue_and_according_to(tables) -> None:
    row = quote(tables, "a", "There is no change")
    assert row["speaker"] == "Rami Abdulrahman"
    sources = tables["sources"].query("doc_id == 'a'").set_index("source")
    assert sources.loc["Reuters", "source_type"] == "news_media"
    assert sources.loc["Rami Abdulrahman", "source_type"] == "monitor_ngo"


def test_nickname_and_scare_quotes_are_marked_not_attributed(tables) -> None:
    assert quote(tables, "a", "Sherko Omer")["kind"] == "scare"
    scare = quote(tables, "b", "safe zone")
    assert (scare["kind"], scare["speaker"]) == ("scare", "unattributed")


def test_partial_quote_without_a_speaker_is_unattributed(tables) -> None:
    row = quote(tables, "a", "transporting missiles")
    assert (row["kind"], row["speaker"]) == ("partial", "unattributed")


def test_colon_blockquote_runs_until_the_author_speaks_again(tables) -> None:
    q = tables["quotes"].query("doc_id == 'b' and kind == 'blockquote'")
    assert q["text"].str[:10].tolist() == ["ISIS and T", "We crossed"]
    assert set(q["speaker"]) == {"a former communications technician"}


def test_the_verb_whose_clause_holds_the_quote_beats_a_nearer_one(tables) -> None:
    row = quote(tables, "c", "terrorists")
    assert (row["speaker"], row["cue"]) == ("Turkey", "says")


def test_a_described_speaker_who_gives_a_name_is_that_name(tables) -> None:
    assert quote(tables, "c", "We lost everything")["speaker"] == "Mustafa"
    sources = tables["sources"].query("doc_id == 'c'").set_index("source")
    assert sources.loc["Sherko Omer", "source_type"] != "news_media"  # Newsweek's source


def test_a_definite_description_is_the_source_described_before(tables) -> None:
    row = quote(tables, "c", "Turkey is at the forefront")
    assert (row["speaker"], row["speaker_surface"]) == ("a senior official", "the official")


def test_no_comment_is_not_a_source(tables) -> None:
    cues = set(tables["sources"].query("doc_id == 'c'")["cue"])
    assert not cues & {"respond", "comment"}


def test_the_ministry_is_the_ministry_named_before_not_the_dateline(tables) -> None:
    row = quote(tables, "d", "The government bears")
    assert row["speaker"] == "The Foreign and Expatriates Ministry"
    assert "Damascus" not in set(tables["sources"].query("doc_id == 'd'")["source"])


def test_a_wire_dateline_is_not_the_speaker(tables) -> None:
    assert quote(tables, "d", "unfounded")["speaker"] == "Turkey"
    assert "ISTANBUL" not in set(tables["sources"].query("doc_id == 'd'")["source"])


def test_he_is_the_person_described_before_when_none_is_named(tables) -> None:
    assert quote(tables, "d", "The Kurds were")["speaker"] == "A former fighter"


def test_a_relative_who_is_the_person_it_describes(tables) -> None:
    sources = set(tables["sources"].query("doc_id == 'd'")["source"])
    assert "a former technician" in sources
    assert "who" not in sources


def test_a_source_and_its_longer_form_are_one_source(tables) -> None:
    sources = tables["sources"].query("doc_id == 'd' and source.str.startswith('Kurdish')")
    assert sources[["source", "n"]].values.tolist() == [["Kurdish commanders", 2]]


def test_a_subheading_ends_an_unmarked_blockquote(tables) -> None:
    q = tables["quotes"].query("doc_id == 'd' and kind == 'blockquote'")
    assert q["text"].tolist() == ["We crossed the border at night and nobody stopped us."]


def test_a_headline_quote_is_spoken_by_the_words_after_its_colon(tables) -> None:
    row = quote(tables, "e", "Turkey is helping")
    assert (row["kind"], row["speaker"]) == ("direct", "Kurdish commander")


def test_a_possessor_is_not_the_speaker(tables) -> None:
    assert quote(tables, "e", "We see them")["speaker"] != "Hulusi Akar"
    assert quote(tables, "e", "Turkey has never")["speaker"] == "Hulusi Akar"


def test_he_is_the_official_who_spoke_last_not_the_last_named_person(tables) -> None:
    assert quote(tables, "e", "We did more")["speaker"] == "a senior official"


def test_a_quote_left_open_is_spoken_by_the_paragraph_that_closes_it(tables) -> None:
    assert quote(tables, "e", "I saw it")["speaker"] == "the former fighter"


def test_a_description_goes_to_a_person_described_with_its_words_only(tables) -> None:
    row = quote(tables, "e", "The trucks came")
    assert row["speaker"] == "the former fighter"  # not the spokesman who spoke last
    kalin = tables["sources"].query("doc_id == 'e' and source == 'Ibrahim Kalin'")
    assert set(kalin["source_type"]) == {"government_official"}


def test_a_person_described_before_being_named_is_one_source(tables) -> None:
    sources = tables["sources"].query("doc_id == 'f'")
    assert set(sources["source"]) == {"Sherko Omer"}
    assert set(sources["cue"]) == {"says", "told", "said"}


def test_a_question_or_exclamation_keeps_the_attribution_after_it(tables) -> None:
    assert quote(tables, "g", "Why was that money")["speaker"] == "Clyburn"
    assert quote(tables, "g", "Get out of the building")["speaker"] == "the fire marshal"
    asked = quote(tables, "g", "Who signed")  # a number heading its phrase is kept
    assert (asked["speaker"], asked["cue"]) == ("one of the two auditors", "asked")
    assert quote(tables, "g", "We spent it")["speaker"] == "Clyburn"  # as with a comma


def test_the_statement_and_it_are_the_institution_that_issued_it(tables) -> None:
    for start in ("Priority berthing", "Teams are working"):  # “…,” it added
        assert quote(tables, "h", start)["speaker"] == "Harbour Authority"
    assert quote(tables, "h", "The strike is unlawful")["speaker"] == "the labour court"
    # a joint statement speaks for no one institution; one with a plural name does
    assert quote(tables, "h", "rejected every attempt")["speaker"] == "The statement"
    assert quote(tables, "h", "We cannot reach")["speaker"] == "United Nations"
    # a report from a place comes from no issuer: it stays the report
    assert quote(tables, "h", "completely dry")["speaker"] == "A report from Syria"


def test_a_document_introducing_a_blockquote_speaks_for_its_issuer(tables) -> None:
    assert quote(tables, "h", "Every household")["speaker"] == "Valley Water Board"  # It reads
    assert quote(tables, "h", "Boil all tap water")["speaker"] == "the county water service"
    report = quote(tables, "h", "Conditions in the annex")  # "The report is blunt:"
    assert report["speaker"] == "Shelter Watch Network"


def test_which_said_is_the_institution_it_describes(tables) -> None:
    assert quote(tables, "h", "protect the border")["speaker"] == "the regional administration"


def test_they_is_the_latest_plural_speaker(tables) -> None:
    assert quote(tables, "h", "We watched them")["speaker"] == "security officials"


def test_only_an_active_it_governing_a_quote_or_clause_speaks() -> None:
    nlp = get_nlp()
    for text, expected in [
        ("It said that the convoy had crossed.", True),
        ("It was believed that the convoy had crossed.", False),
        ("It rained all night.", False),
    ]:
        subject = nlp(text)[0]
        verb = subject.head
        assert speaks(verb, subject, []) is expected, text


def test_she_is_the_woman_named_last_not_the_man_who_spoke_since(tables) -> None:
    assert quote(tables, "i", "Six today")["speaker"] == "Aylin Kaya"
    assert quote(tables, "i", "We waited all night")["speaker"] == "A farmer in his sixties"
    assert quote(tables, "i", "They told us")["speaker"] == "Aylin Kaya"


def test_a_persons_fullest_spelling_is_the_name(tables) -> None:
    assert quote(tables, "i", "We will stay")["speaker"] == "Aylin Kaya"  # Mrs Kaya
    assert quote(tables, "i", "Every day there is")["speaker"] == "Aylin Kaya"  # Aylin


def test_a_title_names_the_person_it_was_given(tables) -> None:
    assert quote(tables, "i", "No group may hold")["speaker"] == "Marta Kovács"  # the minister
    assert quote(tables, "i", "We will appeal")["speaker"] == "Kemal Ozturk"  # the spokesman


def test_the_bank_and_the_company_are_the_organisation_named_before(tables) -> None:
    assert quote(tables, "i", "No passwords")["speaker"] == "Eastmoor Mutual Bank"
    assert quote(tables, "i", "It is not toxic")["speaker"] == "Brandt Polymers"


def test_a_name_in_a_post_modifier_is_not_the_speaker() -> None:
    nlp = get_nlp()
    for text, name in [
        ("“It was safe,” said Gareth Pembry, who worked for Sam Whitlow.", "Gareth Pembry"),
        ("Gareth Pembry, who ran Harwick Rovers, said the ground was safe.", "Gareth Pembry"),
        ("The lawyer for Ali Aksoy said the case was closed.", "The lawyer"),
    ]:
        verb = next(t for t in nlp(text) if t.lemma_ == "say")
        assert speaker_phrase(subject_of(verb))[0] == name, text
    ctx = Context(persons=[(0, "Ali Aksoy")])
    assert ctx.resolve("The lawyer", None, 10, "The lawyer for Ali Aksoy") == "The lawyer"


def test_a_quoted_paragraph_without_a_cue_is_spoken_by_the_paragraph_before(tables) -> None:
    assert quote(tables, "k", "Nobody’s cheque")["speaker"] == "Ada Brennick"
    assert quote(tables, "k", "Nothing")["speaker"] == "Ines Marlowe"  # answered in a word
    # the author asked someone: the one asked answers, not the author
    assert quote(tables, "k", "Not before spring")["speaker"] == "the council’s press office"


def test_a_sentence_pointing_back_at_a_quote_names_its_speaker(tables) -> None:
    warning = quote(tables, "k", "Every household on this street was promised a grant by")
    assert warning["speaker"] == "Nell Ashby"  # That warning came from Nell Ashby
    stairs = quote(tables, "k", "We stood on the stairs")
    assert stairs["speaker"] == "Dilys Fairweather"  # That was X


def test_a_single_quote_left_open_runs_into_the_next_paragraph(tables) -> None:
    for start in ("We have read the guidance", "My son moved"):  # She went on: ‘…
        assert quote(tables, "k", start)["speaker"] == "Dilys Fairweather"


def test_a_pull_quote_is_spoken_by_whoever_said_its_words(tables) -> None:
    q = tables["quotes"]
    words = "Every household on this street was promised a grant"
    pull = q[(q["doc_id"] == "k") & (q["text"] == words)]
    assert pull["speaker"].tolist() == ["Nell Ashby"]  # not the quote before it
    # an interview answer labelled with the speaker's initials ("NA: …")
    assert quote(tables, "k", "It is parked")["speaker"] == "Nell Ashby"


def test_a_described_speaker_named_later_is_that_name_before_and_after(tables) -> None:
    expected = {
        "They arrived with drones": "Idris Vanlo",  # He gave his name as …, after the quote
        "We abandoned our flocks": "Idris Vanlo",
        "Print it": "Aras Oskari",  # “My name is …” in the speaker's own words
        "Every driver on the early shift": "Gus",  # His first name is Gus.
        "Our instructions": "Melis Tarvan",  # She agreed to be identified. X, 41, …
        "I followed the orders": "Teoman Dalkan",  # one of the defendants, "identified him as"
    }
    for start, name in expected.items():
        assert quote(tables, "l", start)["speaker"] == name, start
    assert "A man in his seventies" not in set(tables["sources"].query("doc_id == 'l'")["source"])


def test_speaker_spans_survive_a_surname_tagged_as_a_verb() -> None:
    nlp = get_nlp()
    for text, name in [
        ("Group spokesman Polat Can said the town had fallen.", "Polat Can"),  # role + name
        ("Zinar Can, a spokesman for the Eastern Shield, said units had held.", "Zinar Can"),
        ("Can said the volunteers would guard the crossings.", "Can"),  # "Can" tagged a modal
        ("“The town is quiet,” said Rami Abdulrahman of the observatory.", "Rami Abdulrahman"),
    ]:
        verb = next(t for t in nlp(text) if t.lemma_ == "say")
        assert speaker_phrase(subject_of(verb))[0] == name, text


def test_a_surname_tagged_as_a_verb_is_still_the_person(tables) -> None:
    for start in ("whatever it costs", "We buried hundreds"):
        assert quote(tables, "m", start)["speaker"] == "Zinar Can", start


def test_a_short_partial_quote_of_a_speakers_words_keeps_its_speaker(tables) -> None:
    rigged = quote(tables, "n", "rigged")  # called the election “rigged”
    assert (rigged["kind"], rigged["speaker"]) == ("partial", "The opposition leader")
    assert quote(tables, "n", "a charter for")["speaker"] == "Oskar Lindqvist"  # described … as
    assert quote(tables, "n", "completely replaced")["speaker"] == "the water board"  # X's claim
    # the outlet quoting someone relays the words: they are the official's
    assert quote(tables, "n", "crude fakes")["speaker"] == "an unnamed security official"


def test_a_name_no_one_is_reported_to_have_said_is_a_scare_quote(tables) -> None:
    kestrel = quote(tables, "n", "Kestrel")  # "a group called “Kestrel”"
    assert (kestrel["kind"], kestrel["speaker"]) == ("scare", "unattributed")


def test_the_document_is_the_document_named_before(tables) -> None:
    assert quote(tables, "n", "waiting register")["speaker"] == "an internal memo"
    assert quote(tables, "n", "These pupils")["speaker"] == "the memo"  # issued by no one


def test_the_ministry_is_not_an_official_at_the_ministry(tables) -> None:
    assert quote(tables, "o", "no errors")["speaker"] == "the ministry"


def test_one_of_the_guards_is_one_of_the_guards_described_before(tables) -> None:
    assert quote(tables, "o", "If the shelling starts")["speaker"] == "one of the guards"


def test_a_long_subject_taken_for_a_clause_is_still_the_subject() -> None:
    text = (
        "The Kurdish Democratic Forces (KDF), the coalition led by the Border Defence Units "
        "(BDU) that has pushed IS out of most of the land it once controlled, said in a "
        "statement that the men had been freed."
    )
    verb = next(t for t in get_nlp()(text) if t.lemma_ == "say")
    assert speaker_phrase(subject_of(verb))[0] == "The Kurdish Democratic Forces"


def test_a_verb_the_tagger_read_as_a_noun_is_still_a_cue() -> None:
    # "A copy of the order states:", with "states" tagged a plural noun heading the sentence
    words = ["A", "copy", "of", "the", "order", "states", ":"]
    doc = Doc(
        get_nlp().vocab,
        words=words,
        pos=["DET", "NOUN", "ADP", "DET", "NOUN", "NOUN", "PUNCT"],
        tags=["DT", "NN", "IN", "DT", "NN", "NNS", ":"],
        deps=["det", "nsubj", "prep", "det", "pobj", "ROOT", "punct"],
        heads=[1, 5, 1, 4, 2, 5, 5],
        lemmas=["a", "copy", "of", "the", "order", "state", ":"],
    )
    assert is_cue(doc[5]) and subject_of(doc[5]).text == "copy"
    assert not is_cue(Doc(doc.vocab, words=["Trucks"], tags=["NNS"], deps=["ROOT"])[0])


def test_embedded_post_is_a_tweet_by_its_account(tables) -> None:
    row = quote(tables, "b", "Turkish bombardment")
    assert (row["kind"], row["speaker"], row["speaker_surface"]) == (
        "tweet",
        "pyd rojava",
        "@PYD_Rojava",
    )
    assert "pic.twitter.com" not in row["text"]


def test_shared_quote_is_one_utterance_with_a_named_speaker(tables) -> None:
    a, b = quote(tables, "a", "ISIS and Turkey"), quote(tables, "b", "ISIS and Turkey")
    assert a["utterance_id"] == b["utterance_id"]
    assert b["utterance_speaker"] == "Sherko Omer"
    versions = tables["utterances"].query(f"utterance_id == '{a['utterance_id']}'")
    assert set(versions["doc_id"]) == {"a", "b"}


def test_chain_runs_from_outlet_through_credit_and_newsweek_to_the_speaker(tables) -> None:
    edges = set(tables["chain"][["source", "target", "relation"]].itertuples(index=False))
    assert ("Relay Daily", "RT", "republishes") in edges
    assert ("RT", "Newsweek", "cites") in edges
    assert ("Newsweek", "Sherko Omer", "quotes") in edges
    assert ("Blog B", "Newsweek", "cites") in edges
    assert ("Blog B", "pyd rojava", "embeds") in edges


def test_a_quotes_channel_is_the_outlet_its_paragraph_names_else_the_one_relays_agree_on() -> None:
    agree = frozenset({"Newsweek"})  # every article relaying the quote cites Newsweek
    assert _channel(("RT",), ["Newsweek", "RT"], agree) == "RT"
    assert _channel(("RT", "Newsweek"), ["Newsweek", "RT"], agree) == "Newsweek"
    assert _channel((), ["Newsweek", "RT"], agree) == "Newsweek"
    assert _channel((), ["Newsweek", "RT"], frozenset({"Newsweek", "RT"})) is None  # which?
    assert _channel((), ["Newsweek", "RT"], None) is None  # no relay, no name


def test_relays_agree_on_the_outlets_every_relaying_article_cites() -> None:
    cited = {"a": ["Newsweek", "RT"], "b": ["Newsweek"], "c": ["RT"]}
    quoted = [("U1", "a"), ("U1", "b"), ("U1", "a"), ("U2", "a"), ("U2", "c"), ("U3", "c")]
    agree = relay_citations(quoted, cited)
    assert agree == {"U1": frozenset({"Newsweek"}), "U2": frozenset({"RT"})}  # U3: one article


def test_quote_offsets_are_exact(tables) -> None:
    text = tables["articles"].set_index("doc_id")["text"]
    for q in tables["quotes"].itertuples():
        assert q.text.split()[0].strip("“”\"‘’'") in text[q.doc_id][q.start : q.end]


@pytest.mark.parametrize(
    ("version", "changes"),
    [
        ("ISIS and Turkey cooperate on the ground", "verbatim"),
        ("IS and Turkey cooperate on the ground", "substitution"),
        ("ISIS and [Ankara] cooperate on the ground", "insertion; substitution"),
        ("ISIS and Turkey cooperate", "truncation"),
        ("ISIS and Turkey on the ground", "deletion"),
        ("ISIS and Turkey cooperate closely on the ground", "addition"),
    ],
)
def test_version_changes(version: str, changes: str) -> None:
    assert compare(version, "ISIS and Turkey cooperate on the ground")["changes"] == changes


def test_fidelity_orders_versions() -> None:
    reference = "ISIS commanders told us to fear nothing at all"
    close = compare("IS commanders told us to fear nothing at all", reference)
    far = compare("commanders said there was nothing to fear", reference)
    assert 1.0 > close["fidelity"] > far["fidelity"]


def test_tables_written(tables, tmp_path: Path) -> None:
    assert {"quotes", "sources", "utterances", "chain"} <= set(tables)


def test_block_text_of_a_span_is_the_span_text() -> None:
    """Texts cut from the block's text equal spaCy's own, token whitespace included."""
    for doc in get_nlp().pipe([*PARAGRAPHS_A, *PAGE_B.split("\n\n"), "  Two  spaces, then\tone. "]):
        block = BlockDoc(0, "body", "", 0, 1, [], doc)
        assert block.text == doc.text
        spans = [*doc.sents, *doc.ents, *doc.noun_chunks, doc[1:-1], doc[-1:]]
        assert spans and [block.text_of(s) for s in spans] == [s.text for s in spans]


def test_resolving_a_pronoun_leaves_the_persons_named_as_they_were() -> None:
    ctx = Context(
        persons=[(0, "Jane Doe")], described=[(10, "official", "a senior official", False)]
    )
    assert ctx.resolve("he", None, 20) == "a senior official"
    assert ctx.persons == [(0, "Jane Doe")]


# --- the sources table: who else an article attributes information to -------------------

PAGE_HARBOUR = """Harbour closes after storm damage

PORTVALE (Coast Wire) — The harbour at Portvale closed on Monday after a storm damaged two \
piers, residents and the port authority said.

The Portvale Harbour Authority (PHA), which runs the port, said repairs would take a month. \
The statement said the ferry to the islands would resume on Friday.

Fishermen on the quay agreed to speak to the paper about their losses.

According to information from the coastguard, two boats sank at their moorings.

The regional daily Coast Echo, quoting a harbour pilot, reported that the storm surge reached \
four metres.

In an interview broadcast by Radio Portvale, the mayor, Ines Moreau, said the town would ask \
for emergency funds.

In an interview with the Island Gazette, a ferry captain said the crossing had been cancelled \
twice this winter.

The Coastal Flood Monitor, or CFM, released footage showing waves breaking over the sea wall. \
CFM said the surge was the highest since 1987.

Footage shared online showed cars floating in the car park.

I asked the harbour master what would happen next.

Nobody else was willing to comment.
"""

PAGE_STRIKE = """Strike talks stall as union rejects offer

The Transport Workers' Union (TWU) said on Tuesday that the offer was not enough. Union \
officials, citing a survey of members, said most drivers would vote to strike.

The union's announcement that it would ballot members came after weeks of talks.

A bus driver from the Eastgate depot, who has worked on the routes for twenty years and asked \
not to be named, said the drivers felt ignored.

Ankara said it was watching the talks closely.

Dr Paul Hearne, a transport economist at the University of Northfield, said a strike would \
cost the city millions.
"""

PAGE_FERRY = """Ferry firm faces questions over cancelled crossings

Omar Haddad, a spokesman for the Portvale Harbour Authority, said the piers were unsafe. \
“We will rebuild them before the summer,” he said.

Two volunteers from a food bank, handing out bread in a church hall turned shelter, said they \
had fed 300 families.

The company's lawyer said the firm would ask the court to delay the hearing.

A man who has worked on the ferries for ten years said the engines had been failing for \
months. His first name is Tam.

Passengers wanted to know whether the company would publish its safety records.

No comment from Ankara was expected.

Mayor Ines Moreau told the Carrow Courier that the town would pay for repairs. The Herald \
said the council had set aside funds.

A deckhand told the Courier that the crew had not been paid.
"""

PAGE_INTERVIEW = """Q&A: the ferry that shook at speed

A marine engineer explains what went wrong on the crossing

Lena Ostrova, a marine engineer, inspected the ferry in March. She spoke to the Coast Review \
by phone.

Coast Review: What did you find?

Lena Ostrova: Corrosion on every weld I looked at. Families told me the boat shook at speed.

CR: Did you tell the operator?

LO: I wrote to them twice. The regulator said it would look into it.
"""


PAGE_SALVAGE = """Chamber warns of strike costs

The Chamber of Commerce, citing data from its members, estimated that the walkout cost the \
port £2 million a day.

She once asked a neighbour what the noise was. The neighbour, she said, told her to stay in.

“Nobody warned us,” the skipper said. The warning came from Alan Porter, who runs the Harbour \
Rowing Club.

Three engineers working for Osprey Marine, a Dutch salvage company, inspected the wreck. The \
company said the hull was intact in an email on Friday.
"""


PAGE_RELEASE = """Monitor warns of river pollution

Residents say the water smells of chemicals

The Wendle River Watch (WRW) said on Friday that fish had died along a two-mile stretch. The \
Network also published photographs of foam on the weir.

Smoke rises over the plant on Thursday. The company said it was investigating. (Coast Newswire \
Photo/Ana Ruiz)

Anglers were questioned by police, accused of trespassing on the bank.

About the Wendle River Network

The Wendle River Network is a coalition of 12 angling clubs and residents' groups.
"""


PAGE_DAM = """Dam report sparks row

Photographs of the cracked spillway were later published by an independent newspaper.

Greenland, which regards the dam as unsafe, has asked for an inspection.

According to the operator's own maintenance log, the gates were last tested in 2019.

A man who works at the pumping station said the alarms had failed twice. Officials from the \
Valley Water Board, which runs the dam, said the claims were exaggerated. He gave his name \
as Tomas Berg.
"""


PAGE_PARTY = """Party leader warns of new offensive

Kurdish officials have accused the army of shelling villages, in a claim that will add to \
tensions between the two sides.

• Commanders say the front line has held

Asya Zanyar, co-chair of the Democratic Union Party (PYD), said the offensive would fail.

The Upland Water Authority said reservoirs were full. Upland Water Authority staff later \
said the dam was safe.
"""


@pytest.fixture(scope="module")
def sourced(tmp_path_factory) -> pd.DataFrame:
    raw = tmp_path_factory.mktemp("raw")
    pages = {"harbour": PAGE_HARBOUR, "strike": PAGE_STRIKE, "ferry": PAGE_FERRY,
             "interview": PAGE_INTERVIEW, "salvage": PAGE_SALVAGE,
             "release": PAGE_RELEASE, "dam": PAGE_DAM, "party": PAGE_PARTY}  # fmt: skip
    for name, text in pages.items():
        (raw / f"{name}.txt").write_text(text, encoding="utf-8")
    return build(raw, tmp_path_factory.mktemp("out"), progress=False)["sources"]


def names(sourced: pd.DataFrame, doc_id: str) -> set[str]:
    return set(sourced.query("doc_id == @doc_id")["source"])


def row(sourced: pd.DataFrame, doc_id: str, source: str) -> pd.DataFrame:
    rows = sourced.query("doc_id == @doc_id and source == @source")
    assert len(rows), f"{source} not among {names(sourced, doc_id)}"
    return rows


def test_a_cue_in_an_infinitive_takes_the_subject_of_the_main_clause(sourced) -> None:
    assert set(row(sourced, "harbour", "Fishermen")["cue"]) == {"speak"}


def test_prepositional_sources(sourced) -> None:
    assert set(row(sourced, "harbour", "the coastguard")["cue"]) == {"from"}
    assert set(row(sourced, "harbour", "a harbour pilot")["cue"]) == {"quoting"}
    assert set(row(sourced, "strike", "a survey of members")["cue"]) == {"citing"}
    radio = row(sourced, "harbour", "Radio Portvale")
    assert set(radio[["cue", "source_type"]].itertuples(index=False)) == {
        ("broadcast by", "news_media")
    }
    assert "interview with" in set(row(sourced, "harbour", "the Island Gazette")["cue"])
    # "The union's announcement that": the union named before, by its long form
    assert "announcement" in set(row(sourced, "strike", "Transport Workers' Union (TWU)")["cue"])


def test_a_disclosure_of_evidence_makes_its_subject_a_source(sourced) -> None:
    cfm = row(sourced, "harbour", "Coastal Flood Monitor (CFM)")
    assert set(cfm["cue"]) == {"released", "said"}
    assert "Footage" not in names(sourced, "harbour")


def test_a_cue_the_parse_left_without_a_subject_takes_the_noun_before_it(sourced) -> None:
    assert "a ferry captain" in names(sourced, "harbour")  # "In an interview with X, a … said"
    assert "volunteers from a food bank" in names(sourced, "ferry")  # "…, handing out …, said"


def test_what_is_listed_is_a_source(sourced) -> None:
    harbour = names(sourced, "harbour")
    assert not harbour & {"I", "Nobody else", "Footage", "The statement", "PORTVALE", "Coast Wire"}
    # the statement is the authority's, the dateline's place and agency are no source
    assert set(row(sourced, "harbour", "Portvale Harbour Authority (PHA)")["n"]) == {2}
    # a relative clause is cut from the name; a description goes to the person it describes
    assert "A bus driver from the Eastgate depot" in names(sourced, "strike")
    ferry = names(sourced, "ferry")
    assert "Omar Haddad" in ferry and "a spokesman" not in ferry
    assert "Tam" in ferry and "A man" not in ferry  # "His first name is Tam"


def test_reported_and_hypothetical_cues_are_no_sources(sourced) -> None:
    ferry = names(sourced, "ferry")
    assert "the firm" not in ferry  # "the lawyer said the firm would ask the court"
    assert "the company" not in ferry  # "whether the company would publish"
    assert "The neighbour" not in names(sourced, "salvage")  # "The neighbour, she said, told"


def test_a_citers_own_material_is_not_another_source(sourced) -> None:
    salvage = names(sourced, "salvage")
    assert not salvage & {"data from its members", "its members"}
    assert set(row(sourced, "salvage", "Chamber of Commerce")["cue"]) == {"estimated", "warns"}


def test_the_words_came_from_a_person_not_the_club_that_person_runs(sourced) -> None:
    assert set(row(sourced, "salvage", "Alan Porter")["cue"]) == {"from"}
    assert "Harbour Rowing Club" not in names(sourced, "salvage")


def test_the_company_is_the_body_the_article_described_as_one(sourced) -> None:
    assert set(row(sourced, "salvage", "Osprey Marine")["cue"]) == {"said"}


def test_the_pages_own_outlet_is_no_source(sourced) -> None:
    ferry = names(sourced, "ferry")
    assert "Carrow Courier" in ferry  # "the Herald", named in full before
    assert not ferry & {"Courier", "the Courier"}  # the page's own, named by one word only
    interview = names(sourced, "interview")
    assert not interview & {"Coast Review", "CR"}  # the interviewer's labels


def test_a_press_release_and_a_caption_give_no_source_of_their_own(sourced) -> None:
    release = names(sourced, "release")
    assert not release & {"Network", "Wendle River Network"}  # "About the … Network"
    assert "The company" not in release  # in a caption: "… (Coast Newswire Photo/Ana Ruiz)"
    assert "Anglers" not in release  # "accused of trespassing": the accused


def test_a_headlines_bare_noun_is_the_source_below_or_none(sourced) -> None:
    release = names(sourced, "release")
    assert "Monitor" not in release  # singular, and nothing below is a monitor
    assert "Residents" in release  # a group
    assert set(row(sourced, "release", "Wendle River Watch (WRW)")["source_type"]) == {
        "monitor_ngo"
    }


def test_a_passive_agent_and_a_relative_which_are_sources(sourced) -> None:
    paper = row(sourced, "dam", "an independent newspaper")  # "published by X"
    assert set(paper[["cue", "source_type"]].itertuples(index=False)) == {
        ("published", "news_media")
    }
    greenland = row(sourced, "dam", "Greenland")  # "Greenland, which regards …": a state
    assert set(greenland["type_reason"]) == {"gpe_state"}


def test_a_document_with_its_owner_is_both(sourced) -> None:
    log = row(sourced, "dam", "the operator's own maintenance log")
    assert set(log["source_type"]) == {"document_statement"}
    assert "the operator" in names(sourced, "dam")
    assert "Dam" not in names(sourced, "dam")  # "the operator" is no headline word


def test_a_name_given_later_goes_to_the_person_not_the_body(sourced) -> None:
    dam = names(sourced, "dam")
    assert "Tomas Berg" in dam and "A man who works at the pumping station" not in dam
    assert "Officials from the Valley Water Board" in dam


def test_one_name_per_source(sourced) -> None:
    assert set(row(sourced, "party", "Kurdish officials")["cue"]) == {"accused"}  # no "claim"
    party = names(sourced, "party")
    assert "Commanders" in party and "• Commanders" not in party
    assert "The Upland Water Authority" not in party
    assert set(row(sourced, "party", "Upland Water Authority")["n"]) == {2}
    zanyar = row(sourced, "party", "Asya Zanyar")  # a party leader speaks for it
    assert set(zanyar["type_reason"]) == {"armed_group:pyd:spokesperson"}


def test_an_interviews_answers_are_the_interviewees(sourced) -> None:
    interview = row(sourced, "interview", "Lena Ostrova")
    assert "interview" in set(interview["cue"])
    assert "explains" in set(interview["cue"])  # "A marine engineer explains", named below
    assert not names(sourced, "interview") & {"Families", "The regulator", "the regulator"}


def test_a_capital_is_its_government_and_no_comment_is_no_source(sourced) -> None:
    turkey = row(sourced, "strike", "Turkey")
    assert set(turkey[["source_type", "type_reason"]].itertuples(index=False)) == {
        ("government_official", "gpe_state")
    }
    assert not names(sourced, "ferry") & {"Turkey", "Ankara"}  # "No comment from Ankara"


def test_every_type_keeps_its_reason(sourced) -> None:
    assert sourced["type_reason"].str.len().gt(0).all()
    hearne = row(sourced, "strike", "Paul Hearne")
    assert set(hearne["type_reason"]) == {"lexicon:other:economist"}
    assert set(row(sourced, "strike", "Transport Workers' Union (TWU)")["source_type"]) == {"other"}
    assert set(row(sourced, "harbour", "Coast Echo")["source_type"]) == {"news_media"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Orontes Observation Network (OON) said", "Orontes Observation Network (OON)"),
        ("the Coastal Flood Monitor, or CFM, said", "Coastal Flood Monitor (CFM)"),
        ("NDSO (National Digital Safety Office) said", "National Digital Safety Office (NDSO)"),
        ("the Harbour Pilots Association, known as HPA, said", "Harbour Pilots Association (HPA)"),
        ("On Monday the Shelter Watch Network (SWN) said", "Shelter Watch Network (SWN)"),
    ],
)
def test_an_acronym_and_its_long_form_are_one_source(text: str, expected: str) -> None:
    found = article_aliases([text])
    acronym = expected[expected.index("(") + 1 : -1]
    long = expected[: expected.index(" (")]
    assert found[fold(acronym)] == found[fold(long)] == found[fold(f"the {long}")] == expected


def test_a_dateline_is_no_alias() -> None:
    assert article_aliases(["ANKARA (Meridian Wire) — Turkish troops pushed deeper."]) == {}


@pytest.mark.parametrize(
    ("name", "described", "phrases", "expected"),
    [
        ("Ozan Tekin", ["a freelance reporter based in Hasakah"], [], "news_media:journalist"),
        ("Aram Sido", ["a Kurdish activist"], [], "monitor_ngo:monitor"),
        ("Environment Protection Agency", [], [], "government_official:government"),
        ("the regulator", [], ["the regulator"], "government_official:government"),
        ("Brandt Polymers", ["a chemicals company"], [], "other:company_or_expert"),
        ("Tom Ellery", ["counter-terror expert"], [], "other:company_or_expert"),
        ("Labour Court of Verrano", [], [], "court_legal:court"),
        ("the ruling", [], ["the ruling"], "court_legal:court"),
        ("an internal memo", [], ["an internal memo"], "document_statement:document"),
        ("Syrian Observatory for Human Rights", [], [], "monitor_ngo:monitor"),
        ("a senior official", [], ["A senior official, who asked not to be named,"],
         "anonymous_official:anonymous"),
        ("Turkish officials", [], ["Turkish officials"], "government_official:government"),
        ("Nura Sheikho", ["a 41-year-old teacher who fled the town"], [],
         "local_residents:residents"),
        ("Polat Can", ["a spokesman for the SDF"], [], "armed_group_spokesperson:armed_group"),
        ("Samir Haddad", [], [], "other:default_other"),
    ],
)  # fmt: skip
def test_source_types_and_their_reasons(name, described, phrases, expected) -> None:
    kind, reason = source_type(Evidence(name, phrases, described, named=name[:1].isupper()))
    assert kind == expected.split(":")[0]
    key = expected.split(":")[1]
    assert reason.startswith((f"lexicon:{kind}", key)) or reason == key
    if reason.startswith("lexicon:"):
        rules = {r.get("key"): r for r in lexicon()["source_type"]["rules"]}
        assert reason.split(":")[2] in {fold(w) for w in rules[key]["words"]}


def test_the_original_outlet_is_an_outlet_by_its_own_name_in_all_its_forms() -> None:
    from helpers.across.chain import most_cited_outlet

    rows = [
        ("a", "The Ferry Ledger", "lexicon:news_media:the ferry ledger"),
        ("b", "Ferry Ledger", "lexicon:news_media:ferry ledger"),
        ("c", "Ferry Ledger", "lexicon:news_media:ferry ledger"),
        # a person the lexicon typed by the outlet in her description, three times
        ("a", "Mira Holm", "lexicon:news_media:the coast post"),
        ("b", "Mira Holm", "lexicon:news_media:the coast post"),
        ("c", "Mira Holm", "lexicon:news_media:the coast post"),
        ("d", "Mira Holm", "lexicon:news_media:the coast post"),
        ("a", "screenshots", "noun:news_media"),  # not a name
        ("b", "screenshots", "noun:news_media"),
        ("c", "screenshots", "noun:news_media"),
        ("d", "screenshots", "noun:news_media"),
        ("d", "Coast Post", "lexicon:news_media:coast post"),
    ]
    sources = pd.DataFrame(rows, columns=["doc_id", "source", "type_reason"]).assign(
        source_type="news_media"
    )
    assert most_cited_outlet(sources) == "Ferry Ledger"  # 3 articles in two forms
    assert most_cited_outlet(sources.iloc[3:0]) == ""
