"""Analysis: the built tables summarised for each notebook (one module per notebook), and
loading the tables."""
