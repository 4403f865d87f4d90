"""Where the index is, when no `--index` says: `$BYLINE_INDEX`, else the `index` key of the config
file, else the folder in the user data directory (`index.settings.default_index_dir`).

The config file is TOML, `config.toml` in the user config directory (platformdirs; on Linux
`~/.config/byline/config.toml`), or the file `$BYLINE_CONFIG` names:

    index = "qdrant+http://qdrant.internal:6333"   # or "qdrant+/srv/byline-qdrant", or a folder

    [llm]                                          # optional: a language model writes the answer
    url = "http://127.0.0.1:8080/v1"               # (qa.answer.generate.settings has the other keys)

Read when asked, never at import; an unreadable file is refused with one line.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from index.backend import is_qdrant
from index.errors import InputError

KEYS = ("index", "llm")


@dataclass(frozen=True)
class Config:
    index: str | None = None
    llm: dict | None = None  # the [llm] table, read by qa.answer.generate.settings (only when asked for)


def config_path() -> Path:
    env = os.environ.get("BYLINE_CONFIG")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("byline", appauthor=False)) / "config.toml"


def load_config(path: Path | None = None) -> Config:
    path = path or config_path()
    if not path.is_file():
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"The config file {path} cannot be read ({exc}); fix or remove it") from exc
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise InputError(f"The config file {path} has unknown keys {', '.join(unknown)}; it knows: {', '.join(KEYS)}")
    index = data.get("index")
    if index is not None and (not isinstance(index, str) or not index.strip()):
        raise InputError(f"The config file {path}: `index` must be a folder or qdrant+URL/PATH in quotes")
    llm = data.get("llm")
    if llm is not None and not isinstance(llm, dict):
        raise InputError(f"The config file {path}: `llm` must be a table ([llm] with url = \"http://HOST:PORT/v1\")")
    return Config(index=index, llm=llm)


def index_location(given: str | Path | None = None) -> str | Path:
    """The index to use: `given` (a `--index` option), else $BYLINE_INDEX, else the config file's
    `index`, else the user data folder. A folder comes back as a resolved Path, `qdrant+…` as a str."""
    for candidate in (given, os.environ.get("BYLINE_INDEX"), load_config().index):
        if candidate:
            if is_qdrant(candidate):
                return str(candidate)
            return Path(candidate).expanduser().resolve()
    from index.settings import default_index_dir

    return default_index_dir()
