"""What a dialog shows: HTML text and inline buttons, independent of Telegram I/O."""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram import InlineKeyboardButton, InlineKeyboardMarkup


@dataclass(frozen=True)
class Button:
    text: str
    data: str | None = None  # callback data (see bot/callbacks.py)
    url: str | None = None


@dataclass(frozen=True)
class Document:
    filename: str
    content: bytes


@dataclass(frozen=True)
class Screen:
    text: str  # Telegram HTML
    rows: tuple[tuple[Button, ...], ...] = ()
    document: Document | None = field(default=None, compare=False)

    def markup(self) -> InlineKeyboardMarkup | None:
        if not self.rows:
            return None
        return InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(b.text, url=b.url)
                    if b.url
                    else InlineKeyboardButton(b.text, callback_data=b.data)
                    for b in row
                ]
                for row in self.rows
            ]
        )


def column(*buttons: Button | None) -> tuple[tuple[Button, ...], ...]:
    """One big button per row (easy to hit on a small phone); None entries are skipped."""
    return tuple((b,) for b in buttons if b is not None)
