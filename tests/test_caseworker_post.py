"""The caseworkers' post always fits one Telegram message, whatever the customer wrote."""

from dataclasses import replace
from datetime import UTC, datetime

from bot.emulator.html_check import parse_html
from bot.flags import Flag
from bot.services import Services
from bot.text import utf16_len
from dialogs.caseworkers import render_post
from tests.conftest import document, import_doc, sample_customer


async def test_post_fits_even_with_the_longest_fields(services: Services) -> None:
    customer = sample_customer(name="N" * 200, contact={"name": "K" * 200, "phone": "1" * 50})
    await import_doc(services.db, services.clock, document(customer))
    services.config = replace(services.config, group_name_style="full")
    flag = Flag(
        id=1,
        ref="M-ABCDE",
        customer_id=1,
        kind="report",
        subject="other",
        step_id=None,
        appointment_id=None,
        reason="other",
        message="🙂" * 1250,
        proposal="p" * 300,
        locale="ar",
        late=True,
        state="received",
        created_at=datetime(2026, 11, 25, 9, tzinfo=UTC),
        deadline_on=None,
        taken_by_name=None,
        taken_at=None,
        closed_at=None,
        group_chat_id=None,
        group_message_id=None,
    )
    # The limit in the dialog keeps words within 2,500 units; the post holds even more.
    for words in ("🙂" * 1250, "<b>&" * 600 + "\n\n" + "x" * 50, "🙂" * 1950):
        screen = await render_post(services, replace(flag, message=words))
        assert utf16_len(parse_html(screen.text)) <= 4096
        if utf16_len(words) > 3000:
            assert "[gekürzt: zu lang für Telegram]" in screen.text
