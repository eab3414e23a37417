"""The build: the named stages in order, the engines that run them, the table store, the
per-article cache and the benchmark."""
