"""What a run was made with: the assistant's configuration, the project version and git commit."""

from __future__ import annotations

import hashlib
import platform
import subprocess
from dataclasses import asdict, is_dataclass
from pathlib import Path


def project_version() -> str | None:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("byline")
    except PackageNotFoundError:
        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        try:
            import tomllib
            return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
        except (OSError, KeyError, ValueError):
            return None


def git_commit() -> str | None:
    """`git rev-parse HEAD` of the checkout this code runs from, or None (no git, not a checkout)."""
    try:
        res = subprocess.run(["git", "rev-parse", "HEAD"], cwd=Path(__file__).resolve().parent,
                             capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    out = res.stdout.strip()
    return out if res.returncode == 0 and out else None


def file_sha256(path: str | Path) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def _plain(obj):
    if is_dataclass(obj) and not isinstance(obj, type):
        return {k: _plain(v) for k, v in asdict(obj).items()}
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    return str(obj)


def assistant_config(assistant) -> dict:
    """Model, backend, index stats from `info()`; chunking, fusion, thresholds from `settings_dict()`."""
    info = _plain(assistant.info())
    settings_fn = getattr(assistant, "settings_dict", None)
    settings = _plain(settings_fn()) if callable(settings_fn) else None
    return {
        "model": info.get("model"),
        "backend": info.get("backend"),
        "dimension": info.get("dimension"),
        "index": info,
        "settings": settings,
    }


def environment() -> dict:
    return {
        "byline_version": project_version(),
        "git_commit": git_commit(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
