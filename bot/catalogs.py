"""Catalog workflow: `python -m bot.catalogs extract|update|check`.

Two gettext domains: `messages` (what customers read, every language, English ids) and
`caseworkers` (the staff group's texts in `dialogs/caseworkers.py`, German ids, German
only).

- extract: collect the gettext strings of `bot/` and `dialogs/` into locales/<domain>.pot
- update:  merge each template into each language's <domain>.po; a catalog in the
           domain's source language is filled from the message ids
- check:   fail when a template is stale, a catalog misses a message, or a translation
           breaks a placeholder, an HTML tag or a plural form, is left in English or
           German, is not in its language's script, or does not use the glossary
           (locales/glossary/); `check=uk,ar` checks only those languages

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


def problems(directory: Path | None = None, languages: set[str] | None = None) -> list[str]:
    """Everything that makes a catalog unfit to ship, one line each."""
    directory = directory or locales_dir()
    return [
        line
        for domain in (DOMAIN, STAFF_DOMAIN)
        for line in _domain_problems(directory, domain, languages)
    ]


def _domain_problems(directory: Path, domain: str, languages: set[str] | None) -> list[str]:
    found: list[str] = []
    template = read_catalog(directory / f"{domain}.pot")
    wanted = {m.id if not isinstance(m.id, list) else tuple(m.id) for m in template if m.id}
    current = {m.id if not isinstance(m.id, list) else tuple(m.id) for m in extract(domain) if m.id}
    if wanted != current:
        found.append(f"{domain}.pot is stale: run `python -m bot.catalogs extract update`")
    german = read_catalog(po_path("de", directory, domain), "de") if domain == DOMAIN else None
    for code in domain_languages(domain):
        if languages is not None and code not in languages:
            continue
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
        rules = glossary_rules(directory, code) if domain == DOMAIN and code != "en" else []
        if domain == DOMAIN and code != "en" and not rules:
            found.append(f"{code}: glossary missing (locales/glossary/{code}.tsv)")
        for message in template:
            if not message.id:
                continue
            translated = catalog.get(message.id, message.context)
            problems_here = list(_check_message(code, translated, message, expected_plurals))
            found.extend(problems_here)
            if translated is None or problems_here or domain != DOMAIN:
                continue
            reference = german.get(message.id, message.context) if german else None
            found.extend(_check_language(code, translated, reference))
            found.extend(_check_glossary(code, translated, rules))
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


# Translations in these scripts must be written in them (names and German terms aside).
SCRIPTS = {
    "uk": "\u0400-\u04ff",
    "ru": "\u0400-\u04ff",
    "bg": "\u0400-\u04ff",
    "ar": "\u0600-\u06ff",
    "fa": "\u0600-\u06ff",
}
_NOT_WORDS = re.compile(r"\{[a-z_]+\}|<[^>]+>|&[a-z#0-9]+;|/[a-z_]+")
GlossaryRule = tuple[str, re.Pattern[str], re.Pattern[str]]


def _letters(text: str) -> str:
    return "".join(ch for ch in _NOT_WORDS.sub(" ", text) if ch.isalpha())


def _check_language(code: str, translated: Message, german: Message | None) -> Iterable[str]:
    """Flag texts left in English or German, or not in the language's script."""
    ids = _ids(translated)
    label = ids[0][:60]
    german_texts = _strings(german) if german else []
    for index, text in enumerate(_strings(translated)):
        if len(_letters(text)) < 4:
            continue  # a placeholder pattern, an emoji, a number: nothing to translate
        if code != "en" and text == ids[min(index, len(ids) - 1)]:
            yield f"{code}: left in English: {label!r}"
        if code not in ("de", "de-easy", "en") and text in german_texts:
            yield f"{code}: left in German: {label!r}"
        script = SCRIPTS.get(code)
        if script and not re.search(f"[{script}]", _letters(text)):
            yield f"{code}: not written in its script: {label!r}"


def glossary_rules(directory: Path, code: str) -> list[GlossaryRule]:
    """(term id, English trigger, required pattern) from one language's glossary."""
    terms_path = directory / "glossary" / "terms.tsv"
    path = directory / "glossary" / f"{code}.tsv"
    if not path.exists() or not terms_path.exists():
        return []
    triggers = {row[0]: re.compile(row[2]) for row in _tsv(terms_path)}
    return [
        (row[0], triggers[row[0]], re.compile(row[2], re.IGNORECASE))
        for row in _tsv(path)
        if row[0] in triggers and len(row) > 2 and row[2]
    ]


def _tsv(path: Path) -> list[list[str]]:
    lines = path.read_text(encoding="utf-8").splitlines()[1:]  # the first line names columns
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def _check_glossary(code: str, translated: Message, rules: list[GlossaryRule]) -> Iterable[str]:
    source = _ids(translated)[0]
    for term, trigger, required in rules:
        if trigger.search(source) and not all(required.search(t) for t in _strings(translated)):
            yield f"{code}: glossary term '{term}' not used in {source[:60]!r}"


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
        elif step == "check" or step.startswith("check="):
            wanted = set(step.removeprefix("check=").split(",")) if "=" in step else None
            found = problems(directory, wanted)
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
