"""Byline's index: files on disk to a persistent FAISS + SQLite index that `qa` searches."""

# dataclasses reads `typing` from sys.modules without the import lock: a class defined while another thread (a
# search's, importing torch) is still importing typing fails with "partially initialized module 'typing'". Imported
# here, by whichever thread imports the package first, it is whole before any thread of ours starts (the race of
# tests/test_parse_import.py failed 2 runs in 36 on a loaded machine without this, 0 in 40 with it).
import typing  # noqa: F401
