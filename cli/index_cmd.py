"""`byline index …`: build, add, remove, list, stats, verify, optimize, repair. Parse, call the library,
render."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from cli.render import console, fail, one_line_errors, print_json, progress_bar, table
from qa.archive.untrusted import one_line, printable

app = typer.Typer(help="Build and maintain the article index.", no_args_is_help=True)

IndexOpt = typer.Option(None, "--index", "-i", help="Index directory or qdrant+URL / qdrant+PATH "
                                                    "(default: $BYLINE_INDEX, the config file, or the user data dir).")
JsonOpt = typer.Option(False, "--json", help="Print JSON for scripts.")
FollowOpt = typer.Option(False, "--follow-symlinks",
                         help="Follow symlinks that lead outside the folders given (default: skip and report them).")
WorkersOpt = typer.Option(1, "--workers", "-w",
                          help="Processes that split and annotate articles while this one encodes (default 1).")


def _workers(n: int, as_json: bool) -> int:
    if not 1 <= n <= 64:
        fail(f"--workers must be 1 to 64, not {n}; try --workers 2", as_json=as_json, kind="bad_option")
    return n


def _dir(index: str | None):
    from qa.archive.admin import index_dir

    return index_dir(index)


def _report(report, as_json: bool, verb: str) -> None:
    if as_json:
        print_json(report.to_dict())
        return
    out = console()
    out.print(f"{verb}: {len(report.added)} new, {len(report.updated)} updated, "
              f"{len(report.unchanged)} unchanged; {report.chunks_embedded} chunks embedded, "
              f"{report.chunks_cached} from cache.")
    for new, old, bits in report.near_duplicates:
        skipped = " (skipped)" if new in report.skipped else ""
        out.print(f"near-duplicate: {one_line(new)} ≈ {one_line(old)} ({bits} bits apart){skipped}", markup=False)
    err = console(stderr=True)
    for issue in report.issues:
        err.print(f"{issue.level}: {one_line(str(issue))}", markup=False, highlight=False, soft_wrap=True)
    if report.dependency_log:
        err.print(f"note: Ray's own log lines are in {report.dependency_log}", markup=False, highlight=False,
                  soft_wrap=True)


def _ray_address(ray: str) -> str | None:
    """`local`: a one-node cluster started here; `auto`: $RAY_ADDRESS when set, else the same (never a
    cluster someone else happened to start on this machine); anything else: that address."""
    if ray == "auto":
        return os.environ.get("RAY_ADDRESS") or None
    return None if ray == "local" else ray


@app.command()
def build(paths: list[Path] = typer.Argument(None, help="Files or folders of articles (default: the bundled corpus)."),
          index: str | None = IndexOpt, rebuild: bool = typer.Option(False, "--rebuild", help="Start from an empty index."),
          model: str | None = typer.Option(None, help="sentence-transformers model name or local folder."),
          backend: str | None = typer.Option(None, help="onnx-int8 (default), onnx or torch; `qdrant` with --qdrant."),
          qdrant: str | None = typer.Option(None, "--qdrant", help="Build into Qdrant: a URL (server) or a folder "
                                                                   "(local mode); same as --index qdrant+URL|PATH."),
          ray: str | None = typer.Option(None, "--ray", help="Ingest through Ray Data: a cluster address, "
                                                             "`local` for a one-node cluster here, or `auto` "
                                                             "($RAY_ADDRESS, else local) (Qdrant only)."),
          chunk_words: int | None = typer.Option(None, min=4, max=512, help="Words per window (4 to 512; default 24)."),
          chunk_stride: int | None = typer.Option(None, min=1, max=512,
                                                  help="Words between window starts (1 to --chunk-words; default 12)."),
          skip_near_duplicates: bool = typer.Option(False, help="Skip articles nearly identical to one indexed."),
          workers: int = WorkersOpt, follow_symlinks: bool = FollowOpt, as_json: bool = JsonOpt):
    """Build (or update) an index from files; unchanged articles are skipped."""
    from qa.archive.admin import BACKENDS, build, ingest_with_ray

    if backend is not None and backend not in (*BACKENDS, "qdrant"):
        fail(f"--backend must be one of {', '.join(BACKENDS)} (or qdrant, with --qdrant), not {backend!r}",
             as_json=as_json, kind="bad_option")
    words = chunk_words or 24
    if chunk_stride is not None and chunk_stride > words:
        fail(f"--chunk-stride must be 1 to --chunk-words ({words}), not {chunk_stride}", as_json=as_json,
             kind="bad_option")
    if backend == "qdrant":  # the store, not an encoder backend: the encoder keeps its default
        if not qdrant:
            fail("--backend qdrant needs --qdrant URL|PATH (where Qdrant is)", as_json=as_json, kind="bad_option")
        backend = None
    location = _dir(f"qdrant+{qdrant}" if qdrant else index)
    with (one_line_errors("interrupted; the index is as it was before this build", as_json=as_json),
          progress_bar(not as_json) as progress):
        if ray:
            report = ingest_with_ray(paths or None, location, _ray_address(ray), model=model,
                                     backend_name=backend, chunk_words=chunk_words, chunk_stride=chunk_stride,
                                     rebuild=rebuild, skip_near_duplicates=skip_near_duplicates,
                                     workers=_workers(workers, as_json), progress=progress,
                                     follow_symlinks=follow_symlinks)
        else:
            report = build(paths or None, location, rebuild=rebuild, model=model, backend=backend,
                           chunk_words=chunk_words, chunk_stride=chunk_stride,
                           skip_near_duplicates=skip_near_duplicates, progress=progress,
                           workers=_workers(workers, as_json), follow_symlinks=follow_symlinks)
    _report(report, as_json, "built")


@app.command()
def migrate(to: str = typer.Option(..., "--to", help="qdrant+URL or qdrant+PATH to copy the index into."),
            index: str | None = IndexOpt, as_json: bool = JsonOpt):
    """Copy an embedded index into Qdrant, vectors included (nothing is re-embedded)."""
    from qa.archive.admin import migrate as migrate_index

    with (one_line_errors("interrupted; run it again to finish (writes are idempotent)", as_json=as_json),
          progress_bar(not as_json) as progress):
        report = migrate_index(_dir(index), to, progress=progress)
    _report(report, as_json, "migrated")


@app.command()
def add(paths: list[Path] = typer.Argument(..., help="Files or folders of articles."), index: str | None = IndexOpt,
        skip_near_duplicates: bool = typer.Option(False, help="Skip articles nearly identical to one indexed."),
        workers: int = WorkersOpt, follow_symlinks: bool = FollowOpt, as_json: bool = JsonOpt):
    """Add new or changed articles; identical ones are a no-op."""
    from qa.archive.admin import add as add_articles

    with (one_line_errors("interrupted; the index is as it was before this add", as_json=as_json),
          progress_bar(not as_json) as progress):
        report = add_articles(paths, _dir(index), skip_near_duplicates=skip_near_duplicates, progress=progress,
                              workers=_workers(workers, as_json), follow_symlinks=follow_symlinks)
    _report(report, as_json, "added")


@app.command()
def remove(keys: list[str] = typer.Argument(..., help="Article ids or the paths they were loaded from."),
           index: str | None = IndexOpt, as_json: bool = JsonOpt):
    """Remove articles by id or path."""
    from qa.archive.admin import remove as remove_articles

    with one_line_errors(as_json=as_json):
        removed = remove_articles(keys, _dir(index))
    if as_json:
        print_json({"removed": removed})
    else:
        console().print(f"removed {len(removed)} article(s): " + ", ".join(map(one_line, removed)), markup=False)


@app.command("list")
def list_(index: str | None = IndexOpt, as_json: bool = JsonOpt):
    """List indexed articles: id, title, outlet, date."""
    from qa.archive.admin import list_articles

    with one_line_errors(as_json=as_json):
        rows = list_articles(_dir(index))
    if as_json:
        print_json(rows)
        return
    console().print(table("Articles", ["id", "title", "outlet", "date"],
                          [[r["id"], r["title"], r["outlet"], (r["published_at"] or "")[:10]] for r in rows]))


@app.command()
def stats(index: str | None = IndexOpt, as_json: bool = JsonOpt):
    """Articles, chunks, model, backend and size on disk."""
    from qa.archive.admin import stats as index_stats

    with one_line_errors(as_json=as_json):
        st = index_stats(_dir(index))
    if as_json:
        print_json(st)
        return
    console().print(table("Index", ["field", "value"], [[k, v] for k, v in st.items()]))


@app.command()
def verify(index: str | None = IndexOpt, full: bool = typer.Option(False, "--full", help="Compare every vector with the database's copy (default: a sample)."),
           as_json: bool = JsonOpt):
    """Check the index for damage or inconsistency; non-zero exit when any is found."""
    from qa.archive.admin import verify as verify_index

    with one_line_errors(as_json=as_json):
        result = verify_index(_dir(index), full=full)
    problems, leftovers = result["problems"], result["leftovers"]
    if as_json:
        print_json({"ok": not problems, **result})
    elif not problems:
        note = (f" ({len(leftovers)} file(s) left by an interrupted write: {', '.join(leftovers)}; "
                "the next write removes them)") if leftovers else ""
        console().print("index OK" + printable(note), markup=False, soft_wrap=True)
    if problems:
        if not as_json:
            fix = ("byline index repair" if all("repair" in p or "index add" in p for p in problems)
                   else "byline index build --rebuild PATH")
            fail("index damaged: " + "; ".join(problems) + f" — fix with: {fix}")
        raise typer.Exit(1)


@app.command()
def repair(index: str | None = IndexOpt, as_json: bool = JsonOpt):
    """Mend a damaged index from its intact copies; says what was re-embedded and what to re-add."""
    from qa.archive.admin import repair as repair_index

    with one_line_errors(as_json=as_json):
        report = repair_index(_dir(index))
    if as_json:
        print_json({"repaired": not report.lost, **report.to_dict()})
        return
    said = [f"repaired: wrote {report.vectors} vectors from the database"]
    if report.salvaged:
        said.append(f"SQLite could not read the database whole: carried {len(report.rederived)} article(s) "
                    "into a new one")
    if report.damaged_files:
        said.append(f"replaced the damaged vector file(s) {', '.join(report.damaged_files)}")
    if report.from_file:
        said.append(f"restored {report.from_file} damaged stored vectors from the intact vector file")
    if report.rederived and not report.salvaged:
        said.append(f"rebuilt {len(report.rederived)} article(s) from their stored text "
                    f"({', '.join(report.rederived[:5])})")
    if report.keywords_rebuilt:
        said.append("rebuilt the keyword index")
    said.append(f"re-embedded {report.reembedded} windows" if report.reembedded else "nothing was re-embedded")
    console().print("; ".join(said) + ".", markup=False, soft_wrap=True)
    if report.lost:
        files = " ".join(x.get("file") or x["id"] for x in report.lost)
        fail(f"{len(report.lost)} article(s) were damaged beyond repair (no copy holds their text) and were "
             f"removed; re-add them: byline index add {files}")


@app.command()
def optimize(index: str | None = IndexOpt, as_json: bool = JsonOpt):
    """Merge the vector segments into one file and drop removed vectors (writes also merge past a threshold)."""
    from qa.archive.admin import optimize as optimize_index

    with one_line_errors("interrupted; the index is as it was before", as_json=as_json):
        merged = optimize_index(_dir(index))
    if as_json:
        print_json(merged)
    else:
        console().print(f"optimized: {merged['segments']} vector segment(s) and {merged['deleted_vectors']} "
                        f"removed vector(s) merged into 1 segment of {merged['vectors']} vectors.", markup=False,
                        soft_wrap=True)
