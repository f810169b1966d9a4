"""End to end: the walkthrough, its topic list, deep links and the menu entry."""

from typing import Any

from bot.emulator.html_check import parse_html
from bot.legal import LegalFacts
from dialogs.explain_pages import pages
from tests.conftest import Harness, HarnessFactory
from tests.e2e.test_skeleton import link

DE_TITLES = {
    "idea": "Was ist ein Kooperationsplan?",
    "steps": "So entsteht der Plan",
    "contents": "Was im Plan steht",
    "together": "So arbeiten wir zusammen",
    "consequences": "Wenn Absprachen nicht eingehalten werden",
    "early": "Wenn Sie etwas nicht einhalten können",
    "conciliation": "Wenn Sie sich nicht einig sind: Schlichtung",
    "conciliation_how": "So läuft die Schlichtung",
}


async def press_and_wait(h: Harness, message: Any, button: str) -> Any:
    edits = message.edits
    await h.emulator.press(h.customer, message, button)
    return await h.emulator.wait_until(lambda: message.edits > edits and message)


async def test_next_and_back_walk_every_page_in_one_message(harness: Harness) -> None:
    h = harness
    await link(h)
    page = await h.say("/explain")
    assert DE_TITLES["idea"] in page.text and "Seite 1 von 8" in page.text
    sent_before = len(h.emulator.bot_messages(h.customer))
    for number, page_id in enumerate(list(DE_TITLES)[1:], start=2):
        page = await press_and_wait(h, page, "Weiter")
        assert DE_TITLES[page_id] in page.text and f"Seite {number} von 8" in page.text
        assert len(parse_html(page.html)) <= 700
    assert "Weiter ▶️" not in page.button_texts  # the last page
    page = await press_and_wait(h, page, "Zurück")
    assert DE_TITLES["conciliation"] in page.text
    assert len(h.emulator.bot_messages(h.customer)) == sent_before  # edited, never flooded
    assert page.edits == len(DE_TITLES)
    assert h.emulator.unanswered_callbacks() == []


async def test_topics_open_every_page(harness: Harness) -> None:
    h = harness
    page = await h.say("/explain")
    topics = await press_and_wait(h, page, "Themen")
    assert "Was möchten Sie wissen?" in topics.text
    for title in DE_TITLES.values():
        opened = await press_and_wait(h, topics, title)
        assert title in opened.text
        topics = await press_and_wait(h, opened, "Themen")
    assert h.emulator.unanswered_callbacks() == []


async def test_deep_links_open_the_right_page(harness: Harness) -> None:
    h = harness
    for page in pages(LegalFacts(True, 4)):
        reply = await h.say(f"/start explain_{page.id}")
        assert DE_TITLES[page.id] in reply.text, page.id
    first = await h.say("/start explain")
    assert DE_TITLES["idea"] in first.text
    unknown = await h.say("/start explain_nonsense")
    assert "Was möchten Sie wissen?" in unknown.text


async def test_menu_entry_for_linked_and_unlinked_readers(harness: Harness) -> None:
    h = harness
    stranger = h.emulator.add_user("Eve", language_code="en")
    menu = await h.say("/menu", stranger)
    await h.emulator.press(stranger, menu, "What is a Kooperationsplan?")
    page = await h.emulator.wait_until(lambda: menu.edits == 1 and menu)
    assert "roadmap into work or training" in page.text
    assert "How do I connect?" in " ".join(page.button_texts)  # no data without linking
    await link(h)
    menu = await h.say("/menu")
    page = await press_and_wait(h, menu, "Was ist ein Kooperationsplan?")
    assert "Meinen Plan zeigen" in " ".join(page.button_texts)
    plan = await press_and_wait(h, page, "Meinen Plan zeigen")
    assert "Arbeit als Fachkraft für Lagerlogistik" in plan.text


async def test_conciliation_off_shows_a_note_instead(harness_factory: HarnessFactory) -> None:
    h: Harness = await harness_factory(conciliation_enabled=False)
    await link(h)
    for link_name in ("explain_conciliation", "explain_conciliation_how"):
        note = await h.say(f"/start {link_name}")
        assert "wenden Sie sich bitte an Ihr Jobcenter" in note.text
        assert "Schlichtung beantragen" not in " ".join(note.button_texts)
    topics = await h.say("/start explain_topics")
    assert "Wenn Sie mit Ihrem Plan nicht einverstanden sind" in " ".join(topics.button_texts)
    assert "So läuft die Schlichtung" not in " ".join(topics.button_texts)
