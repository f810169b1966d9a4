"""`kobot demo`: the real bot against the local emulator, chatted with in the terminal.

A temporary database gets a demo customer through the real importer; the person at the
terminal is that customer on Telegram and is linked with a real one-time code. What the
bot posts in the caseworkers' group is shown too. Without a TTY, inputs are read line by
line from stdin and the transcript is printed, so scripts and tests can drive it.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import threading
from dataclasses import replace
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any, TextIO

from bot.app import build_application, start_app, stop_app
from bot.clock import SystemClock, to_db
from bot.config import Config
from bot.context import SERVICES_KEY, App
from bot.emulator import EmuChat, Emulator, EmuMessage, EmuUser
from bot.emulator.html_check import strip_tags
from bot.importing.apply import apply_import
from bot.importing.validate import parse_document
from bot.linking import issue_code
from bot.services import Services
from bot.storage.db import Database
from bot.storage.outbox import bring_forward_next_reminder

DEMO_NUMBER = "123A123456"
HELP = """Type a message or a command (/plan, /appointments, /flag, /menu, /help ...),
or the number of a button to press it. Ctrl-D or Ctrl-C ends the demo.
  :next        pretend time passed: the next reminder arrives now
  :team N      as caseworker Erika, press button N of the latest group post
  :team TEXT   as Erika, answer the latest group post (the customer receives it)
  :team /open  as Erika, list the open reports in the group"""


def demo_document(config: Config, now: datetime) -> dict[str, Any]:
    """The brochure's example customer, with appointments a few days from now."""
    today = now.astimezone(config.timezone).date()

    def at(days: int, hour: int, minute: int = 0) -> str:
        day = today + timedelta(days=days)
        while day.weekday() >= 5:  # Jobcenters meet on working days
            day += timedelta(days=1)
        return datetime.combine(day, time(hour, minute), config.timezone).isoformat()

    return {
        "customers": [
            {
                "customer_number": DEMO_NUMBER,
                "name": "Max Mustermann",
                "locale": None,
                "contact": {"name": "Frau Mustermann", "phone": "0123/456-789"},
                "plan": {
                    "goal": "Arbeit als Fachkraft für Lagerlogistik",
                    "interim_goal": "Einen Kitaplatz für die Tochter finden",
                    "next_steps": [
                        {
                            "id": "S1",
                            "text": "Am Bewerbungstraining teilnehmen",
                            "due": (today + timedelta(days=20)).isoformat(),
                        },
                        {"id": "S2", "text": "Lebenslauf aktualisieren und mitbringen"},
                    ],
                    "jobcenter_support": ["Übernahme der Bewerbungskosten"],
                    "other_support": ["Migrationsberatung vor Ort"],
                    "other_notes": "Handlungsbedarf in der Bedarfsgemeinschaft klären",
                    "agreed_on": (today - timedelta(days=5)).isoformat(),
                    "review_on": (today + timedelta(days=85)).isoformat(),
                },
                "appointments": [
                    {
                        "id": "T-1001",
                        "starts_at": at(3, 9, 30),
                        "topic": "Beratungsgespräch",
                        "location": "Jobcenter, Raum 2.14",
                        "with": "Frau Mustermann",
                        "bring": "Lebenslauf",
                    },
                    {
                        "id": "T-1002",
                        "starts_at": at(12, 14),
                        "topic": "Bewerbungstraining",
                        "location": "Bildungszentrum, Hauptstraße 5",
                    },
                ],
            }
        ]
    }


class Transcript:
    """Prints what is new in the customer's chat and the caseworker group."""

    def __init__(self, emulator: Emulator, out: TextIO, tty: bool) -> None:
        self.emulator = emulator
        self.out = out
        self.tty = tty
        self._seen: dict[tuple[int, int], int] = {}

    def print_new(self, chat: EmuChat | EmuUser, label: str) -> EmuMessage | None:
        latest_with_buttons = None
        for message in self.emulator.bot_messages(chat):
            key = (message.chat_id, message.message_id)
            if self._seen.get(key) == message.edits:
                continue
            edited = key in self._seen
            self._seen[key] = message.edits
            self._print(message, label, edited)
        for message in self.emulator.bot_messages(chat):
            if message.buttons:
                latest_with_buttons = message
        return latest_with_buttons

    def _print(self, message: EmuMessage, label: str, edited: bool) -> None:
        bold = ("\033[1m", "\033[0m") if self.tty else ("", "")
        title = f"{label}{' (edited)' if edited else ''}"
        print(f"\n{bold[0]}── {title} {'─' * max(3, 40 - len(title))}{bold[1]}", file=self.out)
        if message.document is not None:
            print(f"[file: {message.document.filename}]", file=self.out)
        if message.text:
            print(strip_tags(message.html or message.text), file=self.out)
        for number, text in enumerate(message.button_texts, start=1):
            print(f"  [{number}] {text}", file=self.out)
        self.out.flush()


def _stdin_lines(loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[str | None]) -> None:
    """Read stdin in a daemon thread, so Ctrl-D/Ctrl-C never wait for a blocked read."""

    def reader() -> None:
        for line in sys.stdin:
            loop.call_soon_threadsafe(queue.put_nowait, line.rstrip("\n"))
        loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=reader, daemon=True, name="demo-stdin").start()


async def run_demo(config: Config, *, language: str | None = None, out: TextIO = sys.stdout) -> int:
    tty = sys.stdin.isatty() and out.isatty()
    emulator = Emulator(bot_username="kobot_demo_bot")
    base_url = await emulator.start()
    customer = emulator.add_user("Max", last_name="Mustermann", language_code=language or "de")
    caseworker = emulator.add_user("Erika", last_name="Beispiel", language_code="de")
    group = emulator.add_group("Jobcenter Team", [caseworker], admins=[caseworker])

    with tempfile.TemporaryDirectory(prefix="kobot-demo-") as tmp:
        config = replace(
            config,
            token=emulator.token,
            api_url=base_url,
            db_path=Path(tmp) / "demo.sqlite3",
            caseworker_chat_id=group.id,
            bot_username="kobot_demo_bot",
        )
        clock = SystemClock()
        db = await Database.open(config.db_path)
        try:
            await apply_import(db, clock, parse_document(demo_document(config, clock.now())))
            code = await issue_code(db, clock, DEMO_NUMBER)
        finally:
            await db.close()

        app = build_application(config, clock=clock, dispatch_interval=5)
        await start_app(app)
        transcript = Transcript(emulator, out, tty)
        print(f"Kooperationsplan-Bot demo.\n{HELP}", file=out)
        try:
            await _chat(app, emulator, transcript, customer, group, f"/start {code.code}", tty, out)
        finally:
            await stop_app(app)
            await emulator.stop()
    print("\nDemo ended.", file=out)
    return 0


async def _next_reminder(app: App) -> bool:
    """Pretend time passed: the next reminder is sent now."""
    services: Services = app.bot_data[SERVICES_KEY]
    async with services.db.write() as conn:
        found = await bring_forward_next_reminder(conn, to_db(services.clock.now()))
    if found:
        services.wake_outbox()
    return found


async def _chat(
    app: App,
    emulator: Emulator,
    transcript: Transcript,
    customer: EmuUser,
    group: EmuChat,
    first_input: str,
    tty: bool,
    out: TextIO,
) -> None:
    queue: asyncio.Queue[str | None] = asyncio.Queue()
    _stdin_lines(asyncio.get_running_loop(), queue)
    pending: str | None = first_input
    with_buttons: EmuMessage | None = None
    while True:
        if pending is None:
            if tty:
                print("\nyou> ", end="", file=out, flush=True)
            pending = await queue.get()
            if pending is None:
                return
        line, pending = pending.strip(), None
        if not line:
            continue
        if not tty:
            print(f"\nyou> {line}", file=out)
        if line == ":next":
            if not await _next_reminder(app):
                print("(no reminder is waiting)", file=out)
                continue
            await emulator.next_bot_message(customer, timeout=15)
        elif line.startswith(":team"):
            if not await _as_caseworker(emulator, group, line.removeprefix(":team").strip()):
                print(
                    "(use :team N to press button N of the latest post, or :team TEXT "
                    "to answer it)",
                    file=out,
                )
                continue
        elif line.isdigit() and with_buttons is not None:
            number = int(line)
            if not 1 <= number <= len(with_buttons.buttons):
                print(f"(no button {number}; choose 1-{len(with_buttons.buttons)})", file=out)
                continue
            await emulator.press(customer, with_buttons, number - 1)
        else:
            await emulator.send(customer, line)
        await emulator.settle(idle=0.5, timeout=15)
        found = transcript.print_new(customer, "Bot")
        with_buttons = found or with_buttons
        transcript.print_new(group, "Caseworker group")


async def _as_caseworker(emulator: Emulator, group: EmuChat, action: str) -> bool:
    """The demo person acts as caseworker Erika: press a post's button, or answer it."""
    staff = next(u for u in emulator.users.values() if u.id in group.admins)
    posts = [m for m in emulator.bot_messages(group) if m.buttons]
    if not action or not posts:
        return False
    if action.startswith("/"):
        await emulator.send(staff, action, chat=group)
    elif action.isdigit():
        if not 1 <= int(action) <= len(posts[-1].buttons):
            return False
        await emulator.press(staff, posts[-1], int(action) - 1)
    else:
        await emulator.send(staff, action, chat=group, reply_to=posts[-1])
    return True


def main_demo(config: Config, language: str | None) -> int:
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    try:
        return asyncio.run(run_demo(config, language=language))
    except KeyboardInterrupt:
        print("\nDemo ended.")
        return 0
