"""Texts written by the Jobcenter, in German and optionally in other languages.

Stored as canonical JSON objects `{"de": "...", "uk": "..."}`; German is always there.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

SOURCE_LOCALE = "de"


@dataclass(frozen=True)
class Shown:
    """A Jobcenter text picked for a reader."""

    text: str
    original_german: bool  # True when the reader's language was not available


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def to_json(texts: Mapping[str, str]) -> str:
    return _ENCODER.encode(dict(texts))


def from_json(raw: str | None) -> dict[str, str] | None:
    if raw is None:
        return None
    value = json.loads(raw)
    return {str(k): str(v) for k, v in value.items()}


def pick(texts: Mapping[str, str], locale: str) -> Shown:
    """The reader's language when the Jobcenter provided it, else the German original."""
    if locale in texts:
        return Shown(texts[locale], original_german=False)
    # Easy-German readers are told too: the Jobcenter's text is not in easy German.
    return Shown(texts[SOURCE_LOCALE], original_german=locale != SOURCE_LOCALE)
