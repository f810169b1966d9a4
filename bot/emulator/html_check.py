"""Telegram's HTML parse mode, as strictly as Telegram applies it.

`parse_html` returns the plain text Telegram would show (for length checks and test
assertions) or raises `HtmlError` with a message in Telegram's words.
"""

from __future__ import annotations

import re

ALLOWED = {
    "b": set(),
    "strong": set(),
    "i": set(),
    "em": set(),
    "u": set(),
    "ins": set(),
    "s": set(),
    "strike": set(),
    "del": set(),
    "span": {"class"},
    "tg-spoiler": set(),
    "a": {"href"},
    "code": {"class"},
    "pre": set(),
    "blockquote": {"expandable"},
    "tg-emoji": {"emoji-id"},
}
_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:=(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*>"
)
_ATTR = re.compile(r"([a-zA-Z-]+)(?:=(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class HtmlError(ValueError):
    pass


def parse_html(text: str) -> str:
    plain: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "<":
            match = _TAG.match(text, i)
            offset = len(text[:i].encode())
            if not match:
                raise HtmlError(f"Can't parse entities: unclosed start tag at byte offset {offset}")
            closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
            if name not in ALLOWED:
                what = "end" if closing else "start"
                raise HtmlError(
                    f"Can't parse entities: unsupported {what} tag "
                    f'"{name}" at byte offset {offset}'
                )
            if closing:
                if not stack:
                    raise HtmlError(
                        f"Can't parse entities: unexpected end tag at byte offset {offset}"
                    )
                expected = stack.pop()
                if expected != name:
                    raise HtmlError(
                        "Can't parse entities: unmatched end tag at byte offset "
                        f'{offset}, expected "</{expected}>", found "</{name}>"'
                    )
            else:
                for attr in _ATTR.finditer(attrs):
                    if attr.group(1).lower() not in ALLOWED[name]:
                        raise HtmlError(
                            f"Can't parse entities: unsupported attribute at byte offset {offset}"
                        )
                stack.append(name)
            i = match.end()
        elif ch == "&":
            match = _ENTITY.match(text, i)
            if not match:
                offset = len(text[:i].encode())
                raise HtmlError(
                    f"Can't parse entities: unsupported HTML entity at byte offset {offset}"
                )
            body = match.group(1)
            if body.startswith("#x"):
                plain.append(chr(int(body[2:], 16)))
            elif body.startswith("#"):
                plain.append(chr(int(body[1:])))
            else:
                plain.append(_NAMED[body])
            i = match.end()
        else:
            plain.append(ch)
            i += 1
    if stack:
        raise HtmlError(
            f"Can't parse entities: can't find end tag corresponding to start tag \"{stack[-1]}\""
        )
    return "".join(plain)


def strip_tags(text: str) -> str:
    """Plain text of HTML we already know to be valid (or best effort if not)."""
    try:
        return parse_html(text)
    except HtmlError:
        return re.sub(r"<[^>]+>", "", text)
