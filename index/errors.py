"""Errors the index raises. Each carries one line a user can act on."""


class BylineError(Exception):
    """Base of every error Byline reports to a user as one clear line."""


class IndexMissingError(BylineError):
    """No index at the given place."""


class IndexUnreachableError(BylineError):
    """The index is on a server (Qdrant) that cannot be reached or does not answer sensibly."""


class IndexMismatchError(BylineError):
    """The index was made with another model, dimension or format version."""


class IndexCorruptError(BylineError):
    """The index files are damaged or inconsistent."""


class DatabaseUnreadableError(IndexCorruptError):
    """SQLite's own check fails: `repair` carries what can still be read into a new index (index.embedded.salvage)."""


class IndexBusyError(BylineError):
    """Another process is writing the index."""


class InputError(BylineError):
    """A path or file given to the index cannot be used."""


class IndexReadOnlyError(BylineError):
    """The index directory cannot be written: reading works, changes are refused."""
