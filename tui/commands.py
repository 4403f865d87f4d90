"""Byline's commands in the command palette (Ctrl+P), and jumping to an article by its title.

The provider runs on the chat screen (`ChatScreen.COMMANDS`) and calls that screen's methods;
titles are searched in the index overview the screen already holds, so typing stays instant.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.render import one_line, source_heading

TITLE_HITS = 12  # articles offered at most for one search


class BylineCommands(Provider):
    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        chat = self.screen
        commands = [
            ("Ask again", chat.ask_again, "ask the selected question again, with the filters now set"),
            ("New chat", chat.action_new_conversation, "start an empty conversation (Ctrl+N)"),
            ("Export conversation", chat.action_export, "write it to Markdown with its sources (Ctrl+E)"),
            ("Copy answer", chat.action_copy_answer, "the selected answer as Markdown, with sources (y)"),
            ("Copy citation", chat.action_copy_source, "the highlighted source's quote, outlet, title, date, URL"),
            ("Filters", chat.action_filters, "outlets and dates for the next questions (Ctrl+F)"),
            ("History", chat.action_history, "past conversations on this index (Ctrl+O)"),
            ("Help", chat.action_help, "all the keys (F1)"),
        ]
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

    async def discover(self) -> Hits:
        for name, action, help_text in self._commands():
            yield DiscoveryHit(name, action, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), action, help=help_text)
        overview = getattr(self.screen, "overview", None)
        if overview is None:
            return
        for entry in overview.find_titles(query, TITLE_HITS):
            label = Text("Open article: ")
            label.append(one_line(entry.title))
            meta = " · ".join(p for p in (one_line(entry.outlet) or "outlet not stated", entry.day or "") if p)
            yield Hit(0.5, label, partial(self.screen.open_article, entry.id), text=f"Open article: {entry.title}",
                      help=meta)
