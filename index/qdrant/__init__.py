"""The Qdrant store: the backend behind the same protocol as the embedded one (`index.backend`), its
collections' schema, writes, keyword terms and words, verification, the points made from prepared
articles, the Ray Data ingest pipeline that fills it, and `byline index migrate` from an embedded index."""
