"""Names of the tables ``python -m helpers build`` writes (one Parquet file each)."""

TABLES = (
    "articles",
    "blocks",
    "sentences",
    "mentions",
    "quotes",
    "sources",
    "labels",
    "stance",
    "utterances",
    "chain",
    "distinctive",
    "similarity",
    "passages",
    "claims",
    "caveats",
)
