"""Callback data of inline buttons: built and parsed here, and nowhere else.

Format: `v1:<area>:<action>[:<arg>...]`, ASCII, at most 64 bytes (Telegram's limit).
The data lives in Telegram's messages, so buttons keep working after restarts and days
later; every id in it is checked against the pressing user before it is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VERSION = "v1"
MAX_BYTES = 64
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,24}$")


@dataclass(frozen=True)
class Callback:
    area: str
    action: str
    args: tuple[str, ...] = ()

    def int_arg(self, index: int = 0) -> int | None:
        """The argument as a positive id, or None when missing or not a number."""
        if index >= len(self.args) or not self.args[index].isdigit():
            return None
        value = int(self.args[index])
        return value if 0 < value < 2**53 else None


def build(area: str, action: str, *args: str | int) -> str:
    parts = [VERSION, area, action, *(str(a) for a in args)]
    for part in parts[1:]:
        if not _TOKEN.match(part):
            raise ValueError(f"callback part {part!r} is not a short token")
    data = ":".join(parts)
    if len(data.encode("ascii")) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data}")
    return data


def parse(data: str | None) -> Callback | None:
    """The callback, or None for anything we did not build (stale versions, forgeries)."""
    if not data or len(data) > MAX_BYTES or not data.isascii():
        return None
    parts = data.split(":")
    if len(parts) < 3 or parts[0] != VERSION or not all(_TOKEN.match(p) for p in parts[1:]):
        return None
    return Callback(parts[1], parts[2], tuple(parts[3:]))


def pattern(area: str) -> str:
    """Regex for a CallbackQueryHandler that takes one area's buttons."""
    return rf"^{VERSION}:{re.escape(area)}:"
