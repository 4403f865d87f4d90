"""The embedded store, one folder on disk: SQLite (articles, sentences, windows, FTS5), FAISS vector segments
and a tantivy keyword index. The writer and reader, their SQL, row packing and checksums, segment merging,
locking, atomic swaps, and the integrity tools (verify, repair, salvage)."""
