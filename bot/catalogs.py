"""Catalog workflow: `python -m bot.catalogs extract|update|check`.

Two gettext domains: `messages` (what customers read, every language, English ids) and
`caseworkers` (the staff group's texts in `dialogs/caseworkers.py`, German ids, German
only).

- extract: collect the gettext strings of `bot/` and `dialogs/` into locales/<domain>.pot
- update:  merge each template into each language's <domain>.po; a catalog in the
           domain's source language is filled from the message ids
- check:   fail when a template is stale, a catalog misses a message, or a translation
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

from bot.i18n import DOMAIN, LANGUAGES, STAFF_DOMAIN, domain_languages, locales_dir

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("bot", "dialogs")
STAFF_FILES = ("dialogs/caseworkers.py",)
SOURCE_LANGUAGE = {DOMAIN: "en", STAFF_DOMAIN: "de"}
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
TAG = re.compile(r"</?([a-z-]+)[^>]*>")


def extract(domain: str = DOMAIN) -> Catalog:
    catalog = Catalog(project="kooperationsplan-bot", version="1", fuzzy=False)
    for source in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / source,
            method_map=[("**.py", "python")],
            keywords=KEYWORDS,
            comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True,
        ):
            path = f"{source}/{filename}"
            if (path in STAFF_FILES) != (domain == STAFF_DOMAIN):
                continue
            catalog.add(message, None, [(path, lineno)], auto_comments=comments, context=context)
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


def po_path(code: str, directory: Path | None = None, domain: str = DOMAIN) -> Path:
    return (directory or locales_dir()) / code / "LC_MESSAGES" / f"{domain}.po"


def update(directory: Path, domain: str = DOMAIN) -> None:
    template = read_catalog(directory / f"{domain}.pot")
    for code in domain_languages(domain):
        language = LANGUAGES[code]
        path = po_path(code, directory, domain)
        if path.exists():
            catalog = read_catalog(path, language.babel)
        else:
            catalog = Catalog(locale=language.babel, project="kooperationsplan-bot")
        catalog.update(template, update_header_comment=False)
        catalog.locale = Locale.parse(language.babel)  # keeps Plural-Forms right
        if code == SOURCE_LANGUAGE[domain]:  # its translation is the message id
            for message in catalog:
                if message.id and (not all(_strings(message)) or message.fuzzy):
                    message.string = tuple(message.id) if message.pluralizable else message.id
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
    return [
        line for domain in (DOMAIN, STAFF_DOMAIN) for line in _domain_problems(directory, domain)
    ]


def _domain_problems(directory: Path, domain: str) -> list[str]:
    found: list[str] = []
    template = read_catalog(directory / f"{domain}.pot")
    wanted = {m.id if not isinstance(m.id, list) else tuple(m.id) for m in template if m.id}
    current = {m.id if not isinstance(m.id, list) else tuple(m.id) for m in extract(domain) if m.id}
    if wanted != current:
        found.append(f"{domain}.pot is stale: run `python -m bot.catalogs extract update`")
    for code in domain_languages(domain):
        language = LANGUAGES[code]
        path = po_path(code, directory, domain)
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
            for domain in (DOMAIN, STAFF_DOMAIN):
                _write(extract(domain), directory / f"{domain}.pot")
        elif step == "update":
            for domain in (DOMAIN, STAFF_DOMAIN):
                update(directory, domain)
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
