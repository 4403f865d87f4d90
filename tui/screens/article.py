"""The article viewer: metadata on top, the full cleaned text, scrolled to the cited span."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from qa import Article, Source
from qa.archive.naming import article_name
from tui.render import NO_DATE, NO_OUTLET, literal, one_line, quoted, short_date

CONTEXT_LINES = 3  # lines of text kept visible above the cited span


def find_span(text: str, source: Source) -> tuple[int, int] | None:
    """The cited span in `text`: the stored offsets when they hold the quote, else where the quote is."""
    start, end = source.start, source.end
    if 0 <= start < end <= len(text) and (not source.quote or text[start:end].strip() == source.quote.strip()):
        return start, end
    quote = (source.quote or "").strip()
    if quote:
        found = text.find(quote)
        if found >= 0:
            return found, found + len(quote)
    if 0 <= start < end <= len(text):
        return start, end
    return None


class ArticleScreen(Screen):
    """Esc (or q) goes back to the chat, which is left exactly as it was. The text is at most
    about 100 columns wide, centred (see `byline.tcss`)."""

    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back"),
        Binding("c", "scroll_to_span", "Cited passage"),
        Binding("y", "copy_quote", "Copy quote"),
    ]

    COMPONENT_CLASSES = {"article--cited", "article--title", "article--meta"}

    def __init__(self, article: Article, source: Source | None = None) -> None:
        super().__init__()
        self.article = article
        self.source = source
        self.span = find_span(article.text, source) if source else None
        self.span_line: int | None = None  # the wrapped line the span starts on, once laid out
        self.body: Text | None = None  # the article as shown, with the cited span styled

    def compose(self) -> ComposeResult:
        with Horizontal(id="article-head"):
            yield Static(id="article-meta", markup=False)
        with VerticalScroll(id="article-scroll"):
            yield Static(id="article-body", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#article-meta", Static).update(self._metadata())
        self.body = self._body()
        self.query_one("#article-body", Static).update(self.body)
        self.query_one("#article-scroll").focus()
        self.call_after_refresh(self.action_scroll_to_span)
        if self.source is not None and self.span is None:
            self.notify("The cited passage was not found in this version of the article.",
                        severity="warning")

    def _metadata(self) -> Text:
        style = self.get_component_rich_style
        a = self.article
        text = Text()
        text.append(one_line(article_name(a.title, a.text)), style("article--title"))
        author = f"by {one_line(a.author)}" if one_line(a.author) else ""
        meta = " · ".join(m for m in (one_line(a.outlet) or NO_OUTLET, short_date(a.published_at) or NO_DATE,
                                      author, one_line(a.url)) if m)
        text.append("\n" + meta, style("article--meta"))
        if a.tags:
            text.append("\ntags: " + ", ".join(one_line(t) for t in a.tags), style("article--meta"))
        if self.source is not None:
            text.append(f"\nCited as [{self.source.number}]: ", style("article--meta"))
            text.append(quoted(one_line(self.source.quote)))
        return text

    def action_copy_quote(self) -> None:
        from tui.export import copied_quote_message, quote_markdown

        if self.source is None:
            self.notify("This article was not opened from a citation.", severity="warning")
            return
        name = article_name(self.article.title, self.article.text)
        self.app.copy_to_clipboard(quote_markdown(self.source, lambda _: name))
        self.notify(copied_quote_message(self.source), title="Copied")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("copy_quote", "scroll_to_span"):
            return self.source is not None
        return True

    def _body(self) -> Text:
        text = Text(literal(self.article.text))
        if self.span is not None:
            text.stylize(self.get_component_rich_style("article--cited"), *self.span)
        return text

    def _line_of(self, offset: int, width: int) -> int:
        prefix = Text(literal(self.article.text[:offset]) + "x")
        return max(0, len(prefix.wrap(self.app.console, width)) - 1)

    def action_scroll_to_span(self) -> None:
        if self.span is None:
            return
        body = self.query_one("#article-body", Static)
        width = body.content_region.width or self.size.width
        self.span_line = self._line_of(self.span[0], width)
        scroll = self.query_one("#article-scroll", VerticalScroll)
        scroll.scroll_to(y=max(0, self.span_line - CONTEXT_LINES), animate=False)
