"""Time as the bot sees it: an injectable clock and the one database time format.

All stored times are UTC strings `YYYY-MM-DDTHH:MM:SS.ffffffZ` (fixed width, so they sort
as text); tests swap `SystemClock` for `FakeClock` to drive reminders and expiry.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol

_DB_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that moves only when a test moves it."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta

    def set(self, when: datetime) -> None:
        self._now = when.astimezone(UTC)


def to_db(when: datetime) -> str:
    if when.tzinfo is None:
        raise ValueError("naive datetimes are never stored")
    return when.astimezone(UTC).strftime(_DB_FORMAT)


def from_db(text: str) -> datetime:
    return datetime.strptime(text, _DB_FORMAT).replace(tzinfo=UTC)


def date_from_db(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
