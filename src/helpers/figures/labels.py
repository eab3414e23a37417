"""The words a reader sees for the kit's own names: table columns, source types, chain
relations. One map, used by every figure legend and every table shown, so a name reads the
same in the notebooks, the figures and the report."""

from __future__ import annotations

LABELS = {
    # columns
    "outlet": "Outlet",
    "doc_id": "Document",
    "published": "Published",
    "published_month": "Month",
    "n_words": "Words",
    "words": "Words",
    "lines_kept": "Lines kept",
    "lines_dropped": "Lines dropped",
    "reason": "Reason",
    "line": "Line",
    "kind": "Kind",
    "speaker": "Speaker",
    "speaker_surface": "Speaker as written",
    "cue": "Cue",
    "utterance_id": "Quotation",
    "utterance_speaker": "Speaker the relays agree on",
    "text": "Text",
    "reference": "Reference version",
    "fidelity": "Fidelity (1 = verbatim)",
    "changes": "Changes",
    "diff": "Word by word",
    "entity": "Entity",
    "mentions": "Mentions",
    "first_line": "First line",
    "first_position": "First named (share of text read)",
    "in_headline": "In the headline",
    "lead_mentions": "Mentions in the lead",
    "lead_share": "Share in the lead",
    "quotes": "Quotations",
    "quoted_words": "Quoted words",
    "quoted_share": "Share of words quoted",
    "speakers": "Speakers",
    "sentences": "Sentences",
    "words_per_sentence": "Words per sentence",
    "source": "From",
    "target": "To",
    "relation": "Relation",
    "original": "Original outlet",
    "status": "Status",
    "sentences_about": "Sentences about the account",
    "evidence": "Deciding sentence",
    "claim_id": "Claim",
    "similarity": "Similarity to the claim",
    "near_duplicate": "Near-duplicate",
    "republication": "Republication",
    "share_of_a_in_b": "Share in shared passages",
    "outlet_a": "Article",
    "outlet_b": "Found in",
    "task": "Task",
    "unit": "Unit",
    "n": "Count",
    "precision": "Precision",
    "recall": "Recall",
    "f1": "F1",
    "accuracy": "Accuracy",
    "per_1000_words": "Per 1,000 words",
    # source types
    "news_media": "News media",
    "government_official": "Government official",
    "anonymous_official": "Anonymous official",
    "military_official": "Military official",
    "armed_group_member": "Armed-group member",
    "armed_group_spokesperson": "Armed-group spokesperson",
    "monitor_ngo": "Monitor or NGO",
    "court_legal": "Court or legal",
    "social_media": "Social media",
    "document_statement": "Document or statement",
    "local_residents": "Local residents",
    "other": "Other",
}

# the attribution chain's relations (apart: "quotes" is also a column)
RELATIONS = {
    "republishes": "republishes (credit line)",
    "cites": "cites as its source",
    "quotes": "quotes (through that outlet)",
    "embeds": "embeds a post",
}


def label(name: str) -> str:
    """The reader's word for ``name``; a name the map lacks is shown with spaces for
    underscores and a capital, never raw."""
    return LABELS.get(name) or name.replace("_", " ").capitalize()
