"""Shared fixtures: one real index of the bundled seed articles per test session, built with the
real model (offline), real FAISS and a real SQLite file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _temp_folders_in_memory(config) -> None:
    """The tests' folders (tmp_path) under /dev/shm when it is writable and has room (4 GiB; a full run
    writes about 300 MB, and pytest keeps the last three runs): every SQLite, FAISS and Qdrant file the
    tests write is the real one, only in memory, so a commit does not wait for the disk to sync (Qdrant's
    local mode syncs once a point). Nothing here tests durability across a power cut, which no disk
    under a test could. `--basetemp` or PYTEST_DEBUG_TEMPROOT, when given, win."""
    if config.option.basetemp or os.environ.get("PYTEST_DEBUG_TEMPROOT"):
        return
    try:
        shm = os.statvfs("/dev/shm")
    except OSError:
        return
    if shm.f_bavail * shm.f_frsize >= 4 << 30 and os.access("/dev/shm", os.W_OK):
        os.environ["PYTEST_DEBUG_TEMPROOT"] = "/dev/shm"


def pytest_configure(config):
    _temp_folders_in_memory(config)
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    cache = getattr(config, "cache", None)
    base = Path(cache.makedir("byline")) if cache else Path("/tmp/byline-tests")
    os.environ.setdefault("BYLINE_CACHE", str(base / "cache"))  # the ONNX export, made once
    os.environ["BYLINE_INDEX"] = str(base / "never-the-user-index")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # each pytest-xdist worker keeps its own history
    os.environ["BYLINE_HISTORY"] = str(base / f"history{worker}.sqlite")  # `byline ask` keeps turns; never the user's


@pytest.fixture(scope="session", autouse=True)
def one_click_command_per_app():
    """typer's CliRunner turns the Typer app into its click command again on every `invoke` (reading every
    command's annotations: about 15 ms of a 21 ms invoke that fails on a bad option), where the `byline`
    process does it once. Here it is done once per app, as a process does; each invoke still parses,
    runs and exits through that same command. (The app is not changed after import.)"""
    import typer.testing

    build = getattr(typer.testing, "_get_command", None)
    if build is None:  # a typer that no longer builds it here: each invoke builds it, only slower
        yield
        return
    built: dict[int, tuple[object, object]] = {}

    def command(app):
        if id(app) not in built:
            built[id(app)] = (app, build(app))  # the app kept, so its id is never reused
        return built[id(app)][1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typer.testing, "_get_command", command)
        yield


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory) -> Path:
    from index.api import default_corpus_paths
    from qa import build_index

    path = tmp_path_factory.mktemp("seed-index")
    build_index(default_corpus_paths(), path)
    return path


@pytest.fixture(scope="session")
def assistant(seed_index_dir):
    from qa import Assistant

    a = Assistant.open(seed_index_dir, build_default=False)
    yield a
    a.close()


@pytest.fixture(scope="session")
def seed_outcomes(assistant):
    """The bundled seed questions asked once a session of the shared seed index, as `byline eval` asks
    them: the seed floors (test_eval_seed.py) and the backend contract (test_backends.py) read this run."""
    from eval.questions import load_questions
    from eval.runner import Runner

    return Runner(assistant).run(load_questions())


@pytest.fixture(scope="session")
def seed_answers(assistant) -> dict:
    """The shared seed index's answer to each bundled seed question, asked once a session: what the
    copies built other ways (a Qdrant migration, a Ray build) must answer alike."""
    from eval.questions import load_questions

    return {q.question: assistant.ask(q.question) for q in load_questions()}


@pytest.fixture(scope="session")
def crossed_ivf(tmp_path_factory, seed_corpus):
    """An index with `approximate_above` at its lowest: the seed articles (flat), then 30 generated ones
    added in one commit that crosses the line (IVF). Built once a session (the 30 articles are about
    2,400 windows to read and embed); a test that changes it copies the folder. Returns the folder, the
    30 article files and the vector index's kind after each of the two adds."""
    from index.api import Index
    from index.settings import IVF_MIN_VECTORS, IndexSettings
    from tests.integrity_tools import write_articles

    root = tmp_path_factory.mktemp("crossed-ivf")
    index = Index.create(root / "idx", IndexSettings(approximate_above=IVF_MIN_VECTORS))
    try:
        index.add_paths([seed_corpus])
        kinds = [index.vectors.kind]
        articles = write_articles(root / "more", seed_corpus, 30)
        index.add_paths(articles)
        kinds.append(index.vectors.kind)
    finally:
        index.close()
    return root / "idx", articles, kinds


@pytest.fixture(scope="session")
def seed_corpus() -> Path:
    import index.corpus

    return Path(index.corpus.__file__).parent
