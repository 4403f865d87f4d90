"""Byline's index: files on disk to a persistent FAISS + SQLite index that `qa` searches."""
