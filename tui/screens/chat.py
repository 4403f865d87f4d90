"""The main screen: the conversation (a welcome view while empty), the sources of the selected
answer, the question line.

It receives what it uses: the assistant (once loaded), the history store, the export folder.
Every model, index and disk call runs in a thread worker and comes back as a message.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from pathlib import Path
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
from qa.archive.overview import Overview
from tui.commands import BylineCommands
from tui.screens.chat_actions import ChatActions
from tui.screens.chat_keys import ChatKeys
from tui.screens.streaming import StreamingAnswers
from tui.widgets.conversation_view import ConversationView
from tui.widgets.filter_bar import FilterBar
from tui.widgets.question_input import ASK, FOLLOW_UP, QuestionInput
from tui.widgets.sources_pane import SourcesPane
from tui.widgets.sources_strip import SourcesStrip
from tui.widgets.status_line import StatusLine
from tui.widgets.turn_view import QUEUED, SEARCHING, WAITING, TurnView
from tui.widgets.welcome_view import WelcomeView

if TYPE_CHECKING:
    from qa import Assistant
    from qa.conversation.history import HistoryStore

REFRESH_S = 5.0  # how often the index is checked for articles added by another process


class ChatScreen(StreamingAnswers, ChatActions, ChatKeys, Screen):
    """Questions go into a queue; one search runs at a time in a thread worker. The commands
    (conversations, filters, copy, export, help) are in `ChatActions`, keys and panes in `ChatKeys`."""

    COMMANDS = {BylineCommands}

    BINDINGS = [
        Binding("ctrl+n", "new_conversation", "New", priority=True),
        Binding("ctrl+f", "filters", "Filters", priority=True),
        Binding("ctrl+e", "export", "Export", priority=True),
        Binding("ctrl+o", "history", "History", priority=True),
        Binding("f1", "help", "Help"),
        # shown in the sources strip and the focused pane's border instead, so the footer fits 80 columns
        Binding("f2", "toggle_sources", "Sources", show=False),
        Binding("escape", "focus_question", "Question line", show=False),
        Binding("tab", "app.focus_next", "Next pane", show=False),
        Binding("shift+tab", "app.focus_previous", "Prev pane", show=False),
        Binding("ctrl+c", "stop_stream", "Stop the model", show=False, priority=True),  # tui.screens.streaming
    ]

    class AnswerReady(Message):
        def __init__(self, turn: TurnView, answer: Answer) -> None:
            super().__init__()
            self.turn, self.answer = turn, answer

    class AskFailed(Message):
        def __init__(self, turn: TurnView, error: str, bad_question: bool) -> None:
            super().__init__()
            self.turn, self.error, self.bad_question = turn, error, bad_question

    class ArticleLoaded(Message):
        def __init__(self, article: Article, source: Source | None) -> None:
            super().__init__()
            self.article, self.source = article, source

    class InfoReady(Message):
        def __init__(self, info: IndexInfo) -> None:
            super().__init__()
            self.info = info

    class OverviewReady(Message):
        def __init__(self, overview: Overview) -> None:
            super().__init__()
            self.overview = overview

    class ConversationLoaded(Message):
        def __init__(self, conversation: Conversation) -> None:
            super().__init__()
            self.conversation = conversation

    class AnswerShown(Message):
        """Posted once an answer is on screen; `latency_ms` runs from Enter to that paint."""

        def __init__(self, answer: Answer, latency_ms: float) -> None:
            super().__init__()
            self.answer, self.latency_ms = answer, latency_ms

    def __init__(self, *, assistant: "Assistant | None" = None, history: "HistoryStore | None" = None,
                 export_dir: str | Path | None = None, llm=None) -> None:
        super().__init__()
        self._setup_streaming(llm)
        self.assistant = assistant
        self.history = history
        self.export_dir = Path(export_dir).expanduser() if export_dir is not None else None
        self.conversation = Conversation()
        self.filters = Filters()
        self.overview: Overview | None = None
        self.info: IndexInfo | None = None
        self.last_export: str | None = None
        self._queue: deque[TurnView] = deque()
        self._asking: TurnView | None = None
        self._loading_state = "starting…"
        self._state: tuple[str, bool] = ("starting…", True)
        self._first_articles: int | None = None
        self._history_lock = threading.Lock()
        self.assistant_lock = threading.Lock()  # one worker at a time uses the assistant

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        yield FilterBar(id="filter-bar")
        with Horizontal(id="main"):
            yield ConversationView(id="conversation")
            yield SourcesStrip(titles=self.title_of, id="sources-strip")
            yield SourcesPane(titles=self.title_of, id="sources")
        yield QuestionInput(id="question")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(QuestionInput).focus()
        self.set_class(True, "-welcome")
        self._show_status()
        self.call_after_refresh(self._question_line_ready)
        if self.assistant is not None:  # after the first paint: the overview's work must not delay it
            self.call_after_refresh(self.assistant_ready, self.assistant)
        self.set_interval(REFRESH_S, self._tick)

    def title_of(self, article_id: str) -> str | None:
        """The title shown for an untitled article: its first words."""
        return self.overview.title_of(article_id) if self.overview else None

    # --- state shown in the status line and the welcome view ------------------------------------

    def show_loading(self, stage: str, done: int, total: int) -> None:
        self._loading_state = f"{stage} {done}/{total}" if total else f"{stage}…"
        self._status(self._loading_state, busy=True)

    def assistant_ready(self, assistant: "Assistant") -> None:
        self.assistant = assistant
        self._status("ready", busy=False)
        self._pump()  # a question typed while loading first: the overview asks its example questions
        self._refresh_info(overview=True)

    def assistant_failed(self) -> None:
        self._loading_state = "the index could not be opened"
        self._status("no index: see the message", busy=True)
        for turn in self._queue:
            turn.set_state("not asked: the index could not be opened")
        self._queue.clear()

    def _status(self, state: str, busy: bool) -> None:
        waiting = len(self._queue)
        if waiting and self.assistant is None:
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
        status.info = self.info
        status.set_state(*self._state)
        self.query_one(WelcomeView).state = self._loading_state

    def _tick(self) -> None:
        if self.assistant is not None and self._asking is None:
            self._refresh_info()

    @work(thread=True, exclusive=True, group="info", exit_on_error=False)
    def _refresh_info(self, overview: bool = False) -> None:
        with self.assistant_lock:
            self._post_info()
            if overview:
                self._post_overview()

    def _post_info(self) -> None:
        if self.assistant is None:
            return
        try:
            self.post_message(self.InfoReady(self.assistant.info()))
        except Exception:  # a busy or moving index: the next tick tries again
            pass

    def _post_overview(self) -> None:
        if self.assistant is None:  # another index is being opened
            return
        try:
            self.post_message(self.OverviewReady(self.assistant.overview()))
        except Exception as e:
            self.app.call_from_thread(self.notify, f"Cannot read what the index holds: {e}",
                                      severity="warning", markup=False)

    @on(InfoReady)
    def _info_ready(self, event: InfoReady) -> None:
        changed = self.info is not None and event.info.articles != self.info.articles
        if self._first_articles is None:
            self._first_articles = event.info.articles
        self.info = event.info
        self.query_one(StatusLine).added = max(0, event.info.articles - self._first_articles)
        self._show_status()
        if changed:
            self._load_overview()

    @work(thread=True, exclusive=True, group="overview", exit_on_error=False)
    def _load_overview(self) -> None:
        with self.assistant_lock:
            self._post_overview()

    @on(OverviewReady)
    def _overview_ready(self, event: OverviewReady) -> None:
        self.overview = event.overview
        self.query_one(WelcomeView).overview = event.overview
        self._welcome(not self.query_one(ConversationView).turns)

    def _welcome(self, shown: bool) -> None:
        self.set_class(shown, "-welcome")
        self.query_one(QuestionInput).placeholder = ASK if shown else FOLLOW_UP
        examples = self.overview.examples if self.overview and shown else ()
        self.query_one(QuestionInput).examples = len(examples)

    # --- asking ---------------------------------------------------------------------------------

    @on(Input.Submitted, "#question")
    def _submitted(self, event: Input.Submitted) -> None:
        self.ask_typed(event.value)

    def ask_typed(self, question: str) -> None:
        """Enter in the question line: ask what it holds, and empty it."""
        if not question.strip():
            return
        field = self.query_one(QuestionInput)
        field.remember(question)
        field.value = ""
        self.ask(question)

    @on(QuestionInput.ExampleChosen)
    def _example_chosen(self, event: QuestionInput.ExampleChosen) -> None:
        if self.overview and 1 <= event.number <= len(self.overview.examples):
            question = self.overview.examples[event.number - 1]
            self.query_one(QuestionInput).remember(question)
            self.ask(question)

    def ask(self, question: str, filters: Filters | None = None) -> TurnView:
        """Show the question at once and queue it; it is answered when the model is ready."""
        turn = TurnView(question, self.filters if filters is None else filters,
                        state=WAITING if self.assistant is None else QUEUED)
        self._welcome(False)
        self.query_one(ConversationView).add_turn(turn)
        self._queue.append(turn)
        if self.assistant is None:
            self._status(self._loading_state, busy=True)
        self._pump()
        return turn

    def ask_again(self) -> None:
        """The selected question again, under the filters that apply now."""
        turn = self.query_one(ConversationView).selected
        if turn is None:
            self.notify("No question to ask again yet.", severity="warning")
            return
        self.ask(turn.question)

    def _pump(self) -> None:
        if self._asking is not None or not self._queue or self.assistant is None:
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
            with self.assistant_lock:  # the article count first: articles added meanwhile show first
                self._post_info()
                answer = self._answer_for(turn, history)
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
        self._save_turn(self.conversation, event.turn.question, event.answer)
        view = self.query_one(ConversationView)
        if view.selected is event.turn:
            view.refresh_selected()
        self._status("ready", busy=False)
        self.call_after_refresh(self._shown, event.answer, event.turn.submitted_at)
        self._pump()

    def _shown(self, answer: Answer, submitted_at: float) -> None:
        self.post_message(self.AnswerShown(answer, (time.perf_counter() - submitted_at) * 1000))

    @on(AskFailed)
    def _ask_failed(self, event: AskFailed) -> None:
        if event.turn is not self._asking:
            return
        self._asking = None
        view = self.query_one(ConversationView)
        view.remove_turn(event.turn)
        self._welcome(not view.turns)
        self.notify(event.error, title="Not asked" if event.bad_question else "Error",
                    severity="warning" if event.bad_question else "error", markup=False)
        self._status("ready", busy=False)
        self._pump()

    # --- the selected answer and its sources ----------------------------------------------------

    @on(ConversationView.TurnSelected)
    def _turn_selected(self, event: ConversationView.TurnSelected) -> None:
        answer = event.turn.answer if event.turn else None
        self.query_one(SourcesPane).show(answer)
        self.query_one(SourcesStrip).show(answer)

    @on(SourcesPane.SourceChosen)
    def _source_chosen(self, event: SourcesPane.SourceChosen) -> None:
        self.open_article(event.source.article_id, event.source)

    def open_article(self, article_id: str, source: Source | None = None) -> None:
        if self.assistant is None:
            self.notify("The index is still loading.", severity="warning")
            return
        self._load_article(article_id, source)

    @work(thread=True, exclusive=True, group="article", exit_on_error=False)
    def _load_article(self, article_id: str, source: Source | None) -> None:
        try:
            with self.assistant_lock:
                article = self.assistant.article(article_id)
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
