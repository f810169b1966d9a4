"""End to end through the emulator: linking, the plan, contact, language, bad input."""

from bot.emulator import Fault
from bot.linking import MAX_FAILED
from tests.conftest import Harness


async def link(h: Harness) -> None:
    code = await h.link_code()
    reply = await h.say(f"/start {code}")
    assert "Ihr Konto ist verbunden" in reply.text


async def test_link_read_plan_and_contact(harness: Harness) -> None:
    h = harness
    await link(h)
    plan = await h.say("/plan")
    for expected in (
        "Mein Kooperationsplan",
        "Arbeit als Fachkraft für Lagerlogistik",
        "Einen Kitaplatz für die Tochter finden",
        "1. Am Bewerbungstraining teilnehmen (bis 15.12.2026)",
        "Übernahme der Bewerbungskosten",
        "Migrationsberatung vor Ort",
        "Handlungsbedarf in der Bedarfsgemeinschaft klären",
        "Vereinbart am 20.11.2026",
    ):
        assert expected in plan.text
    await h.emulator.press(h.customer, plan, "Ansprechperson")
    edited = await h.emulator.wait_until(lambda: plan.edits == 1 and plan)
    assert "Frau Mustermann" in edited.text and "0123/456-789" in edited.text
    contact = await h.say("/contact")
    assert "Telefon: 0123/456-789" in contact.text
    assert h.emulator.unanswered_callbacks() == []


async def test_caseworkers_are_told_about_a_new_link(harness: Harness) -> None:
    h = harness
    await link(h)
    post = await h.emulator.next_bot_message(h.group, after=0)
    assert "123A123456" in post.text and "Max M." in post.text
    assert "Mustermann" not in post.text  # only first name and initial


async def test_language_switch_changes_every_following_text(harness: Harness) -> None:
    h = harness
    await link(h)
    picker = await h.say("/language")
    assert "English" in picker.button_texts and "✓ Deutsch" in picker.button_texts
    await h.emulator.press(h.customer, picker, "English")
    changed = await h.emulator.wait_until(lambda: picker.edits == 1 and picker)
    assert "I will write to you in English" in changed.text
    plan = await h.say("/plan")
    assert "My Kooperationsplan" in plan.text
    assert "Texts from your Jobcenter are shown in German" in plan.text


async def test_unlinked_user_gets_guidance_never_data(harness: Harness) -> None:
    h = harness
    stranger = h.emulator.add_user("Eve", language_code="en")
    welcome = await h.say("/start", stranger)
    assert "assistant of your Jobcenter" in welcome.text
    for command in ("/plan", "/contact"):
        reply = await h.say(command, stranger)
        assert "not connected yet" in reply.text
        assert "Lagerlogistik" not in reply.text and "Mustermann" not in reply.text


async def test_wrong_used_and_throttled_codes(harness: Harness) -> None:
    h = harness
    code = await h.link_code()
    await link_with(h, code)
    other = h.emulator.add_user("Eve", language_code="en")
    reused = await h.say(f"/start {code}", other)
    assert "already been used" in reused.text
    for _ in range(MAX_FAILED - 1):
        wrong = await h.say("/start AAAAAAAAAAAAAAAAAAAAAA", other)
        assert "not valid" in wrong.text
    throttled = await h.say(f"/start {await h.link_code()}", other)
    assert "Too many wrong codes" in throttled.text


async def link_with(h: Harness, code: str) -> None:
    reply = await h.say(f"/start {code}")
    assert "verbunden" in reply.text


async def test_code_sent_as_plain_text_also_links(harness: Harness) -> None:
    h = harness
    code = await h.link_code()
    reply = await h.say(code)
    assert "Ihr Konto ist verbunden" in reply.text


async def test_bad_input_gets_a_friendly_answer_and_the_menu(harness: Harness) -> None:
    h = harness
    await link(h)
    huge = await h.say("x" * 10_000)
    assert "nicht verstanden" in huge.text and "Menü" in " ".join(huge.button_texts)
    unknown = await h.say("/doesnotexist")
    assert "Diesen Befehl kenne ich nicht" in unknown.text
    before = h.emulator.bot_messages(h.customer)[-1].message_id
    await h.emulator.send_sticker(h.customer)
    sticker = await h.emulator.next_bot_message(h.customer, after=before)
    assert "nur Textnachrichten" in sticker.text
    weird = await h.say("\u202e\u2066<b>&amp;</b>\x00")
    assert "nicht verstanden" in weird.text


async def test_forged_and_stale_buttons_do_nothing_and_reveal_nothing(harness: Harness) -> None:
    h = harness
    await link(h)
    menu = await h.say("/menu")
    for forged in ("v1:plan:show:999999", "v9:admin:dump", "x" * 64, "v1:lang:set:xx"):
        before = h.emulator.bot_messages(h.customer)[-1].message_id
        record = await h.emulator.press(h.customer, menu, data=forged)
        await h.emulator.wait_until(lambda r=record: r.answered)
        await h.emulator.settle()
        for message in h.emulator.bot_messages(h.customer):
            if message.message_id > before:
                assert "Traceback" not in message.text
    assert h.emulator.unanswered_callbacks() == []


async def test_commands_are_registered_per_language(harness: Harness) -> None:
    h = harness
    await h.emulator.wait_until(lambda: h.emulator.commands_for("en"))
    assert h.emulator.commands_for("de") == h.emulator.commands_for("en")
    assert "plan" in h.emulator.commands_for("")


async def test_a_failing_send_is_reported_to_the_user_and_the_bot_keeps_running(
    harness: Harness,
) -> None:
    h = harness
    await link(h)
    h.emulator.faults.append(
        Fault("400", method="sendMessage", chat_id=h.customer.id, description="Bad Request: boom")
    )
    sorry = await h.say("/plan")
    assert "etwas schiefgegangen" in sorry.text
    plan = await h.say("/plan")
    assert "Mein Kooperationsplan" in plan.text


async def test_link_notice_survives_an_unreachable_group(harness: Harness) -> None:
    h = harness
    h.emulator.faults.append(Fault("network", chat_id=h.group.id, times=1))
    await link(h)
    post = await h.emulator.next_bot_message(h.group, after=0, timeout=15)
    assert "123A123456" in post.text


async def test_one_busy_chat_does_not_hold_up_the_others(harness: Harness) -> None:
    import time

    h = harness
    h.emulator.flood = False
    h.emulator.latency = 0.02
    other = h.emulator.add_user("Ana", language_code="de")
    for _ in range(200):  # a forwarded batch of stickers from one customer
        await h.emulator.send_sticker(h.customer)
    started = time.monotonic()
    reply = await h.say("/help", other)
    took = time.monotonic() - started
    h.emulator.latency = 0  # let the rest of the batch go quickly
    assert "Wie verbinde ich mein Konto?" in reply.text
    assert took < 1.5  # behind the two hundred it would take about 3 s


async def test_edited_messages_are_not_asked_for(harness: Harness) -> None:
    h = harness
    await h.say("/help")
    polls = [params for method, params in h.emulator.calls if method == "getUpdates"]
    assert polls and all(p["allowed_updates"] == ["message", "callback_query"] for p in polls)


async def test_linking_a_second_customer_on_one_phone_tells_the_caseworkers(
    harness_factory,  # type: ignore[no-untyped-def]
) -> None:
    from tests.conftest import document, sample_customer

    h: Harness = await harness_factory(
        doc=document(sample_customer(), sample_customer("456B654321", name="Eva Beispiel"))
    )
    await link(h)
    await h.emulator.next_bot_message(h.group, after=0)
    before = h.emulator.last_bot_message(h.group).message_id
    other_code = await h.link_code("456B654321")
    await h.say(f"/start {other_code}")
    notice = await h.emulator.next_bot_message(h.group, after=before)
    assert "456B654321" in notice.text and "vorher mit 123A123456 verbunden" in notice.text
