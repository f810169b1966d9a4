"""Catalogs and formatting: complete catalogs, safe placeholders, locale-aware dates."""

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import catalogs as catalog_tool
from bot.i18n import FSI, LANGUAGES, PDI, Catalogs, Html, Language, Translator
from bot.sessions import resolve_locale

BERLIN = ZoneInfo("Europe/Berlin")


def test_catalogs_are_complete_and_consistent() -> None:
    assert catalog_tool.problems() == []


def test_check_finds_a_broken_placeholder(tmp_path: Path) -> None:
    import shutil

    target = tmp_path / "locales"
    shutil.copytree(catalog_tool.ROOT / "locales", target)
    po = catalog_tool.po_path("de", target)
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "Telefon: {phone}"', 'msgstr "Telefon: {telefon}"'), "utf-8")
    found = catalog_tool.problems(target)
    assert any("placeholders differ" in line and "Phone" in line for line in found)


def test_check_finds_a_missing_translation(tmp_path: Path) -> None:
    import shutil

    target = tmp_path / "locales"
    shutil.copytree(catalog_tool.ROOT / "locales", target)
    po = catalog_tool.po_path("de", target)
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "Hilfe"', 'msgstr ""'), "utf-8")
    assert any(line.startswith("de: untranslated") for line in catalog_tool.problems(target))


def test_translator_formats_for_the_reader(catalogs: Catalogs) -> None:
    when = datetime(2026, 12, 2, 8, 30, tzinfo=UTC)
    de = catalogs.translator("de", BERLIN)
    en = catalogs.translator("en", BERLIN)
    assert de.weekday_date(when) == "Mittwoch, 2. Dezember 2026"
    assert de.time(when) == "09:30"
    assert en.weekday_date(when) == "Wednesday, December 2, 2026"
    assert en.time(when) == "9:30\u202fAM"
    assert de.date(date(2026, 12, 15)) == "15.12.2026"
    assert de.gettext("Phone: {phone}", phone="0123/456-789") == "Telefon: 0123/456-789"


def test_data_is_escaped_but_translations_are_not(catalogs: Catalogs) -> None:
    t = catalogs.translator("de", BERLIN)
    assert t.gettext("Your contact person: {name}", name="<b>Eve</b> & Co") == (
        "Ihre Ansprechperson: &lt;b&gt;Eve&lt;/b&gt; &amp; Co"
    )
    inner = t.gettext("☰ Menu")
    assert isinstance(inner, Html)
    assert t.gettext("Your contact person: {name}", name=inner) == "Ihre Ansprechperson: ☰ Menü"


def test_rtl_inserts_are_isolated(catalogs: Catalogs) -> None:
    import gettext

    rtl = Translator(Language("ar", "ar", "العربية", rtl=True), gettext.NullTranslations(), BERLIN)
    assert rtl.data("Raum 2.14") == f"{FSI}Raum 2.14{PDI}"
    assert rtl.paragraph("x").startswith("\u200f")


def test_locale_resolution_order() -> None:
    assert resolve_locale("en", "de", "uk", "de") == "en"  # the customer's own choice
    assert resolve_locale(None, "en", "de", "de") == "en"  # the Jobcenter's record
    assert resolve_locale(None, None, "en-GB", "de") == "en"  # Telegram's language
    assert resolve_locale(None, "pl", "pt-br", "de") == "de"  # unsupported: default


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_every_language_has_plural_rules(catalogs: Catalogs, code: str) -> None:
    t = catalogs.translator(code, BERLIN)
    assert t.ngettext("{count} day", "{count} days", 1) != ""


def test_rtl_screens_start_every_line_right_to_left(catalogs: Catalogs) -> None:
    """Arabic and Dari: every line begins with RLM, German inserts are isolated."""
    from datetime import date as _date

    from bot.i18n import RLM
    from bot.plans import Plan, Step
    from dialogs.menu import render_menu
    from dialogs.plan import render_plan

    t = catalogs.translator("ar", BERLIN)
    plan = Plan(
        goal={"de": "Arbeit im Lager"},
        interim_goal=None,
        steps=(Step(1, {"de": "Bewerbungstraining"}, _date(2026, 12, 15)),),
        jobcenter_support=({"de": "Bewerbungskosten"},),
        other_support=(),
        other_notes=None,
        agreed_on=_date(2026, 11, 20),
        review_on=None,
    )
    for screen in (render_plan(plan, t, _date(2026, 11, 25)), render_menu(t, linked=True)):
        for line in screen.text.split("\n"):
            assert not line or line.startswith(RLM), line
    assert f"{FSI}Arbeit im Lager{PDI}" in render_plan(plan, t, _date(2026, 11, 25)).text
