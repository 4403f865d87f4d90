"""A user points Byline at files and folders: good articles load, bad ones are reported, nothing crashes."""

from __future__ import annotations

import json
import os
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

import index.corpus
from index.ingest.documents import Document, LoadIssue
from index.errors import InputError
from index.ingest.loading import document_from_text, iter_documents, load_paths

CORPUS = Path(index.corpus.__file__).parent
STORY = "The two presidents spoke for two hours by video link on Tuesday evening.\n"
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
PNG_BYTES = PNG_HEADER + bytes(range(256)) * 4


def only(issues: list[LoadIssue]) -> LoadIssue:
    assert len(issues) == 1, issues
    return issues[0]


# --- the bundled corpus -------------------------------------------------------------------------


def test_bundled_corpus_loads_as_five_cleaned_articles_in_order() -> None:
    documents, issues = load_paths([CORPUS])
    assert issues == []
    assert [d.id for d in documents] == sorted(p.stem for p in CORPUS.glob("*.txt"))
    first = documents[1]
    assert first.id == "001_1797f815085c3a86"
    assert first.path == str(CORPUS / "001_1797f815085c3a86.txt")
    assert (first.title, first.source, first.published_at) == (
        "Putin-Biden: how to avoid war in Ukraine",
        "Le Figaro",  # "Source: lefigaro", by its display name (index/ingest/outlet_names.json)
        "2022-01-09T18:38:59",
    )
    assert "The Limited Times" not in first.text
    assert all(d.text.strip() for d in documents)


def test_iter_documents_yields_one_at_a_time_and_reports_files_that_vanish(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(f"Story {name}\n\n{STORY}", encoding="utf-8")
    issues: list[LoadIssue] = []
    documents = iter_documents([tmp_path], issues)
    assert isinstance(documents, Iterator)
    assert next(documents).id == "a"
    (tmp_path / "c.txt").unlink()  # removed while loading
    assert [d.id for d in documents] == ["b"]
    assert only(issues).path == str(tmp_path / "c.txt")
    assert only(issues).level == "error"


def test_missing_path_is_an_input_error_before_anything_loads(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "news.jsonl"
    with pytest.raises(InputError) as raised:
        iter_documents([CORPUS, missing], [])
    assert str(raised.value) == f"No such file or folder: {missing}"


# --- JSON and JSONL --------------------------------------------------------------------------------


def test_real_jsonl_of_609_articles_loads_with_its_metadata(tmp_path: Path) -> None:
    """The MultiHop-RAG articles bundled with the package (eval/data/multihop), so this runs from a clone."""
    from eval.suites import suite_files

    _, articles = suite_files("multihop", tmp_path)
    documents, issues = load_paths([articles])  # its time: python -m bench timings
    assert issues == []
    assert len(documents) == 609
    first = documents[0]
    assert first.id == "mh_79d2d476f3"
    assert first.path == f"{articles}:1"
    assert (first.title, first.source, first.published_at) == (
        "200+ of the best deals from Amazon's Cyber Monday sale",
        "Mashable",
        "2023-11-27T08:45:59",
    )
    assert first.url == "https://mashable.com/article/cyber-monday-deals-amazon-2023"
    assert first.tags == ("entertainment",) and first.extra == {}  # its category, as a tag


def test_jsonl_with_a_broken_line_reports_its_number_and_loads_the_rest(tmp_path: Path) -> None:
    good = {"id": "a1", "title": "Talks end", "text": STORY}
    path = tmp_path / "news.jsonl"
    lines = [json.dumps(good), '{"id": "a2", "text": "cut off', "", json.dumps({**good, "id": "a3"})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    documents, issues = load_paths([path])
    assert [(d.id, d.path) for d in documents] == [("a1", f"{path}:1"), ("a3", f"{path}:4")]
    issue = only(issues)
    assert (issue.path, issue.line, issue.level) == (str(path), 2, "error")
    assert "not valid JSON" in issue.message


def test_json_fields_are_found_under_their_usual_other_names(tmp_path: Path) -> None:
    articles = [
        {
            "headline": "Talks end without a deal",
            "body": STORY,
            "outlet": "Reuters",
            "pubDate": "Tue, 07 Dec 2021 23:54:00 GMT",
            "link": "https://example.com/talks",
            "author": "Jane Doe",
        },
        {"content": STORY, "source": {"id": "bbc", "name": "BBC News"}, "date": "sometime in spring"},
        {"title": "No text at all"},
    ]
    path = tmp_path / "batch.json"
    path.write_text(json.dumps(articles), encoding="utf-8")
    documents, issues = load_paths([path])
    first, second = documents
    assert first == Document(
        id="batch:1",
        text=STORY.strip(),
        title="Talks end without a deal",
        source="Reuters",
        published_at="2021-12-07",
        url="https://example.com/talks",
        author="Jane Doe",
        path=str(path),
    )
    assert (second.id, second.source, second.published_at) == ("batch:2", "BBC News", None)
    assert second.extra == {"published_at_raw": "sometime in spring"}
    dropped, missing, outlet_object = issues  # the date that is not one is reported, not silently dropped
    assert dropped.message == """item 2: "date" 'sometime in spring' is not a date; dropped"""
    assert missing.level == "error" and missing.message.startswith("item 3: no article text")
    assert outlet_object.message.startswith('"source" is an object (first at')


def test_author_url_and_tags_are_kept_and_unknown_fields_reported_once_a_file(tmp_path: Path) -> None:
    lines = [{"id": f"a{n}", "text": STORY, "author": ["Jane Doe", {"name": "Ann Lee"}], "url": "https://x.example/a",
              "tags": ["summit", "Geneva", "summit"], "lang": "en", "score": n} for n in range(3)]
    lines.append({"id": "a3", "text": STORY, "category": "politics", "mood": "calm", "authors": 5})
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    documents, issues = load_paths([path])
    first, last = documents[0], documents[-1]
    assert (first.author, first.url, first.tags) == ("Jane Doe, Ann Lee", "https://x.example/a", ("summit", "Geneva"))
    assert (last.author, last.tags) == (None, ("politics",))
    wrong_type, unknown = issues
    assert (wrong_type.line, wrong_type.message) == (4, '"authors" is a number, not text; dropped')
    assert unknown.line is None and unknown.message.startswith(
        "unknown fields ignored: 'lang' (line 1), 'score' (line 1), 'mood' (line 4); Byline reads id, text, title")


def test_json_fields_win_over_what_the_text_says(tmp_path: Path) -> None:
    article = {"id": 7, "title": "The real title", "text": "A headline line in the text\n\n2020-01-01\n\n" + STORY}
    path = tmp_path / "one.json"
    path.write_text(json.dumps(article), encoding="utf-8")
    (document,), _ = load_paths([path])
    assert (document.id, document.title, document.published_at) == ("7", "The real title", "2020-01-01")


# --- bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"  \n\r\n\t \n"])
def test_empty_file_is_a_warning_and_skipped(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    documents, issues = load_paths([path])
    assert documents == []
    assert only(issues).level == "warning"
    assert "empty" in only(issues).message


def test_png_renamed_txt_is_not_a_text_file(tmp_path: Path) -> None:
    (tmp_path / "photo.txt").write_bytes(PNG_BYTES)
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    documents, issues = load_paths([tmp_path])
    assert [d.id for d in documents] == ["story"]
    assert (only(issues).path, only(issues).level) == (str(tmp_path / "photo.txt"), "error")
    assert "not a text file" in only(issues).message


def test_latin1_file_is_decoded_right_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "cafe.txt"
    path.write_bytes("Café déjà vu in the old town\n\nThe café reopened on Monday.\n".encode("latin-1"))
    (document,), issues = load_paths([path])
    assert document.text == "Café déjà vu in the old town\n\nThe café reopened on Monday."
    assert document.title == "Café déjà vu in the old town"
    assert only(issues).level == "warning"
    assert "decoded as cp1252" in only(issues).message


def test_utf8_bom_and_windows_line_ends_do_not_reach_the_text(tmp_path: Path) -> None:
    path = tmp_path / "windows.txt"
    path.write_bytes(b"\xef\xbb\xbfTalks end without a deal\r\n\r\n" + STORY.encode())
    (document,), issues = load_paths([path])
    assert issues == []
    assert document.text == "Talks end without a deal\n\n" + STORY.strip()
    assert document.title == "Talks end without a deal"


def test_file_over_the_size_limit_is_rejected_without_being_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as file:
        file.truncate(50_000_000)
    tracemalloc.start()  # memory shows it was never read; the time is in python -m bench timings
    try:
        documents, issues = load_paths([path])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000
    assert documents == []
    issue = only(issues)
    assert issue.level == "error"
    assert "50.0 MB" in issue.message and "20.0 MB limit" in issue.message


def test_jsonl_line_over_the_size_limit_is_skipped_and_the_rest_loads(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    big = json.dumps({"id": "big", "text": "word " * 50_000})
    small = json.dumps({"id": "small", "text": STORY})
    path.write_text(f"{big}\n{small}\n", encoding="utf-8")
    documents, issues = load_paths([path], max_bytes=10_000)
    assert [d.id for d in documents] == ["small"]
    assert (only(issues).line, only(issues).level) == (1, "error")


def test_html_page_gives_text_title_site_and_date_but_no_script_or_style(tmp_path: Path) -> None:
    paragraphs = "".join(
        f"<p>Paragraph {n} of the story: the presidents spoke for two hours about the border crisis.</p>"
        f"<script>var tracker{n} = 'pixel';</script>"
        for n in range(1, 4)
    )
    html = f"""<!doctype html><html><head>
        <title>Talks end without a deal | Daily Planet</title>
        <meta property="og:site_name" content="Daily Planet">
        <meta property="article:published_time" content="2021-12-07T10:00:00Z">
        <style>body {{ font-family: Arial; }} .ad {{ display: none; }}</style>
        <script>window.dataLayer = []; function track() {{ return 1; }}</script>
        </head><body><nav>Home | World | Sport</nav>
        <article><h1>Talks end without a deal</h1>{paragraphs}</article>
        <script>track();</script><style>p {{ color: red; }}</style></body></html>"""
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    (document,), issues = load_paths([path])
    assert issues == []
    assert (document.id, document.title, document.source, document.published_at) == (
        "page",
        "Talks end without a deal",
        "Daily Planet",
        "2021-12-07",
    )
    for code in ("tracker", "dataLayer", "track()", "font-family", "display: none", "color: red", "<"):
        assert code not in document.text
    assert "Paragraph 1 of the story" in document.text
    assert "border crisis.\nParagraph 2" in document.text  # paragraph breaks kept as newlines


def test_symlink_loop_in_a_folder_neither_hangs_nor_crashes(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    (folder / "inner").mkdir(parents=True)
    (folder / "inner" / "story.txt").write_text(STORY, encoding="utf-8")
    os.symlink(folder, folder / "inner" / "back-to-top")  # folder loop
    os.symlink("self.txt", folder / "self.txt")  # file that points at itself
    documents, issues = load_paths([folder])
    assert [d.id for d in documents] == ["inner/story"]
    assert (only(issues).path, only(issues).level) == (str(folder / "self.txt"), "error")


def test_symlinked_folder_outside_is_followed_once_when_asked(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "old.txt").write_text(STORY, encoding="utf-8")
    folder = tmp_path / "news"
    folder.mkdir()
    os.symlink(archive, folder / "archive-link")
    os.symlink(archive, folder / "same-archive-again")
    documents, issues = load_paths([folder], follow_symlinks=True)
    assert ([d.path for d in documents], issues) == ([str(folder / "archive-link" / "old.txt")], [])
    assert [d.id for d in documents] == ["archive-link/old"]


def test_symlinks_leading_outside_the_folder_are_skipped_and_reported(tmp_path: Path) -> None:
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "secret.txt").write_text(STORY, encoding="utf-8")
    folder = tmp_path / "news"
    (folder / "inside").mkdir(parents=True)
    (folder / "inside" / "story.txt").write_text(STORY, encoding="utf-8")
    os.symlink(outside / "secret.txt", folder / "leak.txt")
    os.symlink(outside, folder / "leaky-folder")
    os.symlink(folder / "inside" / "story.txt", folder / "alias.txt")  # inside: followed (loaded once)
    documents, issues = load_paths([folder])
    assert [d.id for d in documents] == ["alias"]
    assert sorted(i.path for i in issues) == [str(folder / "leak.txt"), str(folder / "leaky-folder")]
    assert all("outside the folder being indexed" in i.message and "--follow-symlinks" in i.message for i in issues)


def test_rich_markup_is_stored_as_text_and_escape_codes_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "hostile.txt"
    path.write_text(
        "[bold red]Breaking[/] news about [link=https://evil.example]this[/link]\n\n"
        "\x1b[31mThe presidents\x1b[0m spoke\x1b]0;pwned\x07 for two hours.\x1b[2J\n",
        encoding="utf-8",
    )
    (document,), issues = load_paths([path])
    assert issues == []
    assert document.text == (
        "[bold red]Breaking[/] news about [link=https://evil.example]this[/link]\n\nThe presidents spoke for two hours."
    )
    assert "\x1b" not in document.text
    assert document.title == "[bold red]Breaking[/] news about [link=https://evil.example]this[/link]"


def test_unsupported_types_are_skipped_in_folders_and_reported_when_named(tmp_path: Path) -> None:
    (tmp_path / "story.md").write_text(f"# Talks end\n\n{STORY}", encoding="utf-8")
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / ".hidden.txt").write_text(STORY, encoding="utf-8")
    documents, issues = load_paths([tmp_path])
    assert ([d.id for d in documents], issues) == (["story"], [])
    documents, issues = load_paths([tmp_path / "report.pdf"])
    assert documents == []
    assert only(issues).level == "error" and "unsupported file type '.pdf'" in only(issues).message


def test_same_named_files_in_different_folders_are_different_articles(tmp_path: Path) -> None:
    for folder in ("a", "b", "c"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "in.txt").write_text(f"Story from {folder}\n\n{STORY}", encoding="utf-8")
    documents, issues = load_paths([tmp_path])
    assert ([d.id for d in documents], issues) == (["a/in", "b/in", "c/in"], [])


def test_same_id_from_two_roots_is_told_apart_by_a_stable_hash(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.txt").write_text(f"Story from {folder}\n\n{STORY}", encoding="utf-8")
    documents, issues = load_paths([tmp_path / "a", tmp_path / "b"])
    first, second = documents
    assert first.id == "story" and second.id.startswith("story~") and len(second.id) == len("story~") + 8
    assert second.id == load_paths([tmp_path / "a", tmp_path / "b"])[0][1].id  # the same on every load
    assert only(issues).level == "warning" and f"this one is {second.id!r}" in only(issues).message


def test_a_given_jsonl_id_twice_is_an_error_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [{"id": "x1", "text": STORY}, {"id": "x2", "text": STORY + " Two."}, {"id": "x1", "text": "Other."}]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    documents, issues = load_paths([path])
    assert [d.id for d in documents] == ["x1", "x2"]
    assert (only(issues).level, only(issues).line) == ("error", 3)
    assert "duplicate article id 'x1'" in only(issues).message


def test_same_file_named_twice_is_loaded_once(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    documents, issues = load_paths([tmp_path, tmp_path / "story.txt"])
    assert ([d.id for d in documents], issues) == (["story"], [])


def test_article_of_nothing_but_boilerplate_is_skipped_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "teaser.txt"
    path.write_text("The Limited Times\n\nSource link\n\nTrends 24h\n", encoding="utf-8")
    documents, issues = load_paths([path])
    assert documents == []
    assert only(issues).level == "warning" and "only boilerplate" in only(issues).message


def test_document_from_text_reads_metadata_before_cleaning() -> None:
    raw = "The Limited Times\n\nTalks end without a deal\n\n2022-01-09T18:38:59.130Z\n\n" + STORY + "\nSource: lefigaro\n"
    document = document_from_text("x1", raw, path="inbox/x1.txt", known={"url": "https://example.com/x1"})
    assert document == Document(
        id="x1",
        text="Talks end without a deal\n\n" + STORY.strip(),
        title="Talks end without a deal",
        source="Le Figaro",
        published_at="2022-01-09T18:38:59",
        url="https://example.com/x1",
        path="inbox/x1.txt",
    )


def test_a_long_one_line_article_is_cut_into_bounded_sentences_in_order() -> None:
    from index.ingest.sentences import MAX_BLOCK, PIECE, PYSBD_BUDGET, split_sentences

    sentence = "Mr. Biden met Mr. Putin for 2.5 hours on Tuesday, officials in Geneva said. "
    text = sentence * ((PYSBD_BUDGET + 5 * MAX_BLOCK) // len(sentence))  # past pysbd's budget, on one line
    spans = split_sentences(text)
    assert all(end - start <= PIECE for start, end in spans)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:]))
    assert [text[s:e] for s, e in spans[:2]] == [sentence.strip()] * 2  # pysbd: "Mr." is no sentence end
    assert text[spans[-1][0]:spans[-1][1]] == "Putin for 2.5 hours on Tuesday, officials in Geneva said."  # rough cut
    covered = sum(end - start for start, end in spans)
    assert covered == len(text) - len(spans)  # every character but the space between two sentences


def test_a_line_with_no_sentence_end_is_still_cut() -> None:
    from index.ingest.sentences import PIECE, split_sentences

    text = "word " * 20_000  # 100,000 characters, no punctuation, one line
    spans = split_sentences(text)
    assert len(spans) >= len(text) // PIECE and all(end - start <= PIECE for start, end in spans)
