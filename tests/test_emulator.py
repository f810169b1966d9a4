"""The emulator rejects what Telegram rejects, so the bot's tests mean something."""

from datetime import timedelta

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.emulator import Emulator, Fault
from bot.emulator.html_check import HtmlError, parse_html


@pytest.mark.parametrize(
    "html",
    [
        "<b>open",
        "<x>no</x>",
        "a < b",
        "Tom & Jerry",
        "<b><i>x</b></i>",
        "&nbsp;",
        '<a href="x" onclick="y">z</a>',
    ],
)
def test_invalid_html_is_rejected(html: str) -> None:
    with pytest.raises(HtmlError):
        parse_html(html)


def test_valid_html_gives_the_visible_text() -> None:
    assert (
        parse_html('<b>Fett</b> &amp; <a href="https://x">Link</a> &lt;3 &#128075;')
        == "Fett & Link <3 👋"
    )


async def test_send_and_limits(emulator: Emulator, bot: Bot) -> None:
    user = emulator.add_user("Ana")
    message = await bot.send_message(user.id, "<b>Hallo</b>", parse_mode=ParseMode.HTML)
    assert emulator.last_bot_message(user).text == "Hallo"
    assert message.message_id == emulator.last_bot_message(user).message_id
    with pytest.raises(BadRequest, match="too long"):
        await bot.send_message(user.id, "x" * 4097)
    await bot.send_message(user.id, "x" * 4096)
    with pytest.raises(BadRequest, match="empty"):
        await bot.send_message(user.id, "  ")
    with pytest.raises(BadRequest, match="parse entities"):
        await bot.send_message(user.id, "<b>x", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(424242, "hi")
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="x" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(user.id, "hi", reply_markup=too_long)


async def test_edit_without_change_is_refused_like_telegram(emulator: Emulator, bot: Bot) -> None:
    user = emulator.add_user("Ana")
    sent = await bot.send_message(user.id, "eins")
    await bot.edit_message_text("zwei", user.id, sent.message_id)
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text("zwei", user.id, sent.message_id)


async def test_faults_and_blocking(emulator: Emulator, bot: Bot) -> None:
    user = emulator.add_user("Ana")
    emulator.faults.append(Fault("429", retry_after=7))
    with pytest.raises(RetryAfter) as err:
        await bot.send_message(user.id, "hi")
    assert err.value.retry_after == timedelta(seconds=7)
    emulator.faults.append(Fault("network"))
    with pytest.raises(NetworkError):
        await bot.send_message(user.id, "hi")
    emulator.block(user)
    with pytest.raises(Forbidden):
        await bot.send_message(user.id, "hi")
    assert emulator.bot_messages(user) == []


async def test_lost_response_still_delivers(emulator: Emulator, bot: Bot) -> None:
    user = emulator.add_user("Ana")
    emulator.faults.append(Fault("drop_after"))
    with pytest.raises(NetworkError):
        await bot.send_message(user.id, "arrived anyway")
    assert [m.text for m in emulator.bot_messages(user)] == ["arrived anyway"]


async def test_flood_limit_per_group(emulator: Emulator, bot: Bot) -> None:
    member = emulator.add_user("Erika")
    group = emulator.add_group("Team", [member])
    for i in range(20):
        await bot.send_message(group.id, f"post {i}")
    with pytest.raises(RetryAfter):
        await bot.send_message(group.id, "one too many")


async def test_user_side_sends_commands_with_entities(emulator: Emulator) -> None:
    user = emulator.add_user("Ana")
    await emulator.send(user, "/start abc")
    update = emulator._updates[-1]["message"]
    assert update["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
