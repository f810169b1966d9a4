"""Outbox kinds: how each queued row becomes a message when it is sent."""

from __future__ import annotations

from bot.outbox import Kind, Outgoing, Skip
from bot.people import group_name
from bot.screen import Screen
from bot.services import Services
from bot.storage import customers
from bot.storage.outbox import OutboxItem


async def render_link_notice(services: Services, item: OutboxItem) -> Outgoing | Skip:
    chat = services.config.caseworker_chat_id
    if chat is None or item.customer_id is None:
        return Skip("no caseworker chat")
    row = await customers.customer_row(services.db, item.customer_id)
    if row is None:
        return Skip("customer gone")
    t = services.caseworker_translator()
    name = group_name(row["name"], services.config.group_name_style)
    who = (
        t.gettext("{number} ({name})", number=row["customer_number"], name=name)
        if name
        else t.data(row["customer_number"])
    )
    lines = [
        t.gettext(
            "🔗 <b>Account connected</b>: customer {who} connected a Telegram account.", who=who
        )
    ]
    if item.payload.get("moved"):
        lines.append(t.gettext("This replaces the account connected before."))
    lines.append(t.gettext("If nobody expected this, please check with the customer."))
    return Outgoing(chat, Screen("\n".join(lines)))


def outbox_kinds() -> dict[str, Kind]:
    return {"link_notice": Kind(render_link_notice)}
