"""The chat screen's commands: conversations (new, history), filters, copy, export, help.

A mixin of `ChatScreen` (which owns the state: assistant, history, export folder, conversation,
filters, overview); split out only to keep each module to one idea and short. Disk work runs in
thread workers.
"""

from __future__ import annotations

from textual import work

from qa import Answer, Conversation, Filters
from tui.export import answer_markdown, copied_answer_message, copied_quote_message, default_export_dir, \
    export_conversation, quote_markdown
from tui.render import one_line
from tui.widgets.conversation_view import ConversationView
from tui.widgets.filter_bar import FilterBar
from tui.widgets.question_input import QuestionInput
from tui.widgets.sources_pane import SourcesPane
from tui.widgets.turn_view import TurnView
from tui.widgets.welcome_view import WelcomeView


class ChatActions:
    def selected_turn(self) -> TurnView | None:
        return self.query_one(ConversationView).selected

    # --- conversations ----------------------------------------------------------------------

    def _reset(self, conversation: Conversation) -> None:
        self.workers.cancel_group(self, "ask")
        self._asking = None
        self._queue.clear()
        self.conversation = conversation
        self.query_one(ConversationView).clear()
        self._welcome(True)
        ready = self.assistant is not None
        self._status("ready" if ready else self._loading_state, busy=not ready)

    def switching(self, index: str) -> None:
        """Another index is being opened: an empty chat, nothing known of the index until it is ready."""
        from tui.commands import index_label

        for group in ("info", "overview", "article"):
            self.workers.cancel_group(self, group)
        self.assistant = None
        self.overview = self.info = self._first_articles = None
        self._loading_state = f"opening {index_label(index)}"
        self._reset(Conversation())
        self.query_one(WelcomeView).overview = None
        self.query_one(QuestionInput).focus()

    def action_new_conversation(self) -> None:
        self._reset(Conversation())
        self.query_one(QuestionInput).focus()

    def show_conversation(self, conversation: Conversation) -> None:
        """Replace the chat with a stored one; new questions continue it."""
        self._reset(conversation)
        view = self.query_one(ConversationView)
        field = self.query_one(QuestionInput)
        for turn in conversation.turns:
            filters = turn.answer.filters if turn.answer else None
            view.add_turn(TurnView(turn.question, filters, answer=turn.answer,
                                   state="answered" if turn.answer else "(no answer stored)"))
            field.remember(turn.question)
        self._welcome(not conversation.turns)

    @work(thread=True, group="history", exit_on_error=False)
    def _save_turn(self, conversation: Conversation, question: str, answer: Answer) -> None:
        if self.history is None:
            return
        try:
            with self._history_lock:
                index = self.info.path if self.info else self.assistant.info().path
                self.history.save_turn(conversation, question, answer, index=index)
        except Exception as e:
            self.app.call_from_thread(self.notify, f"Could not save the conversation: {e}",
                                      severity="warning", markup=False)

    def delete_conversation(self) -> None:
        """Forget this conversation (in the history too) and start an empty one."""
        conversation = self.conversation
        if not conversation.turns:
            self.notify("No conversation to delete yet.", severity="warning")
            return
        self.action_new_conversation()
        if self.history is None:
            self.notify("Conversation deleted.")
            return
        self._delete_stored(conversation)

    @work(thread=True, group="history", exit_on_error=False)
    def _delete_stored(self, conversation: Conversation) -> None:
        try:
            with self._history_lock:  # after a save still running: its id is set by then
                if conversation.id is not None:
                    self.history.delete(conversation.id)
        except Exception as e:
            self.app.call_from_thread(self.notify, f"Could not delete the conversation: {e}",
                                      severity="error", markup=False)
            return
        self.app.call_from_thread(self.notify, "Conversation deleted, here and in the history.")

    def action_history(self) -> None:
        from tui.screens.history import HistoryScreen

        if self.history is None:
            self.notify("No history store is available.", severity="warning")
            return
        index = self.info.path if self.info else None
        self.app.push_screen(HistoryScreen(self.history, index), self._open_stored)

    def _open_stored(self, conversation_id: int | None) -> None:
        if conversation_id is not None:
            self._load_conversation(conversation_id)

    @work(thread=True, exclusive=True, group="history-load", exit_on_error=False)
    def _load_conversation(self, conversation_id: int) -> None:
        try:
            conversation = self.history.load(conversation_id)
        except Exception as e:
            self.app.call_from_thread(self.notify, f"Cannot open that conversation: {e}",
                                      severity="error", markup=False)
            return
        self.post_message(self.ConversationLoaded(conversation))

    def on_chat_screen_conversation_loaded(self, event) -> None:
        self.show_conversation(event.conversation)

    # --- filters ----------------------------------------------------------------------------

    def action_filters(self) -> None:
        from tui.screens.filters import FiltersScreen

        if self.overview is None:
            self.notify("Filters need the index, which is still loading.", severity="warning")
            return
        self.app.push_screen(FiltersScreen(self.filters, self.overview), self.set_filters)

    def set_filters(self, filters: Filters | None) -> None:
        if filters is None:
            return
        self.filters = filters
        self.query_one(FilterBar).filters = filters
        if not filters.active:
            self.notify("Filters cleared.")
            return
        left = self.overview.count(filters) if self.overview else None
        counted = f" They leave {left} of {self.overview.articles} articles." if left is not None else ""
        self.notify("Filters apply to the next questions." + counted, markup=False)

    def clear_filters(self) -> None:
        if not self.filters.active:
            self.notify("No filters are set.")
            return
        self.set_filters(Filters())

    def filter_outlet(self, outlet: str | None) -> None:
        """Only this outlet's articles (None: only articles with no outlet stated) from now on."""
        self.set_filters(Filters(() if outlet is None else (outlet,), self.filters.since, self.filters.until,
                                 no_outlet=outlet is None, no_date=self.filters.no_date))

    # --- copy and export --------------------------------------------------------------------

    def action_copy_answer(self) -> None:
        turn = self.query_one(ConversationView).selected
        if turn is None or turn.answer is None:
            self.notify("No answer to copy yet.", severity="warning")
            return
        answer = turn.answer
        self.app.copy_to_clipboard(f"## {one_line(turn.question)}\n\n" + answer_markdown(answer, self.title_of))
        self.notify(copied_answer_message(answer), title="Copied")

    def action_copy_short_answer(self) -> None:
        turn = self.query_one(ConversationView).selected
        short = turn.answer.short_answer if turn is not None and turn.answer is not None else None
        if short is None or not short.text.strip():
            self.notify("The selected answer has no short answer to copy.", severity="warning")
            return
        self.app.copy_to_clipboard(one_line(short.text))
        self.notify(f"Copied the short answer: {one_line(short.text)}", title="Copied", markup=False)

    def action_copy_source(self) -> None:
        pane = self.query_one(SourcesPane)
        source = pane.current if pane.sources else None
        if source is None:
            self.notify("No source to copy: ask a question first.", severity="warning")
            return
        self.app.copy_to_clipboard(quote_markdown(source, self.title_of))
        self.notify(copied_quote_message(source), title="Copied")

    def action_export(self) -> None:
        if not self.conversation.turns:
            self.notify("Nothing to export yet: ask a question first.", severity="warning")
            return
        snapshot = Conversation(turns=list(self.conversation.turns), id=self.conversation.id,
                                title=self.conversation.title)
        self._export(snapshot, self.export_dir or default_export_dir())

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, conversation: Conversation, folder) -> None:
        try:
            path = export_conversation(conversation, folder, titles=self.title_of)
        except OSError as e:
            self.app.call_from_thread(self.notify, f"Export failed: {e}", severity="error", markup=False)
            return
        self.last_export = str(path)
        self.app.call_from_thread(self.notify, f"Exported to {path}", title="Export", markup=False, timeout=10)

    # --- panes ------------------------------------------------------------------------------

    def action_toggle_sources(self) -> None:
        if self.maximized is not None:
            self.minimize()
        else:
            pane = self.query_one(SourcesPane)
            self.maximize(pane, container=False)
            pane.focus()

    def action_focus_question(self) -> None:
        if self.maximized is not None:
            self.minimize()
        self.query_one(QuestionInput).focus()

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())
