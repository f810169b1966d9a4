"""`/explain`: the Kooperationsplan in short pages, with Next/Back/Topics/Menu.

Every button edits the message in place, so reading the whole walkthrough leaves one
message in the chat. Pages are reachable from the topic list and by deep link
(`/start explain_<page id>`), so letters and posters can point straight to one.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot import callbacks
from bot.context import App, BotContext
from bot.i18n import Translator
from bot.legal import LegalFacts
from bot.replies import reply, show
from bot.screen import Button, Screen, column
from dialogs.common import answer_query, menu_button, paragraphs
from dialogs.explain_pages import CONCILIATION_OFF, Page, connect_button, pages

DEEP_LINK_PREFIX = "explain"


def find_page(page_id: str, facts: LegalFacts) -> Page | None:
    current = pages(facts)
    for page in current:
        if page.id == page_id:
            return page
    if page_id.startswith("conciliation") and not facts.conciliation_available:
        return CONCILIATION_OFF
    return None


def page_callback(page_id: str) -> str:
    return callbacks.build("explain", "page", page_id)


def topics_button(t: Translator) -> Button:
    return Button(t.gettext("📚 Topics"), callbacks.build("explain", "topics"))


def render_page(page: Page, t: Translator, facts: LegalFacts, *, linked: bool) -> Screen:
    current = pages(facts)
    index = next(i for i, p in enumerate(current) if p.id == page.id)
    text = paragraphs(
        t,
        f"<b>{t.gettext(page.title)}</b>",
        *page.body(t, facts),
        "<i>"
        + t.gettext("Page {number} of {total}", number=index + 1, total=len(current))
        + "</i>",
    )
    actions = page.actions(t, facts)
    if actions and not linked:
        actions = (connect_button(t),)  # own data and reports need a connected account
    nav = []
    if index > 0:
        # TRANSLATORS: in right-to-left languages the arrow points right and comes first.
        nav.append(Button(t.gettext("◀️ Back"), page_callback(current[index - 1].id)))
    if index < len(current) - 1:
        # TRANSLATORS: in right-to-left languages the arrow points left and comes last.
        nav.append(Button(t.gettext("Next ▶️"), page_callback(current[index + 1].id)))
    if t.rtl:
        # Right-to-left readers go forward to the left: Back on the right, Next on the
        # left (translators turn the arrows the same way).
        nav.reverse()
    rows = (*column(*actions), *((tuple(nav),) if nav else ()))
    return Screen(text, (*rows, *column(topics_button(t), menu_button(t))))


def render_topics(
    t: Translator, facts: LegalFacts, note: str = "", extra: tuple[Button, ...] = ()
) -> Screen:
    text = paragraphs(
        t,
        note,
        t.gettext("📚 <b>Topics</b>"),
        t.gettext("What would you like to know? Choose a topic."),
    )
    buttons = [Button(t.gettext(p.title), page_callback(p.id)) for p in pages(facts)]
    return Screen(text, column(*buttons, *extra, menu_button(t)))


def render_first_page(t: Translator, facts: LegalFacts, *, linked: bool) -> Screen:
    return render_page(pages(facts)[0], t, facts, linked=linked)


def _facts(context: BotContext) -> LegalFacts:
    return LegalFacts.from_config(context.services.config)


async def show_walkthrough(update: Update, context: BotContext) -> None:
    await answer_query(update)
    linked = context.customer_id is not None
    await show(update, context, render_first_page(context.t, _facts(context), linked=linked))


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    await answer_query(update)
    parsed = callbacks.parse(query.data)
    facts, t = _facts(context), context.t
    linked = context.customer_id is not None
    page = find_page(parsed.args[0], facts) if parsed and parsed.args else None
    if parsed is not None and parsed.action == "start":
        screen = render_first_page(t, facts, linked=linked)
    elif parsed is not None and parsed.action == "page" and page is not None:
        screen = render_page(page, t, facts, linked=linked)
    else:  # the topic list, or a page that no longer exists
        screen = render_topics(t, facts)
    await show(update, context, screen)


def is_deep_link(payload: str) -> bool:
    return payload == DEEP_LINK_PREFIX or payload.startswith(DEEP_LINK_PREFIX + "_")


async def open_deep_link(update: Update, context: BotContext, payload: str) -> None:
    """`/start explain` opens the first page, `/start explain_<id>` that page."""
    facts, t = _facts(context), context.t
    linked = context.customer_id is not None
    page_id = payload.removeprefix(DEEP_LINK_PREFIX).removeprefix("_")
    if not page_id:
        await reply(update, context, render_first_page(t, facts, linked=linked))
        return
    page = find_page(page_id, facts)
    if page is None:
        await reply(update, context, render_topics(t, facts))
        return
    await reply(update, context, render_page(page, t, facts, linked=linked))


def register(app: App) -> None:
    app.add_handler(CommandHandler("explain", show_walkthrough, filters.ChatType.PRIVATE))
    app.add_handler(CallbackQueryHandler(on_button, pattern=callbacks.pattern("explain")))
