"""One Input per simulation parameter, prefilled with its default, plus the seed and an inline error line."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, Static

from quizapp.ui.text import clean


class ParamForm(Vertical):
    """``values()`` returns the raw strings; ``show_error`` puts a ParameterError next to the fields."""

    def __init__(self, specs=(), seed: int = 0, **kwargs) -> None:
        super().__init__(**kwargs)
        self.specs = tuple(specs)
        self.seed = seed

    def compose(self) -> ComposeResult:
        for spec in self.specs:
            default = str(spec.default).lower() if spec.type is bool else str(spec.default)
            yield Label(clean(f"{spec.name}  ({spec.range_text()})"), classes="param-label", markup=False)
            field = Input(value=default, id=f"param-{spec.name}", classes="param", placeholder=clean(spec.range_text()))
            field.tooltip = Content(clean(spec.help))
            yield field
        yield Label("seed  (whole number ≥ 0)", classes="param-label", markup=False)
        yield Input(value=str(self.seed), id="param-seed", classes="param", type="integer")
        yield Static("", id="param-error", markup=False)

    def values(self) -> dict[str, str]:
        return {spec.name: self.query_one(f"#param-{spec.name}", Input).value for spec in self.specs}

    def set_values(self, values: dict) -> None:
        """Put ``values`` (name -> value) into the fields, as a user would type them."""
        for spec in self.specs:
            if spec.name in values:
                value = values[spec.name]
                self.query_one(f"#param-{spec.name}", Input).value = str(value).lower() if spec.type is bool else str(value)

    def seed_value(self) -> int | None:
        text = self.query_one("#param-seed", Input).value.strip()
        return int(text) if text.isdigit() else None

    def show_error(self, message: str | None) -> None:
        error = self.query_one("#param-error", Static)
        error.update(clean(message or ""))
        error.display = bool(message)
        for spec in self.specs:
            bad = bool(message) and f"'{spec.name}'" in message
            self.query_one(f"#param-{spec.name}", Input).set_class(bad, "-invalid-param")
        self.query_one("#param-seed", Input).set_class(bool(message) and "seed" in message, "-invalid-param")

    def on_mount(self) -> None:
        self.show_error(None)
