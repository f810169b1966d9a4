"""Sending screens to Telegram: the one place that talks to the Bot API for dialogs."""

from __future__ import annotations

import logging

from telegram import Bot, CallbackQuery, Message, ReplyParameters, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.context import BotContext
from bot.screen import Screen
from bot.text import MAX_MESSAGE_UTF16, split_message, visible_len

log = logging.getLogger(__name__)


async def send(bot: Bot, chat_id: int, screen: Screen, reply_to: int | None = None) -> Message:
    """Send a screen as new message(s); long texts are split, buttons go on the last part.

    A screen with a document is sent as that document, its text as the caption.
    """
    if screen.document is not None:
        return await bot.send_document(
            chat_id,
            document=screen.document.content,
            filename=screen.document.filename,
            caption=screen.text or None,
            parse_mode=ParseMode.HTML,
            reply_markup=screen.markup(),
        )
    parts = split_message(screen.text)
    message: Message | None = None
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        message = await bot.send_message(
            chat_id,
            part,
            parse_mode=ParseMode.HTML,
            reply_markup=screen.markup() if last else None,
            disable_web_page_preview=True,
            reply_parameters=(
                ReplyParameters(reply_to, allow_sending_without_reply=True)
                if reply_to is not None and index == 0
                else None
            ),
        )
    assert message is not None
    return message


async def reply(update: Update, context: BotContext, screen: Screen) -> Message:
    chat = update.effective_chat
    assert chat is not None
    return await send(context.bot, chat.id, screen)


async def edit(query: CallbackQuery, context: BotContext, screen: Screen) -> None:
    """Show a screen in place of the message whose button was pressed.

    Falls back to a new message when the old one cannot be edited (too old, a document,
    or the new text needs more than one message).
    """
    message = query.message
    fits = visible_len(screen.text) <= MAX_MESSAGE_UTF16 and screen.document is None
    if isinstance(message, Message) and message.text is not None and fits:
        try:
            await query.edit_message_text(
                screen.text,
                parse_mode=ParseMode.HTML,
                reply_markup=screen.markup(),
                disable_web_page_preview=True,
            )
            return
        except BadRequest as err:
            if "not modified" in err.message.lower():
                return  # pressed the same button twice: the screen is already right
            log.info("edit failed (%s), sending a new message", err.message)
    chat_id = message.chat.id if message is not None else query.from_user.id
    await send(context.bot, chat_id, screen)


async def show(update: Update, context: BotContext, screen: Screen) -> None:
    """Edit in place after a button press, reply after a typed message."""
    if update.callback_query is not None:
        await edit(update.callback_query, context, screen)
    else:
        await reply(update, context, screen)
