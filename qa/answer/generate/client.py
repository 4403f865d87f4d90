"""One OpenAI-compatible `/chat/completions` call over httpx, streamed or not.

Text goes to the configured URL and nowhere else: no proxy from the environment (`trust_env=False`),
no redirect followed. Every failure (unreachable, timeout, an HTTP error, a refusal, a reply that is
not the API's JSON) is raised as `LLMError`, one line, with a `kind` for `--json` and eval.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass

from qa.answer.generate.settings import LLMSettings
from qa.errors import BylineError


class LLMError(BylineError):
    """The model could not give an answer; `kind` says why (unreachable, timeout, http, refused, malformed)."""

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.kind = kind


@dataclass
class Reply:
    text: str
    model: str | None  # the model the server says answered (else the one asked for)
    ttft_ms: float | None  # time to the first token of text
    total_ms: float
    finish_reason: str | None = None
    interrupted: bool = False  # the stream was stopped (Ctrl+C, a cancelled worker) before its end


def _content(choice: dict, key: str) -> tuple[str, str | None]:
    part = choice.get(key) or {}
    if not isinstance(part, dict):
        raise LLMError("the model's reply is not OpenAI-compatible JSON", "malformed")
    content = part.get("content")
    if content is not None and not isinstance(content, str):
        raise LLMError("the model's reply is not OpenAI-compatible JSON", "malformed")
    refusal = part.get("refusal")
    return content or "", refusal if isinstance(refusal, str) and refusal.strip() else None


def _choice(data) -> dict:
    try:
        choice = data["choices"][0]
    except (KeyError, IndexError, TypeError):
        raise LLMError("the model's reply is not OpenAI-compatible JSON (no choices)", "malformed") from None
    if not isinstance(choice, dict):
        raise LLMError("the model's reply is not OpenAI-compatible JSON", "malformed")
    return choice


class ChatClient:
    def __init__(self, settings: LLMSettings):
        self.settings = settings

    def _request(self, messages: list[dict], stream: bool) -> tuple[dict, dict]:
        body = {"messages": messages, "temperature": self.settings.temperature,
                "max_tokens": self.settings.max_tokens, "stream": stream}
        if self.settings.model:
            body["model"] = self.settings.model
        headers = {"Content-Type": "application/json"}
        key = self.settings.api_key()
        if key:
            headers["Authorization"] = f"Bearer {key}"
        return body, headers

    def complete(self, messages: list[dict], *, stream: bool = True, on_token: Callable[[str], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> Reply:
        """Ask the model; `on_token(text)` gets each piece of a streamed reply as it arrives.
        `cancelled()` is polled between pieces; a KeyboardInterrupt also stops the stream: either
        way the text so far comes back with `interrupted` set."""
        try:
            import httpx
        except ImportError:  # pragma: no cover - spaCy brings it; a trimmed install may not
            raise LLMError("answers by a model need httpx: pip install 'byline[llm]'", "unreachable") from None

        body, headers = self._request(messages, stream)
        url = self.settings.url + "/chat/completions"
        timeout = httpx.Timeout(self.settings.timeout)
        t0 = time.perf_counter()
        where = self.settings.where
        try:
            with httpx.Client(timeout=timeout, trust_env=False, follow_redirects=False) as http:
                with http.stream("POST", url, json=body, headers=headers) as response:
                    if response.status_code >= 400:
                        response.read()
                        raise LLMError(f"the model server at {where} answered HTTP {response.status_code}", "http")
                    kind = response.headers.get("content-type", "")
                    if stream and "text/event-stream" in kind:
                        return self._events(response, t0, on_token, cancelled)
                    raw = response.read()
        except httpx.TimeoutException:
            raise LLMError(f"the model server at {where} did not answer within {self.settings.timeout:g} s",
                           "timeout") from None
        except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.NetworkError) as exc:
            raise LLMError(f"cannot reach the model server at {where} ({type(exc).__name__})", "unreachable") from None
        except httpx.HTTPError as exc:
            raise LLMError(f"the request to the model server at {where} failed ({type(exc).__name__})",
                           "unreachable") from None
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise LLMError("the model's reply is not OpenAI-compatible JSON", "malformed") from None
        choice = _choice(data)
        text, refusal = _content(choice, "message")
        if refusal and not text:
            raise LLMError("the model refused to answer", "refused")
        elapsed = (time.perf_counter() - t0) * 1000
        if on_token and text:
            on_token(text)
        model = data.get("model") if isinstance(data, dict) and isinstance(data.get("model"), str) else None
        return Reply(text, model or self.settings.model, elapsed, elapsed, choice.get("finish_reason"))

    def _events(self, response, t0: float, on_token, cancelled) -> Reply:
        parts: list[str] = []
        ttft = None
        model = None
        finish = None
        refusal = None
        interrupted = False
        try:
            for line in response.iter_lines():
                if cancelled is not None and cancelled():
                    interrupted = True
                    break
                line = line.strip()
                if not line.startswith("data:"):
                    continue
                payload = line[5:].strip()
                if payload == "[DONE]":
                    break
                try:
                    data = json.loads(payload)
                except ValueError:
                    raise LLMError("the model's stream is not OpenAI-compatible JSON", "malformed") from None
                if isinstance(data, dict) and data.get("error"):
                    raise LLMError("the model server reported an error in its stream", "http")
                if isinstance(data, dict) and isinstance(data.get("model"), str):
                    model = data["model"]
                choices = data.get("choices") if isinstance(data, dict) else None
                if not choices:
                    continue
                choice = _choice(data)
                piece, said_no = _content(choice, "delta")
                refusal = refusal or said_no
                finish = choice.get("finish_reason") or finish
                if piece:
                    if ttft is None:
                        ttft = (time.perf_counter() - t0) * 1000
                    parts.append(piece)
                    if on_token:
                        on_token(piece)
        except KeyboardInterrupt:
            interrupted = True
        text = "".join(parts)
        if refusal and not text:
            raise LLMError("the model refused to answer", "refused")
        return Reply(text, model or self.settings.model, ttft, (time.perf_counter() - t0) * 1000, finish, interrupted)
