"""The main screen: the conversation, the sources of the selected answer, the question line."""

from __future__ import annotations

import time
from collections import deque
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input
from textual.worker import get_current_worker

from qa import Answer, Article, Conversation, Filters, IndexInfo, Source
from tui.widgets.conversation_view import ConversationView
from tui.widgets.filter_bar import FilterBar
from tui.widgets.question_input import QuestionInput
from tui.widgets.sources_pane import SourcesPane
from tui.widgets.status_line import StatusLine
from tui.widgets.turn_view import QUEUED, SEARCHING, WAITING, TurnView

if TYPE_CHECKING:
    from tui.app import BylineApp

NARROW = 100  # below this width the sources pane goes under the conversation


class ChatScreen(Screen):
    """Questions go into a queue; one search runs at a time in a thread worker."""

    BINDINGS = [
        Binding("ctrl+n", "new_conversation", "New chat", priority=True),
        Binding("tab", "app.focus_next", "Next pane"),
        Binding("shift+tab", "app.focus_previous", "Prev pane", show=False),
        Binding("ctrl+f", "filters", "Filters", priority=True),
        Binding("ctrl+e", "export", "Export", priority=True),
        Binding("ctrl+o", "history", "History", priority=True),
        Binding("f1", "help", "Help"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("escape", "focus_question", "Question", show=False),
    ]

    class AnswerReady(Message):
        def __init__(self, turn: TurnView, answer: Answer) -> None:
            super().__init__()
            self.turn = turn
            self.answer = answer

    class AskFailed(Message):
        def __init__(self, turn: TurnView, error: str, bad_question: bool) -> None:
            super().__init__()
            self.turn = turn
            self.error = error
            self.bad_question = bad_question

    class ArticleLoaded(Message):
        def __init__(self, article: Article, source: Source) -> None:
            super().__init__()
            self.article = article
            self.source = source

    def __init__(self) -> None:
        super().__init__()
        self.conversation = Conversation()
        self.filters = Filters()
        self._queue: deque[TurnView] = deque()
        self._asking: TurnView | None = None
        self.last_export: str | None = None
        self._loading_state = "starting…"
        self._state: tuple[str, bool] = ("starting…", True)
        self._info: IndexInfo | None = None

    @property
    def byline(self) -> "BylineApp":
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        yield FilterBar(id="filter-bar")
        with Horizontal(id="main"):
            yield ConversationView(id="conversation")
            yield SourcesPane(id="sources")
        yield QuestionInput(id="question")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(QuestionInput).focus()
        self._show_status()

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "-narrow")

    # --- state shown in the status line -------------------------------------------------------

    def show_loading(self, stage: str, done: int, total: int) -> None:
        self._loading_state = f"{stage} {done}/{total}" if total else f"{stage}…"
        self._status(self._loading_state, busy=True)

    def assistant_ready(self, info: IndexInfo | None) -> None:
        self._info = info
        self._status("ready", busy=False)
        self._pump()

    def assistant_failed(self) -> None:
        self._status("no index: see the message", busy=True)
        for turn in self._queue:
            turn.set_state("not asked: the index could not be opened")
        self._queue.clear()

    def _status(self, state: str, busy: bool) -> None:
        waiting = len(self._queue)
        if waiting and self.byline.assistant is None:
            state += f" ({waiting} question{'s' if waiting > 1 else ''} waiting)"
        self._state = (state, busy)
        self._show_status()

    @property
    def state(self) -> str:
        """What the status line says the app is doing: "ready", "searching…", "loading model…"."""
        return self._state[0]

    def _show_status(self) -> None:
        try:
            status = self.query_one(StatusLine)
        except NoMatches:  # not composed yet: on_mount shows it
            return
        status.info = self._info
        status.set_state(*self._state)

    # --- asking ---------------------------------------------------------------------------------

    @on(Input.Submitted, "#question")
    def _submitted(self, event: Input.Submitted) -> None:
        question = event.value
        if not question.strip():
            return
        field = self.query_one(QuestionInput)
        field.remember(question)
        field.value = ""
        self.ask(question)

    def ask(self, question: str) -> TurnView:
        """Show the question at once and queue it; it is answered when the model is ready."""
        turn = TurnView(question, self.filters, state=WAITING if self.byline.assistant is None else QUEUED)
        self.query_one(ConversationView).add_turn(turn)
        self._queue.append(turn)
        if self.byline.assistant is None:
            self._status(self._loading_state, busy=True)
        self._pump()
        return turn

    def _pump(self) -> None:
        if self._asking is not None or not self._queue or self.byline.assistant is None:
            return
        turn = self._queue.popleft()
        self._asking = turn
        turn.set_state(SEARCHING)
        self._status("searching…", busy=True)
        history = Conversation(turns=list(self.conversation.turns), id=self.conversation.id)
        self._search(turn, history)

    @work(thread=True, exclusive=True, group="ask", exit_on_error=False)
    def _search(self, turn: TurnView, history: Conversation) -> None:
        from qa.errors import QuestionError

        worker = get_current_worker()
        try:
            answer = self.byline.assistant.ask(turn.question, conversation=history, filters=turn.filters)
        except QuestionError as e:
            message, bad_question = str(e) or "That question cannot be asked.", True
        except Exception as e:  # shown as one line, never a traceback
            message, bad_question = f"Search failed: {str(e) or type(e).__name__}", False
        else:
            if not worker.is_cancelled:
                self.post_message(self.AnswerReady(turn, answer))
            return
        if not worker.is_cancelled:
            self.post_message(self.AskFailed(turn, message, bad_question))

    @on(AnswerReady)
    def _answer_ready(self, event: AnswerReady) -> None:
        if event.turn is not self._asking:
            return  # from a conversation that was closed meanwhile
        self._asking = None
        event.turn.set_answer(event.answer)
        self.conversation.add(event.turn.question, event.answer)
        self._save_turn(event.turn.question, event.answer)
        view = self.query_one(ConversationView)
        if view.selected is event.turn:
            view.refresh_selected()
        self._status("ready", busy=False)
        self.call_after_refresh(self.byline.answer_shown, event.answer, event.turn.submitted_at)
        self._pump()

    @on(AskFailed)
    def _ask_failed(self, event: AskFailed) -> None:
        if event.turn is not self._asking:
            return
        self._asking = None
        self.query_one(ConversationView).remove_turn(event.turn)
        self.notify(event.error, title="Not asked" if event.bad_question else "Error",
                    severity="warning" if event.bad_question else "error", markup=False)
        self._status("ready", busy=False)
        self._pump()

    def _save_turn(self, question: str, answer: Answer) -> None:
        store = self.byline.history
        if store is None:
            return
        try:
            store.save_turn(self.conversation, question, answer)
        except Exception as e:
            self.notify(f"Could not save the conversation: {e}", severity="warning", markup=False)

    # --- the selected answer and its sources ------------------------------------------------

    @on(ConversationView.TurnSelected)
    def _turn_selected(self, event: ConversationView.TurnSelected) -> None:
        self.query_one(SourcesPane).show(event.turn.answer if event.turn else None)

    @on(SourcesPane.SourceChosen)
    def _source_chosen(self, event: SourcesPane.SourceChosen) -> None:
        if self.byline.assistant is not None:
            self._load_article(event.source)

    @work(thread=True, exclusive=True, group="article", exit_on_error=False)
    def _load_article(self, source: Source) -> None:
        try:
            article = self.byline.assistant.article(source.article_id)
        except Exception as e:
            self.app.call_from_thread(self.notify, f"Cannot open the article: {str(e) or type(e).__name__}",
                                      severity="error", markup=False)
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.ArticleLoaded(article, source))

    @on(ArticleLoaded)
    def _article_loaded(self, event: ArticleLoaded) -> None:
        from tui.screens.article import ArticleScreen

        self.app.push_screen(ArticleScreen(event.article, event.source))

    # --- conversations ----------------------------------------------------------------------

    def _reset(self, conversation: Conversation) -> None:
        self.workers.cancel_group(self, "ask")
        self._asking = None
        self._queue.clear()
        self.conversation = conversation
        self.query_one(ConversationView).clear()
        ready = self.byline.assistant is not None
        self._status("ready" if ready else self._loading_state, busy=not ready)

    def action_new_conversation(self) -> None:
        self._reset(Conversation())
        self.query_one(QuestionInput).focus()

    def show_conversation(self, conversation: Conversation) -> None:
        """Replace the chat with a stored one; new questions continue it."""
        self._reset(conversation)
        view = self.query_one(ConversationView)
        field = self.query_one(QuestionInput)
        for turn in conversation.turns:
            view.add_turn(TurnView(turn.question, answer=turn.answer, state="answered"
                                   if turn.answer else "(no answer stored)"))
            field.remember(turn.question)

    def action_focus_question(self) -> None:
        self.query_one(QuestionInput).focus()

    def action_filters(self) -> None:
        from tui.screens.filters import FiltersScreen

        assistant = self.byline.assistant
        if assistant is None:
            self.notify("Filters need the index, which is still loading.", severity="warning")
            return
        try:
            outlets = assistant.outlets()
        except Exception as e:
            self.notify(f"Cannot list outlets: {e}", severity="error", markup=False)
            return
        self.app.push_screen(FiltersScreen(self.filters, outlets), self.set_filters)

    def set_filters(self, filters: Filters | None) -> None:
        if filters is None:
            return
        self.filters = filters
        self.query_one(FilterBar).filters = filters
        self.notify("Filters apply to the next questions." if filters.active else "Filters cleared.")

    def action_export(self) -> None:
        from tui.export import export_conversation

        if not self.conversation.turns:
            self.notify("Nothing to export yet: ask a question first.", severity="warning")
            return
        try:
            path = export_conversation(self.conversation, self.byline.export_dir)
        except OSError as e:
            self.notify(f"Export failed: {e}", severity="error", markup=False)
            return
        self.last_export = str(path)
        self.notify(f"Exported to {path}", title="Export", markup=False, timeout=10)

    def action_history(self) -> None:
        from tui.screens.history import HistoryScreen

        if self.byline.history is None:
            self.notify("No history store is available.", severity="warning")
            return
        self.app.push_screen(HistoryScreen(self.byline.history), self._open_stored)

    def _open_stored(self, conversation_id: int | None) -> None:
        if conversation_id is None:
            return
        try:
            conversation = self.byline.history.load(conversation_id)
        except Exception as e:
            self.notify(f"Cannot open that conversation: {e}", severity="error", markup=False)
            return
        self.show_conversation(conversation)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())
