"""Article ids never collide: a file's id is its path under the folder being indexed, a JSON id stays as
given, and a file already indexed keeps the id it has (real model, FAISS and SQLite)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from index.api import Index

STORY = ("Talks between the two presidents lasted {n} hours in Geneva on day {n}, officials said, "
         "and the delegations agreed to meet again in the spring of the year {year}.")


@pytest.fixture
def fresh_index(tmp_path, seed_index_dir) -> Path:
    return Path(shutil.copytree(seed_index_dir, tmp_path / "idx"))


def _story(folder: Path, n: int, name: str = "story.txt") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(STORY.format(n=n, year=2000 + n), encoding="utf-8")
    return path


def test_a_date_folder_tree_of_200_same_named_files_loses_none(tmp_path):
    archive = tmp_path / "archive"
    for n in range(200):
        _story(archive / "2021" / f"{n // 28 + 1:02d}" / f"{n % 28 + 1:02d}", n)
    location = tmp_path / "idx"
    index = Index.create(location)
    report = index.add_paths([archive])
    index.close()
    assert (len(report.added), report.issues) == (200, [])
    listed = CliRunner().invoke(app, ["index", "list", "--index", str(location), "--json"])
    ids = [row["id"] for row in json.loads(listed.stdout)]
    assert len(set(ids)) == 200 and "2021/01/01/story" in ids and "2021/08/04/story" in ids


def test_same_named_files_added_one_by_one_stay_apart_and_keep_their_ids(fresh_index, tmp_path):
    first, second = _story(tmp_path / "a", 1, "in.txt"), _story(tmp_path / "b", 2, "in.txt")
    index = Index.open(fresh_index)
    assert index.add_paths([first]).added == ["in"]
    added = index.add_paths([second]).added
    assert len(added) == 1 and added[0].startswith("in~")  # "in" is the other file's
    assert index.article("in").path == str(first)
    again = index.add_paths([tmp_path])  # the folder: both already held under the ids they have
    assert (again.added, sorted(again.unchanged)) == ([], sorted(["in", added[0]]))
    assert index.remove([str(second)]) == added and index.article("in") is not None
    index.close()


def test_a_file_indexed_under_its_name_keeps_that_id_when_its_folder_is_added(fresh_index, tmp_path):
    nested = _story(tmp_path / "news" / "2021" / "12", 3)
    index = Index.open(fresh_index)
    assert index.add_paths([nested]).added == ["story"]  # as indexes made before path ids hold it
    report = index.add_paths([tmp_path / "news"])
    assert (report.added, report.unchanged) == ([], ["story"])
    nested.write_text(STORY.format(n=4, year=2004), encoding="utf-8")
    assert index.add_paths([tmp_path / "news"]).updated == ["story"]
    index.close()


def test_the_bundled_corpus_ids_are_the_file_names(seed_index_dir, seed_corpus):
    index = Index.open(seed_index_dir)
    assert sorted(row.id for row in index.list()) == sorted(p.stem for p in seed_corpus.glob("*.txt"))
    index.close()
