"""The walkthrough's pages, rendered in every language: short, valid, well navigated."""

from zoneinfo import ZoneInfo

import pytest

from bot import callbacks
from bot.emulator.html_check import parse_html
from bot.i18n import LANGUAGES, Catalogs
from bot.legal import LegalFacts
from bot.text import utf16_len
from dialogs.explain import render_page, render_topics
from dialogs.explain_pages import PAGES, pages

BERLIN = ZoneInfo("Europe/Berlin")
PAGE_LIMIT = 700  # characters a reader sees: about one phone screen


@pytest.mark.parametrize("code", list(LANGUAGES))
@pytest.mark.parametrize("conciliation", [True, False])
@pytest.mark.parametrize("linked", [True, False])
def test_every_page_is_short_valid_and_navigable(
    catalogs: Catalogs, code: str, conciliation: bool, linked: bool
) -> None:
    t = catalogs.translator(code, BERLIN)
    facts = LegalFacts(conciliation, 4)
    for page in pages(facts):
        screen = render_page(page, t, facts, linked=linked)
        visible = parse_html(screen.text)
        assert len(visible) <= PAGE_LIMIT, (code, page.id, len(visible))
        assert utf16_len(screen.text) <= 4096
        for row in screen.rows:
            for button in row:
                assert button.data is not None and callbacks.parse(button.data) is not None
            # One button per row, except Back/Next sharing one.
            assert len(row) == 1 or all(callbacks.parse(b.data or "").action == "page" for b in row)
        if not linked:
            flat = [b.data for row in screen.rows for b in row]
            assert callbacks.build("flag", "new") not in flat
            assert callbacks.build("plan", "show") not in flat
        if not conciliation:
            assert callbacks.build("conc", "new") not in [
                b.data for row in screen.rows for b in row
            ]
    topics = render_topics(t, facts)
    assert len(topics.rows) == len(pages(facts)) + 1  # every page and the menu


def test_conciliation_off_replaces_its_pages_with_a_note(catalogs: Catalogs) -> None:
    t = catalogs.translator("de", BERLIN)
    off = LegalFacts(False, 4)
    assert [p.id for p in pages(off)][-1] == "conciliation"
    assert len(pages(off)) == len(PAGES) - 1
    note = render_page(pages(off)[-1], t, off, linked=True)
    assert "wenden Sie sich bitte an Ihr Jobcenter" in note.text
    assert "Schlichtungsverfahren" not in note.text and "4 Wochen" not in note.text


def test_conciliation_weeks_come_from_the_setting(catalogs: Catalogs) -> None:
    t = catalogs.translator("en", BERLIN)
    facts = LegalFacts(True, 6)
    how = next(p for p in pages(facts) if p.id == "conciliation_how")
    assert "at most 6 weeks" in render_page(how, t, facts, linked=True).text


def test_each_legal_term_is_named_with_its_explanation(catalogs: Catalogs) -> None:
    t = catalogs.translator("de", BERLIN)
    facts = LegalFacts(True, 4)
    text = "\n".join(render_page(p, t, facts, linked=True).text for p in pages(facts))
    for term in (
        "Kooperationsplan",
        "Schlichtungsverfahren",
        "Leistungsminderung",
        "wichtigen Grund",
    ):
        assert term in text
