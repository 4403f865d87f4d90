"""qa data as Rich `Text`, with every untrusted string shown literally.

Article text, titles, outlets and questions may hold Rich markup (`[bold red]`) or terminal escape
sequences. Nothing here ever parses markup: strings go in through `Text.append`, and control
characters are swapped one-for-one for visible symbols (so character offsets stay valid).
Styles come from the caller (a widget's component classes), so colours follow the Textual theme.
Missing metadata is said plainly: "outlet not stated", and an untitled article is shown by its
first words (the caller's `titles` lookup), never by a file id.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.style import Style
from rich.table import Table
from rich.text import Text

from qa import Answer, Filters, Source
from qa.archive.naming import citation_line, quoted, shown_location  # noqa: F401 - quoted (never ““…””; display only): also from here
from qa.archive.untrusted import one_line, printable
from qa.types import NO_OUTLET, UNTITLED  # noqa: F401 - the words for missing metadata (NO_OUTLET: imported from here)

NO_DATE = "date not stated"

# article id -> a title to show when the source has none (the article's first words)
Titles = Callable[[str], "str | None"]

# every untrusted string is shown through these (index.ingest.untrusted): control characters made visible,
# one for one (ESC -> ␛, a C1 control -> U+FFFD), so offsets still point right
literal = printable


def short_date(published_at: str | None) -> str:
    return printable((published_at or "")[:10])


def citation_marks(numbers: tuple[int, ...]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def no_titles(article_id: str) -> str | None:
    return None


def source_title(source: Source, titles: Titles = no_titles) -> str:
    """The article's name as qa gives it (title, else first words); `titles` for answers stored before."""
    return one_line(source.name) or one_line(source.title) or one_line(titles(source.article_id)) or UNTITLED


def source_heading(source: Source, titles: Titles = no_titles) -> str:
    """`Outlet · Title · 2021-12-07`, the CLI's citation line too (qa.archive.naming.citation_line)."""
    return one_line(citation_line(source, source_title(source, titles)))


def source_label(source: Source, *, number: Style, quote: Style, meta: Style,
                 titles: Titles = no_titles) -> Text:
    """Two or more lines for the sources pane: `[n] outlet · title · date` then the quote."""
    text = Text(no_wrap=False)
    text.append(f"[{source.number}] ", number)
    text.append(source_heading(source, titles), meta)
    text.append("\n")
    text.append(quoted(one_line(source.quote)), quote)
    where = shown_location(source.location)
    if where:  # path:line in the user's own file, as the CLI shows it
        text.append(f"\n{where}", meta)
    return text


def abstention_line(answer: Answer, where: str = "under Sources") -> str:
    """The one message an abstention gets: its reason, and where the closest passages are."""
    reason = one_line(answer.reason) or "The indexed articles don't say."
    n = len(answer.closest)
    if n == 1:
        reason += f" The closest passage, which does not answer it, is {where}."
    elif n > 1:
        reason += f" The {n} closest passages, which do not answer it, are {where}."
    return reason


def answer_body(answer: Answer, *, citation: Style, muted: Style, warning: Style, strong: Style) -> Text:
    """"read as" first, then the short answer in bold, the cited sentences, notes; or the abstention."""
    text = Text()
    if answer.resolved_question and answer.resolved_question.strip() != answer.question.strip():
        text.append("read as: " + one_line(answer.resolved_question) + "\n", muted)
    if answer.abstained:
        text.append(abstention_line(answer) + "\n", warning)
    else:
        if answer.generated_by:
            text.append("written by " + one_line(answer.generated_by) + "; every sentence checked against its source\n",
                        muted)
        short = answer.short_answer
        if short is not None and short.text.strip():
            text.append(one_line(short.text), strong)
            text.append(" ")  # `two hours [1]`: markers stand apart from the words they cite
            text.append(f"[{short.citation}]", citation)
            text.append("\n")
        if answer.sentences:  # a verdict alone: its claims follow as a table (`claims_table`)
            for i, sentence in enumerate(answer.sentences[:1] if answer.claims else answer.sentences):
                if i:
                    text.append(" ")
                text.append(literal(sentence.text))
                if sentence.citations:
                    text.append(" ")
                    text.append(citation_marks(sentence.citations), citation)
            text.append("\n")
        else:
            text.append(literal(answer.text) + "\n")
    for note in answer.notes:
        text.append("note: " + one_line(note) + "\n", muted)
    if answer.dropped:
        text.append(f"note: {len(answer.dropped)} of the model's sentences left out, not supported by the sources\n",
                    muted)
    text.rstrip()
    return text


def claims_table(answer: Answer, *, citation: Style, muted: Style) -> Table:
    """A yes/no answer's claims as a small table under its verdict: verdict, outlet, date, cited passage
    (article text always as `Text`, never markup)."""
    table = Table(box=None, show_header=True, header_style=muted, padding=(0, 1), expand=True)
    table.add_column("verdict", no_wrap=True)
    table.add_column("outlet", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("passage", ratio=1)
    quotes = {s.number: s.quote for s in answer.sources}
    for claim in answer.claims:
        passage = Text()
        for n in claim.citations:
            passage.append(literal(one_line(quotes.get(n, ""))))
            passage.append(citation_marks((n,)), citation)
        if not claim.citations:
            passage.append(literal(one_line(claim.note or claim.text)), muted)
        table.add_row(Text(claim.verdict), Text(literal(claim.outlet or NO_OUTLET)),
                      Text((claim.published_at or "")[:10]), passage)
    return table


def filters_line(filters: Filters) -> str:
    return literal(filters.describe())
