"""Catalog workflow: `python -m bot.catalogs extract|update|check`.

- extract: collect every gettext string of `bot/` and `dialogs/` into locales/messages.pot
- update:  merge the template into each language's messages.po (English is the source
           language, so its catalog is filled from the message ids)
- check:   fail when the template is stale, a catalog misses a message, or a translation
           breaks a placeholder, an HTML tag or a plural form

There is no compile step: the bot compiles the .po files in memory at start.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.i18n import DOMAIN, LANGUAGES, locales_dir

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("bot", "dialogs")
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
TAG = re.compile(r"</?([a-z-]+)[^>]*>")


def extract() -> Catalog:
    catalog = Catalog(project="kooperationsplan-bot", version="1", fuzzy=False)
    for source in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / source,
            method_map=[("**.py", "python")],
            keywords=KEYWORDS,
            comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True,
        ):
            catalog.add(
                message,
                None,
                [(f"{source}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    return catalog


def _write(catalog: Catalog, path: Path) -> None:
    buffer = io.BytesIO()
    write_po(
        buffer, catalog, width=88, include_lineno=False, ignore_obsolete=True, sort_by_file=True
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def po_path(code: str, directory: Path | None = None) -> Path:
    return (directory or locales_dir()) / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def update(directory: Path) -> None:
    template = read_catalog(directory / f"{DOMAIN}.pot")
    for code, language in LANGUAGES.items():
        path = po_path(code, directory)
        if path.exists():
            catalog = read_catalog(path, language.babel)
        else:
            catalog = Catalog(locale=language.babel, project="kooperationsplan-bot")
        catalog.update(template, update_header_comment=False)
        catalog.locale = Locale.parse(language.babel)  # keeps Plural-Forms right
        if code == "en":
            for message in catalog:
                if message.id and (not all(_strings(message)) or message.fuzzy):
                    message.string = message.id
                    message.flags.discard("fuzzy")
        _write(catalog, path)


def _ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple | list) else [message.id]


def _strings(message: Message) -> list[str]:
    if isinstance(message.string, tuple | list):
        return [s or "" for s in message.string]
    return [message.string or ""]


def _shape(text: str) -> tuple[set[str], list[str]]:
    return set(PLACEHOLDER.findall(text)), sorted(TAG.findall(text))


def problems(directory: Path | None = None) -> list[str]:
    """Everything that makes a catalog unfit to ship, one line each."""
    directory = directory or locales_dir()
    found: list[str] = []
    template = read_catalog(directory / f"{DOMAIN}.pot")
    wanted = {m.id if not isinstance(m.id, list) else tuple(m.id) for m in template if m.id}
    current = {m.id if not isinstance(m.id, list) else tuple(m.id) for m in extract() if m.id}
    if wanted != current:
        found.append("messages.pot is stale: run `python -m bot.catalogs extract update`")
    for code, language in LANGUAGES.items():
        path = po_path(code, directory)
        if not path.exists():
            found.append(f"{code}: catalog missing ({path})")
            continue
        catalog = read_catalog(path, language.babel)
        plurals = Locale.parse(language.babel).plural_form
        expected_plurals = catalog.num_plurals
        if plurals is None or expected_plurals < 1:
            found.append(f"{code}: no plural rule")
        for message in template:
            if not message.id:
                continue
            found.extend(
                _check_message(
                    code, catalog.get(message.id, message.context), message, expected_plurals
                )
            )
    return found


def _check_message(
    code: str, translated: Message | None, source: Message, plurals: int
) -> Iterable[str]:
    label = _ids(source)[0][:60]
    if translated is None:
        yield f"{code}: missing: {label!r}"
        return
    strings = _strings(translated)
    if translated.fuzzy or not all(strings):
        yield f"{code}: untranslated or fuzzy: {label!r}"
        return
    if source.pluralizable and len(strings) != plurals:
        yield f"{code}: needs {plurals} plural forms, has {len(strings)}: {label!r}"
    want_placeholders, want_tags = _shape(_ids(source)[0])
    for text in strings:
        placeholders, tags = _shape(text)
        # Plural forms may leave out {count} ("one day" instead of "1 day").
        missing = want_placeholders - placeholders - ({"count"} if source.pluralizable else set())
        if placeholders - want_placeholders or missing:
            yield f"{code}: placeholders differ in {label!r}: {sorted(placeholders)}"
        if tags != want_tags:
            yield f"{code}: HTML tags differ in {label!r}: {tags}"


def main(argv: list[str]) -> int:
    directory = ROOT / "locales"
    if not argv:
        print(__doc__)
        return 2
    for step in argv:
        if step == "extract":
            _write(extract(), directory / f"{DOMAIN}.pot")
        elif step == "update":
            update(directory)
        elif step == "check":
            found = problems(directory)
            for line in found:
                print(line)
            if found:
                return 1
            print("catalogs complete")
        else:
            print(f"unknown step {step!r}; use extract, update or check", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
