"""Where the language model is and how to call it: the `[llm]` table of config.toml, or flags.

    [llm]
    url = "http://127.0.0.1:8080/v1"     # any OpenAI-compatible endpoint (llama.cpp, Ollama, vLLM, …)
    model = "smollm2"                    # sent as `model`; optional for single-model servers
    temperature = 0.0
    max_tokens = 400
    timeout = 60                         # seconds for the connection and between streamed chunks
    api_key_env = "OPENAI_API_KEY"       # the NAME of an environment variable; the key is never stored

The key is read from that variable when a request is made and is never kept on the settings, so
it cannot reach history, exports, logs or `--json`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from qa.errors import InputError

KEYS = ("url", "model", "temperature", "max_tokens", "timeout", "api_key_env")


@dataclass(frozen=True)
class LLMSettings:
    url: str
    model: str | None = None
    temperature: float = 0.0  # deterministic by default: the same passages give the same answer
    max_tokens: int = 400  # an answer of a few cited sentences; longer replies are cut and verified as far as they go
    timeout: float = 60.0  # a small local model on 2 cores takes ~10 s to read the prompt
    api_key_env: str | None = None

    @property
    def where(self) -> str:
        """The host and port the text goes to, as the answer's header says it."""
        parts = urlsplit(self.url)
        return parts.netloc or self.url

    def api_key(self) -> str | None:
        return os.environ.get(self.api_key_env) if self.api_key_env else None

    def public(self) -> dict:
        """What may be written down (eval reports): everything but the key's variable's value."""
        return {"url": self.url, "model": self.model, "temperature": self.temperature,
                "max_tokens": self.max_tokens, "timeout": self.timeout, "api_key_env": self.api_key_env}


def check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"--llm needs an http(s) URL such as http://127.0.0.1:8080/v1, not {url!r}")
    return url.strip().rstrip("/")


def from_table(table: dict, where: str = "config.toml") -> LLMSettings:
    unknown = sorted(set(table) - set(KEYS))
    if "api_key" in unknown:  # a key is never written in the file
        raise InputError(f"The [llm] table of {where} has unknown keys api_key: put the key in an environment "
                         "variable and name it with api_key_env")
    if unknown:
        raise InputError(f"The [llm] table of {where} has unknown keys {', '.join(unknown)}; it knows: {', '.join(KEYS)}")
    if not isinstance(table.get("url"), str):
        raise InputError(f"The [llm] table of {where} needs url = \"http://HOST:PORT/v1\"")
    try:
        return LLMSettings(url=check_url(table["url"]), model=table.get("model"),
                           temperature=float(table.get("temperature", 0.0)),
                           max_tokens=int(table.get("max_tokens", 400)), timeout=float(table.get("timeout", 60.0)),
                           api_key_env=table.get("api_key_env"))
    except (TypeError, ValueError) as exc:
        raise InputError(f"The [llm] table of {where}: {exc}") from exc


def resolve(url: str | None = None, model: str | None = None, table: dict | None = None, *,
            read_config: bool = True) -> LLMSettings | None:
    """The settings a command runs with: `--llm URL` / `--llm-model NAME` over the config's `[llm]`
    table; None when neither asks for a model (then nothing of this package is used)."""
    if table is None and read_config:
        from index.config import config_path, load_config

        table = load_config().llm
        where = str(config_path())
    else:
        where = "config.toml"
    base = from_table(table, where) if table else None
    if url:
        base = replace(base, url=check_url(url)) if base else LLMSettings(url=check_url(url))
    if base is not None and model:
        base = replace(base, model=model)
    return base

