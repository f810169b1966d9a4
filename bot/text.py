"""Plain-text helpers: cleaning what users type and fitting Telegram's size limits."""

from __future__ import annotations

import html
import re

MAX_MESSAGE_UTF16 = 4096
# Unicode category Cc except tab and newline.
_TAG = re.compile(r"<[^>]*>")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Bidi controls and invisible format characters that can reorder or hide text.
_BIDI_AND_INVISIBLE = {
    *(chr(c) for c in range(0x202A, 0x202F)),  # LRE RLE PDF LRO RLO
    *(chr(c) for c in range(0x2066, 0x206A)),  # LRI RLI FSI PDI
    "\u200e",  # LRM
    "\u200f",  # RLM
    "\u061c",  # ALM
    "\u200b",  # zero width space
    "\u2060",  # word joiner
    "\ufeff",  # BOM / zero width no-break space
}


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def visible_len(markup: str) -> int:
    """Length of Telegram HTML as Telegram counts it: after tags and entities are parsed."""
    return utf16_len(html.unescape(_TAG.sub("", markup)))


def clean_input(text: str) -> str:
    """What we store of a user's words: as written, minus control characters.

    Newlines and tabs stay; C0/C1 controls (NUL, escape sequences) never carry meaning in a
    chat message and would only break logs, terminals or the database's tools.
    """
    return _CONTROLS.sub("", text).strip()


def neutralise(text: str) -> str:
    """Show untrusted text without letting it reorder or hide the lines around it.

    Bidi controls and invisible characters are dropped; everything else stays as written.
    """
    return "".join(ch for ch in clean_input(text) if ch not in _BIDI_AND_INVISIBLE)


def cut_utf16(text: str, limit: int) -> str:
    """The longest start of `text` within `limit` UTF-16 units, not splitting a character."""
    if utf16_len(text) <= limit:
        return text
    used, end = 0, 0
    for end, ch in enumerate(text):  # noqa: B007 - `end` is the result
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > limit:
            break
    return text[:end]


def capitalise_first(text: str) -> str:
    """Upper-case the first letter (`четвер, …` at the start of a line), leaving marks,
    tags and scripts without case alone."""
    for index, ch in enumerate(text):
        if ch.isalpha():
            return text[:index] + ch.upper() + text[index + 1 :]
        if ch == "<":
            return text  # starts with a tag: leave markup as it is
    return text


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def split_message(html: str, limit: int = MAX_MESSAGE_UTF16) -> list[str]:
    """Split a message at paragraph, then line boundaries so each part fits `limit`.

    Our HTML never lets a tag span a line break, so every part stays valid HTML.
    """
    if visible_len(html) <= limit:
        return [html]
    parts: list[str] = []
    current = ""
    for block in _blocks(html, limit):
        candidate = f"{current}\n\n{block}" if current else block
        if visible_len(candidate) <= limit:
            current = candidate
        else:
            parts.append(current)
            current = block
    if current:
        parts.append(current)
    return parts


def _blocks(html: str, limit: int) -> list[str]:
    blocks: list[str] = []
    for paragraph in html.split("\n\n"):
        if visible_len(paragraph) <= limit:
            blocks.append(paragraph)
            continue
        line_block = ""
        for line in paragraph.split("\n"):
            candidate = f"{line_block}\n{line}" if line_block else line
            if visible_len(candidate) <= limit:
                line_block = candidate
            else:
                if line_block:
                    blocks.append(line_block)
                # A single line over the limit only arises from a bug upstream: imports
                # limit text lengths. Cut it rather than fail the whole message.
                line_block = line if visible_len(line) <= limit else line[: limit // 2]
        if line_block:
            blocks.append(line_block)
    return blocks
