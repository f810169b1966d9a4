"""Languages, gettext catalogs and locale-aware formatting.

Catalogs are the `.po` files under `locales/`; they are compiled in memory when the bot
starts, so a compiled catalog can never be stale. `Translator` is what dialogs use: it
translates, fills placeholders (escaping data for Telegram HTML and isolating it in
right-to-left languages) and formats dates, times and numbers with Babel.
"""

from __future__ import annotations

import datetime as dt
import gettext
import html
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time, format_timedelta
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

DOMAIN = "messages"  # everything customers read, in every language; English message ids
STAFF_DOMAIN = "caseworkers"  # what the caseworkers' group reads; German message ids
STAFF_LANGUAGES = ("de",)
# First strong isolate / pop directional isolate: keep German inserts (names, places,
# references, times, phone numbers) from scrambling a right-to-left line.
FSI, PDI = "\u2068", "\u2069"
RLM = "\u200f"


@dataclass(frozen=True)
class Language:
    code: str  # our catalog code, also stored in the database
    babel: str  # Babel locale used for dates, numbers and plural rules
    native_name: str  # the language's name in its own script, for the picker
    rtl: bool = False
    # Babel's date length for plain dates. "long" names the month: the medium form is
    # all digits in German letters, but abbreviated month names ("груд.", "دسم") elsewhere.
    date_format: str = "long"


# The order is the picker's. Names are in each language's own script, so a reader finds
# theirs whatever language the bot speaks at the moment (no flags: languages are not
# countries).
LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("de", "de", "Deutsch", date_format="medium"),
        Language("de-easy", "de", "Leichte Sprache"),  # easy German writes the month out
        Language("en", "en", "English", date_format="medium"),
        Language("uk", "uk", "Українська"),
        # Syrian formats: Levantine month names (كانون الأول), read in Syria and Iraq.
        Language("ar", "ar_SY", "العربية", rtl=True),
        Language("tr", "tr", "Türkçe"),
        Language("fa", "fa_AF", "دری / فارسی", rtl=True),
        Language("ru", "ru", "Русский"),
        Language("bg", "bg", "Български"),
        Language("ro", "ro", "Română"),
        Language("ku", "ku", "Kurdî (Kurmancî)"),
    )
}
# Telegram's language codes that mean one of ours (Dari is `prs` in ISO 639-3).
TELEGRAM_ALIASES = {"prs": "fa", "kmr": "ku"}
SUPPORTED_LOCALES: tuple[str, ...] = tuple(LANGUAGES)


def N_(message: str) -> str:
    """Marks a string for extraction; it is translated later, where it is shown."""
    return message


class Html(str):
    """Trusted Telegram HTML: inserted into messages without escaping."""

    __slots__ = ()


def locales_dir() -> Path:
    """`bot/locales` inside an installed wheel, else `locales/` of the checkout."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "locales", package.parent / "locales"):
        if (candidate / f"{DOMAIN}.pot").is_file():
            return candidate
    raise FileNotFoundError("message catalogs not found (expected locales/messages.pot)")


def language_for(telegram_code: str | None) -> str | None:
    """Our locale for a Telegram `language_code` such as `de`, `en-GB` or `pt-br`."""
    if not telegram_code:
        return None
    base = telegram_code.replace("_", "-").split("-")[0].lower()
    base = TELEGRAM_ALIASES.get(base, base)
    return base if base in LANGUAGES else None  # easy German is chosen, never detected


def _compile(po_path: Path, locale: str) -> gettext.GNUTranslations:
    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale=LANGUAGES[locale].babel)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # fuzzy entries are left out, as msgfmt does
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def domain_languages(domain: str) -> tuple[str, ...]:
    return STAFF_LANGUAGES if domain == STAFF_DOMAIN else SUPPORTED_LOCALES


class Catalogs:
    """All languages' compiled catalogs, loaded once at start."""

    def __init__(self, directory: Path | None = None) -> None:
        directory = directory or locales_dir()
        self._translations: dict[tuple[str, str], gettext.NullTranslations] = {}
        for domain in (DOMAIN, STAFF_DOMAIN):
            for code in domain_languages(domain):
                po = directory / code / "LC_MESSAGES" / f"{domain}.po"
                if not po.is_file():
                    raise FileNotFoundError(f"catalog missing for '{code}': {po}")
                self._translations[(domain, code)] = _compile(po, code)

    def translator(self, locale: str, tz: ZoneInfo) -> Translator:
        language = LANGUAGES.get(locale) or LANGUAGES["de"]
        return Translator(language, self._translations[(DOMAIN, language.code)], tz)

    def staff_translator(self, tz: ZoneInfo) -> Translator:
        """For the caseworkers' group: German staff texts, German dates."""
        return Translator(LANGUAGES["de"], self._translations[(STAFF_DOMAIN, "de")], tz)


@cache
def _babel_locale(code: str) -> Locale:
    return Locale.parse(code)


class Translator:
    """Translates and formats for one reader: their language and the Jobcenter's zone."""

    def __init__(self, language: Language, translations: gettext.NullTranslations, tz: ZoneInfo):
        self.language = language
        self.tz = tz
        self._tr = translations
        self._babel = _babel_locale(language.babel)

    @property
    def locale(self) -> str:
        return self.language.code

    @property
    def rtl(self) -> bool:
        return self.language.rtl

    # Translations are trusted HTML, so what these return can go into other messages as is;
    # plain `str` values are data and get escaped.
    def gettext(self, message: str, /, **values: object) -> Html:
        """Translate `message` and fill its `{placeholders}` (data escaped as HTML)."""
        return self._fill(self._tr.gettext(message), values)

    def ngettext(self, singular: str, plural: str, n: int, /, **values: object) -> Html:
        """Plural-aware translation; `{count}` is filled with `n` unless given."""
        values.setdefault("count", n)
        return self._fill(self._tr.ngettext(singular, plural, n), values)

    def pgettext(self, context: str, message: str, /, **values: object) -> Html:
        return self._fill(self._tr.pgettext(context, message), values)

    def data(self, value: str) -> Html:
        """Data (a name, a place, a plan text) escaped and, in RTL text, isolated."""
        escaped = html.escape(value, quote=False)
        return Html(f"{FSI}{escaped}{PDI}" if self.rtl else escaped)

    def paragraph(self, text: str) -> str:
        """In RTL languages start every line with a right-to-left mark.

        Telegram takes a line's direction from its first strong character, and skips
        isolated inserts: a line that begins with an emoji and a German place name would
        otherwise be laid out left to right.
        """
        if not self.rtl or not text:
            return text
        return "\n".join(
            line if not line or line.startswith(RLM) else RLM + line for line in text.split("\n")
        )

    def _fill(self, template: str, values: dict[str, object]) -> Html:
        return Html(template.format_map({k: self._value(v) for k, v in values.items()}))

    def _value(self, value: object) -> str:
        if isinstance(value, Html):
            return value
        if isinstance(value, bool):
            raise TypeError("booleans are not message values")
        if isinstance(value, int):
            return self.data(self.number(value))
        if isinstance(value, dt.datetime):
            return self.data(self.datetime(value))
        if isinstance(value, dt.date):
            return self.data(self.date(value))
        if isinstance(value, str):
            return self.data(value)
        raise TypeError(f"unsupported message value {type(value).__name__}")

    # Babel formatting, always in the reader's locale and the Jobcenter's time zone.
    def number(self, value: int | float) -> str:
        return str(format_decimal(value, locale=self._babel))

    def date(self, value: dt.date, fmt: str | None = None) -> str:
        return str(format_date(value, format=fmt or self.language.date_format, locale=self._babel))

    def weekday_date(self, value: dt.date | dt.datetime) -> str:
        """`Wednesday, 2 December 2026` style, for appointments."""
        if isinstance(value, dt.datetime):
            value = value.astimezone(self.tz).date()
        return str(format_date(value, format="full", locale=self._babel))

    def duration(self, value: dt.timedelta) -> str:
        """`3 hours`, `2 days`: roughly, the way people say it."""
        return str(format_timedelta(value, locale=self._babel, threshold=1.2))

    def time(self, value: dt.datetime) -> str:
        return str(format_time(value.astimezone(self.tz), format="short", locale=self._babel))

    def datetime(self, value: dt.datetime) -> str:
        """Medium date and short time joined the locale's way (`02.12.2026, 09:30`)."""
        pattern = str(self._babel.datetime_formats["medium"])
        return pattern.replace("{1}", self.date(value.astimezone(self.tz).date())).replace(
            "{0}", self.time(value)
        )
