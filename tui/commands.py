"""Byline's commands in the command palette (Ctrl+P), and jumping to an article by its title.

The provider runs on the chat screen (`ChatScreen.COMMANDS`) and calls that screen's methods;
titles are searched in the index overview the screen already holds, so typing stays instant.
Byline's commands come first, then articles by title, then Textual's own (theme, keys, quit…),
all from this one provider, so the order never depends on which provider answers first.
`AppCommands` (the app's provider) offers Textual's commands on the other screens only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.system_commands import SystemCommandsProvider

from tui.render import one_line, source_heading

TITLE_HITS = 12  # articles offered at most for one search
RECENT_INDEXES = 5  # other indexes offered by "Switch index"
NO_OTHER_INDEX = "No other index in the history yet: byline chat --index DIR opens one."
# Search scores: a Byline command above any article title, a title above any Textual command.
COMMAND_SCORE = (0.5, 0.5)  # 0.5 + 0.5 × the match score
TITLE_SCORE = 0.45
TEXTUAL_SCORE = 0.4  # × the match score


def index_label(path: str) -> str:
    """An index as the palette names it: its folder and the folder above, then the full path."""
    from pathlib import PurePath

    p = PurePath(path)
    return one_line(str(PurePath(p.parent.name) / p.name) if p.parent.name else path)


class BylineCommands(Provider):
    async def startup(self) -> None:
        self.recent: list[str] = []
        chat = self.screen
        history = getattr(chat, "history", None)
        info = getattr(chat, "info", None)
        if history is not None:
            try:  # the history is a file: read it off the UI thread
                self.recent = await asyncio.to_thread(recent_indexes, history, info.path if info else None)
            except Exception:
                self.recent = []

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        chat = self.screen
        commands = [
            ("Ask again", chat.ask_again, "ask the selected question again, with the filters now set"),
            ("New chat", chat.action_new_conversation, "start an empty conversation (Ctrl+N)"),
            ("Copy short answer", chat.action_copy_short_answer, "only its words, e.g. “two hours”"),
            ("Copy answer", chat.action_copy_answer, "the selected answer as Markdown, with sources (y)"),
            ("Copy citation", chat.action_copy_source, "the highlighted source's quote and where it comes from"),
            ("Filters", chat.action_filters, "outlets and dates for the next questions (Ctrl+F)"),
            ("Clear filters", chat.clear_filters, "every outlet and date, for the next questions"),
            ("Export conversation", chat.action_export, "write it to Markdown with its sources (Ctrl+E)"),
            ("History", chat.action_history, "past conversations on this index (Ctrl+O)"),
            ("Delete conversation", chat.delete_conversation, "forget this conversation and start an empty one"),
            ("Help", chat.action_help, "all the keys (F1)"),
        ]
        for path in getattr(self, "recent", []):
            commands.append((f"Switch index: {index_label(path)}", partial(self.app.switch_index, path),
                             one_line(path)))
        if not getattr(self, "recent", []):
            commands.append(("Switch index", partial(chat.notify, NO_OTHER_INDEX, severity="warning"),
                             "the recent indexes of the history (none other yet)"))
        overview = getattr(chat, "overview", None)
        if overview is not None:
            for outlet, count in overview.outlets:
                commands.append((f"Filter by outlet: {one_line(outlet)}", partial(chat.filter_outlet, outlet),
                                 f"only its {count} article{'s' if count != 1 else ''} from now on"))
            if overview.no_outlet:
                commands.append(("Filter by outlet: outlet not stated", partial(chat.filter_outlet, None),
                                 f"only the {overview.no_outlet} articles with no outlet"))
        for source in self._cited():
            commands.append((f"Open cited article [{source.number}]: {source_heading(source, chat.title_of)}",
                             partial(chat.open_article, source.article_id, source), "open it at the cited passage"))
        return commands

    def _cited(self):
        chat = self.screen
        try:
            turn = chat.selected_turn()
        except AttributeError:
            return []
        if turn is None or turn.answer is None:
            return []
        return turn.answer.closest if turn.answer.abstained else turn.answer.sources

    def _textual(self):
        return sorted(self.app.get_system_commands(self.screen), key=lambda command: command[0])

    async def discover(self) -> Hits:
        for name, action, help_text in self._commands():
            yield DiscoveryHit(name, action, help=help_text)
        for name, help_text, callback, discover in self._textual():
            if discover:
                yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                base, weight = COMMAND_SCORE
                yield Hit(base + weight * score, matcher.highlight(name), action, help=help_text)
        overview = getattr(self.screen, "overview", None)
        if overview is not None:
            for entry in overview.find_titles(query, TITLE_HITS):
                label = Text("Open article: ")
                label.append(one_line(entry.title))
                meta = " · ".join(p for p in (one_line(entry.outlet) or "outlet not stated", entry.day or "") if p)
                yield Hit(TITLE_SCORE, label, partial(self.screen.open_article, entry.id),
                          text=f"Open article: {one_line(entry.title)}", help=meta)
        for name, help_text, callback, *_ in self._textual():
            score = matcher.match(name)
            if score > 0:
                yield Hit(TEXTUAL_SCORE * score, matcher.highlight(name), callback, help=help_text)


class AppCommands(SystemCommandsProvider):
    """Textual's own commands, on screens that have no Byline provider (which lists them itself)."""

    def _own(self) -> bool:
        return BylineCommands in getattr(self.screen, "COMMANDS", ())

    async def discover(self) -> Hits:
        if not self._own():
            async for hit in super().discover():
                yield hit

    async def search(self, query: str) -> Hits:
        if not self._own():
            async for hit in super().search(query):
                yield hit


def recent_indexes(history, current: str | None, limit: int = RECENT_INDEXES) -> list[str]:
    """The indexes of the latest stored conversations, most recent first, not `current`."""
    from pathlib import Path

    seen: list[str] = []
    for item in history.list():
        if not item.index or item.index == current or item.index in seen:
            continue
        if item.index.startswith("qdrant+") or Path(item.index).is_dir():  # a folder since removed is not offered
            seen.append(item.index)
        if len(seen) == limit:
            break
    return seen
