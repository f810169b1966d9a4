"""End to end: typed questions get the right answer, with the customer's own data."""

from datetime import UTC, datetime

import pytest

from bot.clock import FakeClock
from bot.intents import INTENTS
from tests.conftest import Harness, HarnessFactory
from tests.e2e.test_skeleton import link

# One typed question per intent, and what its answer must show (linked, German).
QUESTIONS = {
    "greeting": ("Hallo!", "Sie können mich zu Ihrem Kooperationsplan fragen"),
    "thanks": ("danke sehr!", "Gern geschehen"),
    "what_is_plan": ("Was ist eigentlich ein Kooperationsplan?", "Ihr Fahrplan in Arbeit"),
    "how_it_works": ("wie wird so ein plan erstellt", "So entsteht der Plan"),
    "plan_contents": ("was steht im kooperationsplan drin", "Was im Plan steht"),
    "binding": ("ist der plan rechtlich bindend?", "rechtlich nicht verbindlich"),
    "cannot_keep": ("wird mein geld gekürzt wenn ich das nicht schaffe", "Leistungsminderung"),
    "sick": ("ich bin krank", "Arbeitsunfähigkeitsbescheinigung"),
    "cannot_come": ("ich kann nicht zum termin kommen", "Mittwoch, 2. Dezember 2026"),
    "conciliation": ("ich bin mit meinem plan nicht einverstanden", "Schlichtungsverfahren"),
    "change_plan": ("kann ich den plan ändern", "Den Plan ändern"),
    "show_plan": ("zeig mir meinen kooperationsplan", "Handlungsbedarf in der Bedarfsgemeinschaft"),
    "my_goal": ("was ist mein ziel?", "Arbeit als Fachkraft für Lagerlogistik"),
    "my_steps": ("was muss ich als nächstes tun", "Am Bewerbungstraining teilnehmen"),
    "next_appointment": ("wann ist mein nächster termin", "Raum 2.14"),
    "contact_phone": ("telefonnummer von meiner ansprechpartnerin", "0123/456-789"),
    "talk_to_person": ("ich will mit einem menschen reden", "Computerprogramm"),
    "change_language": ("andere sprache bitte", "Wählen Sie Ihre Sprache"),
    "privacy": ("wer sieht meine daten?", "für Ihre Daten verantwortlich"),
    "help": ("was kannst du alles", "/explain"),
    "connect": ("wie verbinde ich mein konto", "schon verbunden"),
}
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@pytest.fixture
async def linked(harness_factory: HarnessFactory) -> Harness:
    h: Harness = await harness_factory(clock=FakeClock(NOW))
    h.emulator.flood = False  # one customer asks more than Telegram's 20 a minute here
    await link(h)
    return h


def test_every_intent_has_an_end_to_end_question() -> None:
    assert set(QUESTIONS) == set(INTENTS)


async def test_every_intent_is_answered(linked: Harness) -> None:
    h = linked
    for intent, (question, expected) in QUESTIONS.items():
        answer = await h.say(question)
        assert expected in answer.text, (intent, answer.text)
        assert "nicht verstanden" not in answer.text, intent


async def test_data_questions_answer_with_the_customers_own_data(linked: Harness) -> None:
    h = linked
    appointment = await h.say("wann hab ich wieder einen termin beim jobcenter")
    for expected in ("Mittwoch, 2. Dezember 2026 um 09:30", "Beratungsgespräch", "Lebenslauf"):
        assert expected in appointment.text
    sick = await h.say("bin krank")
    assert "Frau Mustermann, Telefon 0123/456-789" in sick.text
    assert "Ich kann etwas nicht einhalten" in " ".join(sick.button_texts)


async def test_unlinked_readers_get_guidance_never_data(harness: Harness) -> None:
    h = harness
    stranger = h.emulator.add_user("Eve", language_code="en")
    for question in ("what is my goal", "when is my next appointment", "phone number pls"):
        answer = await h.say(question, stranger)
        assert "not connected yet" in answer.text, question
        assert "Lagerlogistik" not in answer.text and "Mustermann" not in answer.text
    sick = await h.say("i am sick", stranger)
    assert "sick note" in sick.text and "0123" not in sick.text
    assert "How do I connect?" in " ".join(sick.button_texts)


async def test_a_long_word_is_a_question_not_a_wrong_link_code(harness: Harness) -> None:
    h = harness
    answer = await h.say("Schlichtungsverfahren")
    assert "Schlichtungsverfahren" in answer.text and "Code ist nicht gültig" not in answer.text
    code = await h.link_code()
    assert "verbunden" in (await h.say(code)).text  # real codes still link


async def test_gibberish_gets_the_topic_list_and_the_offer_to_write(linked: Harness) -> None:
    h = linked
    answer = await h.say("asdf qwer")
    assert "nicht verstanden" in answer.text
    buttons = " ".join(answer.button_texts)
    assert "Was ist ein Kooperationsplan?" in buttons
    assert "Meiner Ansprechperson schreiben" in buttons


async def test_english_questions_get_english_answers(harness: Harness) -> None:
    h = harness
    reader = h.emulator.add_user("Ann", language_code="en")
    answer = await h.say("is the cooperation plan legally binding", reader)
    assert "not legally binding" in answer.text
    german = await h.say("ist der plan verbindlich", reader)  # German is understood too
    assert "not legally binding" in german.text


async def test_conciliation_off_answers_with_the_note(harness_factory: HarnessFactory) -> None:
    h: Harness = await harness_factory(conciliation_enabled=False)
    answer = await h.say("was ist ein schlichtungsverfahren")
    assert "wenden Sie sich bitte an Ihr Jobcenter" in answer.text
    assert "Schlichtung beantragen" not in " ".join(answer.button_texts)
    change = await h.say("ich möchte meinen plan ändern")
    assert "wenden Sie sich bitte an Ihr Jobcenter" in change.text
