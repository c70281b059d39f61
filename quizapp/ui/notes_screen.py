"""Study notes: the list of notes, the selected note rendered as Markdown, and its related questions."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from quizapp.ui.text import clean, one_line


class NotesScreen(Screen):
    CSS_PATH = "notes_screen.tcss"
    BINDINGS = [
        Binding("o", "practise_related", "Practise related"),
        Binding("tab", "app.focus_next", "Next pane", show=False),
        Binding("escape", "back", "Back"),
    ]

    note_id: reactive[str | None] = reactive(None, init=False)

    def compose(self) -> ComposeResult:
        notes = self.app.content.notes
        yield Header()
        with Horizontal(id="notes"):
            yield OptionList(
                *[Option(Text(one_line(note.title, 40)), id=nid) for nid, note in notes.items()],
                id="note-list",
            )
            with VerticalScroll(id="note-body"):
                if not notes:
                    yield Static("No study notes in this content folder.", id="note-empty", markup=False)
                yield Markdown("", id="note-markdown")
                yield Static("Related questions — enter opens one, o practises them all", id="related-title", markup=False)
                yield OptionList(id="related")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Study notes"
        self.query_one("#note-list").border_title = "Notes"
        if self.app.content.notes:
            self.note_id = next(iter(self.app.content.notes))
        else:
            self.query_one("#related-title").display = False
            self.query_one("#related").display = False

    def watch_note_id(self, note_id: str | None) -> None:
        note = self.app.content.notes.get(note_id) if note_id else None
        if note is None:
            return
        self.query_one("#note-markdown", Markdown).update(clean(note.body))  # trusted Markdown from the bundle
        related = self.query_one("#related", OptionList)
        related.clear_options()
        questions = self.app.questions
        related.add_options(
            [Option(Text(one_line(questions[qid].title, 90)), id=qid) for qid in note.questions if qid in questions]
        )
        has_related = related.option_count > 0
        if has_related:
            related.highlighted = 0
        related.display = has_related
        self.query_one("#related-title").display = has_related
        self.query_one("#note-body", VerticalScroll).scroll_home(animate=False)
        self.refresh_bindings()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "note-list":
            self.note_id = event.option.id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_list.id == "note-list":
            self.note_id = event.option.id
            self.query_one("#related", OptionList).focus()
        else:
            self.app.action_open_question(event.option.id)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        target = event.href.removeprefix("question:")
        if target in self.app.questions:
            event.prevent_default()
            self.app.action_open_question(target)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "practise_related":
            note = self.app.content.notes.get(self.note_id or "")
            return bool(note and note.questions)
        return True

    def action_practise_related(self) -> None:
        note = self.app.content.notes.get(self.note_id or "")
        if note and note.questions:
            self.app.start_practice(note.questions, title=f"Note: {note.title}")

    def action_back(self) -> None:
        self.app.pop_screen()
