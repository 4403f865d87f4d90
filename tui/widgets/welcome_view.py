"""The empty conversation: what is indexed, three example questions from the index, the keys."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from qa.archive.overview import Overview
from tui.render import NO_OUTLET, one_line

MAX_OUTLETS = 6  # outlets named on the first screen; the rest are counted
KEYS = ("Enter ask · Tab next pane · y copy · Esc back to the question line\n"
        "Ctrl+F filters · Ctrl+O history · Ctrl+P commands · F1 all keys")


def overview_text(overview: Overview | None, loading: str, *, strong, muted, key) -> Text:
    text = Text()
    text.append("Ask the archive a question: every sentence of the answer is cited.\n\n", muted)
    if overview is None:
        text.append(f"Opening the index: {loading}\n", muted)
        text.append("A question typed now is answered as soon as the index is ready.\n\n", muted)
    else:
        n = overview.articles
        text.append(f"{n} article{'s' if n != 1 else ''}", strong)
        if overview.date_range:
            first, last = overview.date_range
            text.append(f", {first} to {last}" if first != last else f", dated {first}")
        if overview.undated:
            text.append(f" ({overview.undated} undated)", muted)
        text.append("\n")
        outlets = overview.outlets
        named = [f"{one_line(name)} {count}" for name, count in outlets[:MAX_OUTLETS]]
        if len(outlets) > MAX_OUTLETS:
            named.append(f"{len(outlets) - MAX_OUTLETS} more outlets")
        if overview.no_outlet:
            named.append(f"{NO_OUTLET} {overview.no_outlet}")
        text.append("Outlets: ", muted)
        text.append(" · ".join(named) or "none stated")
        text.append("\n\n")
        if overview.examples:
            text.append("Try one: press its number\n", muted)
            for i, question in enumerate(overview.examples, 1):
                text.append(f" {i} ", key)
                text.append(" " + one_line(question) + "\n")
            text.append("\n")
    text.append(KEYS, muted)
    return text


class WelcomeView(Widget):
    """Shown while the conversation is empty; the chat hides it with the first question."""

    COMPONENT_CLASSES = {"welcome--strong", "welcome--muted", "welcome--key"}

    DEFAULT_CSS = """
    WelcomeView { height: auto; padding: 0 1; }
    WelcomeView > .welcome--strong { text-style: bold; }
    WelcomeView > .welcome--muted { color: $text-muted; }
    WelcomeView > .welcome--key { text-style: bold; color: $background; background: $accent; }
    """

    overview: reactive[Overview | None] = reactive(None, layout=True)
    state: reactive[str] = reactive("starting…", layout=True)

    def render(self) -> Text:
        style = self.get_component_rich_style
        return overview_text(self.overview, self.state, strong=style("welcome--strong"),
                             muted=style("welcome--muted"), key=style("welcome--key"))
