"""Answers to typed questions, rendered in every language: valid, short, data escaped."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.appointments import Appointment
from bot.emulator.html_check import parse_html
from bot.i18n import LANGUAGES, Catalogs
from bot.legal import LegalFacts
from bot.plans import Contact, Plan, Step
from bot.screen import Screen
from dialogs import answers

BERLIN = ZoneInfo("Europe/Berlin")
CONTACT = Contact("Frau <Muster>", "0123/456-789")
PLAN = Plan(
    goal={"de": "Arbeit als Fachkraft für Lagerlogistik"},
    interim_goal={"de": "Kitaplatz finden"},
    steps=(Step(1, {"de": "Bewerbungstraining"}, date(2026, 12, 15)),),
    jobcenter_support=(),
    other_support=(),
    other_notes=None,
    agreed_on=None,
    review_on=None,
)
APPOINTMENT = Appointment(
    1, 1, "T-1", datetime(2026, 12, 2, 8, 30, tzinfo=UTC), {"de": "Beratung"},
    {"de": "Raum 2.14"}, "Frau Muster", {"de": "Lebenslauf"}, "scheduled", 0, False, False,
)  # fmt: skip


def screens(code: str, catalogs: Catalogs) -> list[Screen]:
    t = catalogs.translator(code, BERLIN)
    on, off = LegalFacts(True, 4), LegalFacts(False, 4)
    today = date(2026, 11, 25)
    return [
        answers.render_greeting(t),
        answers.render_thanks(t),
        *(answers.render_sick(t, CONTACT, linked=linked) for linked in (True, False)),
        answers.render_cannot_come(t, CONTACT, APPOINTMENT, linked=True),
        answers.render_cannot_come(t, None, None, linked=False),
        answers.render_change_plan(t, on, linked=True),
        answers.render_change_plan(t, off, linked=False),
        answers.render_goal(PLAN, t),
        answers.render_goal(None, t),
        answers.render_steps(PLAN, t, today),
        answers.render_next_appointment(APPOINTMENT, t),
        answers.render_next_appointment(None, t),
        answers.render_talk_to_person(t, CONTACT, linked=True),
        answers.render_talk_to_person(t, None, linked=False),
        answers.render_privacy(t),
        answers.render_already_connected(t),
        answers.render_not_understood(t, on, linked=True),
    ]


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_answers_are_valid_short_html(catalogs: Catalogs, code: str) -> None:
    for screen in screens(code, catalogs):
        visible = parse_html(screen.text)  # raises on invalid Telegram HTML
        assert 0 < len(visible) <= 700, screen.text
        assert all(len(row) == 1 for row in screen.rows)


def test_data_is_escaped_and_shown(catalogs: Catalogs) -> None:
    t = catalogs.translator("de", BERLIN)
    sick = answers.render_sick(t, CONTACT, linked=True)
    assert "Frau &lt;Muster&gt;, Telefon 0123/456-789" in sick.text
    nxt = answers.render_next_appointment(APPOINTMENT, t)
    assert "Mittwoch, 2. Dezember 2026 um 09:30" in nxt.text and "Raum 2.14" in nxt.text
