"""Shared fixtures: a database, the emulator, and the real Application wired to it."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from telegram import Bot

from bot.app import build_application, start_app, stop_app
from bot.clock import Clock, FakeClock, SystemClock
from bot.config import Config
from bot.context import App
from bot.emulator import EmuChat, Emulator, EmuUser
from bot.i18n import Catalogs
from bot.importing.apply import apply_import
from bot.importing.validate import parse_document
from bot.linking import issue_code
from bot.services import Services
from bot.storage.db import Database

NUMBER = "123A123456"
# Short long-polls: stopping the bot waits for the poll in flight, after every test.
POLL_TIMEOUT = 0.2
_CATALOGS = Catalogs()


def sample_customer(number: str = NUMBER, **changes: Any) -> dict[str, Any]:
    customer: dict[str, Any] = {
        "customer_number": number,
        "name": "Max Mustermann",
        "locale": "de",
        "contact": {"name": "Frau Mustermann", "phone": "0123/456-789"},
        "plan": {
            "goal": "Arbeit als Fachkraft für Lagerlogistik",
            "interim_goal": "Einen Kitaplatz für die Tochter finden",
            "next_steps": [
                {"id": "S1", "text": "Am Bewerbungstraining teilnehmen", "due": "2026-12-15"}
            ],
            "jobcenter_support": ["Übernahme der Bewerbungskosten"],
            "other_support": ["Migrationsberatung vor Ort"],
            "other_notes": "Handlungsbedarf in der Bedarfsgemeinschaft klären",
            "agreed_on": "2026-11-20",
            "review_on": "2027-02-20",
        },
        "appointments": [
            {
                "id": "T-1001",
                "starts_at": "2026-12-02T09:30:00+01:00",
                "topic": "Beratungsgespräch",
                "location": "Jobcenter, Raum 2.14",
                "with": "Frau Mustermann",
                "bring": "Lebenslauf",
            }
        ],
    }
    customer.update(changes)
    return copy.deepcopy(customer)


def document(*customers: dict[str, Any]) -> dict[str, Any]:
    return {"customers": list(customers) or [sample_customer()]}


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    """The local Bot API on its own, for tests that drive a `Bot` directly."""
    emu = Emulator()
    await emu.start()
    yield emu
    await emu.stop()


@pytest.fixture
async def bot(emulator: Emulator) -> AsyncIterator[Bot]:
    async with Bot(emulator.token, base_url=emulator.base_url) as client:
        yield client


@pytest.fixture
def catalogs() -> Catalogs:
    return _CATALOGS


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "test.sqlite3")
    yield database
    await database.close()


@pytest.fixture
def services(db: Database, clock: FakeClock) -> Services:
    return Services(config=Config(db_path=db.path), db=db, catalogs=_CATALOGS, clock=clock)


async def import_doc(db: Database, clock: Clock, doc: dict[str, Any]) -> Any:
    return await apply_import(db, clock, parse_document(doc))


@dataclass
class Harness:
    """The running bot, its emulator, a customer user and the caseworker group."""

    emulator: Emulator
    app: App
    config: Config
    customer: EmuUser
    caseworker: EmuUser
    group: EmuChat
    clock: Clock
    restarted: list[App] = field(default_factory=list)

    @property
    def services(self) -> Services:
        services = self.app.bot_data["services"]
        assert isinstance(services, Services)
        return services

    async def restart(self) -> None:
        """Stop the bot as a deploy would and start a new process on the same database."""
        await stop_app(self.app)
        self.app = build_application(
            self.config, clock=self.clock, catalogs=_CATALOGS, retry_backoff=timedelta(seconds=0.3)
        )
        await start_app(self.app, poll_timeout=POLL_TIMEOUT)
        self.restarted.append(self.app)

    async def link_code(self, number: str = NUMBER) -> str:
        return (await issue_code(self.services.db, self.services.clock, number)).code

    async def say(self, text: str, user: EmuUser | None = None) -> Any:
        """Send as the customer and wait for the bot's next message in that chat."""
        who = user or self.customer
        before = self.emulator.bot_messages(who)
        await self.emulator.send(who, text)
        return await self.emulator.next_bot_message(
            who, after=before[-1].message_id if before else 0
        )


HarnessFactory = Callable[..., Any]


@pytest.fixture
async def harness_factory(tmp_path: Path) -> AsyncIterator[HarnessFactory]:
    started: list[Harness] = []

    async def start(
        *, doc: dict[str, Any] | None = None, clock: Clock | None = None, **config: Any
    ) -> Harness:
        emulator = Emulator()
        base_url = await emulator.start()
        customer = emulator.add_user("Max", last_name="Mustermann", language_code="de")
        caseworker = emulator.add_user("Erika", last_name="Beispiel", language_code="de")
        group = emulator.add_group("Jobcenter Team", [caseworker], admins=[caseworker])
        settings = replace(
            Config(),
            token=emulator.token,
            api_url=base_url,
            db_path=tmp_path / f"bot{len(started)}.sqlite3",
            caseworker_chat_id=group.id,
            bot_username="kobot_demo_bot",
        )
        settings = replace(settings, **config)
        the_clock = clock or SystemClock()
        database = await Database.open(settings.db_path)
        await import_doc(database, the_clock, doc or document())
        await database.close()
        app = build_application(
            settings, clock=the_clock, catalogs=_CATALOGS, retry_backoff=timedelta(seconds=0.3)
        )
        await start_app(app, poll_timeout=POLL_TIMEOUT)
        harness = Harness(emulator, app, settings, customer, caseworker, group, the_clock)
        started.append(harness)
        return harness

    yield start
    for harness in reversed(started):
        await stop_app(harness.app)
        await harness.emulator.stop()


@pytest.fixture
async def harness(harness_factory: HarnessFactory) -> Harness:
    result: Harness = await harness_factory()
    return result


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Question-matcher accuracy per language (when tests/test_intents.py ran)."""
    from tests.accuracy import RESULTS

    if RESULTS:
        terminalreporter.write_sep("-", "question matcher accuracy")
        for result in sorted(RESULTS.values(), key=lambda r: r.language):
            terminalreporter.write_line(result.line())
