"""`kobot`: run the bot, the demo, imports and the operators' commands.

Every failure prints one line starting with `kobot:` to stderr and exits non-zero.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import aiosqlite
from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot import operators
from bot.clock import SystemClock
from bot.config import Config, ConfigError, load_config
from bot.importing.apply import ImportSummary, apply_import
from bot.importing.validate import CustomerIn, ImportErrors, load_json, parse_document
from bot.linking import DEFAULT_VALID_DAYS, UnknownCustomer, issue_code
from bot.reminders import ReminderPolicy, on_import
from bot.storage.db import Database

EXIT_ERROR = 1
EXIT_USAGE = 2


class CliError(Exception):
    """A failure the operator can fix; printed as one line."""


def setup_logging(verbose: bool = False) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs full URLs, and ours contain the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("telegram.ext.Application").setLevel(logging.WARNING)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kobot", description="Kooperationsplan-Bot: Telegram bot for Jobcenter customers."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("run", help="run the bot (long polling); needs KOBOT_TOKEN")
    demo = sub.add_parser("demo", help="chat with the real bot in the terminal, offline")
    demo.add_argument("--lang", help="Telegram language of the demo user (default: de)")
    imp = sub.add_parser("import", help="import customers, plans and appointments (JSON)")
    imp.add_argument("file", type=Path, help="exchange-format JSON file")
    link = sub.add_parser("link-code", help="create a one-time link code for a customer")
    link.add_argument("customer_number")
    link.add_argument("--json", action="store_true", help="print one JSON object")
    link.add_argument(
        "--valid-days", type=int, default=DEFAULT_VALID_DAYS, help="days until it expires"
    )
    rem = sub.add_parser("reminders", help="reminders and notices: counts, due or failed")
    which = rem.add_mutually_exclusive_group()
    which.add_argument("--due", action="store_true", help="pending rows in the order they go out")
    which.add_argument("--failed", action="store_true", help="rows that could not be sent")
    rem.add_argument("--json", action="store_true")
    flags = sub.add_parser("flags", help="open early reports and conciliation requests")
    flags.add_argument("--all", action="store_true", help="closed ones too")
    flags.add_argument("--json", action="store_true")
    appts = sub.add_parser("appointments", help="one customer's appointments and reminders")
    appts.add_argument("customer_number")
    appts.add_argument("--json", action="store_true")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        config = load_config(os.environ)
        if args.command == "run":
            return run_bot(config)
        if args.command == "demo":
            from bot.demo import main_demo

            return main_demo(config, args.lang)
        if args.command == "import":
            return asyncio.run(import_file(config, args.file))
        if args.command == "link-code":
            return asyncio.run(link_code(config, args.customer_number, args.json, args.valid_days))
        if args.command == "reminders":
            return asyncio.run(reminders(config, args.due, args.failed, args.json))
        if args.command == "flags":
            return asyncio.run(list_flags(config, args.all, args.json))
        if args.command == "appointments":
            return asyncio.run(appointments(config, args.customer_number, args.json))
    except (ConfigError, CliError) as err:
        print(f"kobot: {err}", file=sys.stderr)
        return EXIT_USAGE if isinstance(err, ConfigError) else EXIT_ERROR
    return EXIT_USAGE


def run_bot(config: Config) -> int:
    from bot.app import ALLOWED_UPDATES, build_application

    asyncio.run(_check_token(config))
    setup_logging()
    app = build_application(config)
    # Later network trouble is retried by python-telegram-bot; only the start is checked.
    app.run_polling(allowed_updates=ALLOWED_UPDATES)
    return 0


async def _check_token(config: Config) -> None:
    """One clear line instead of a traceback when the token or the API URL is wrong."""
    try:
        async with Bot(config.require_token(), base_url=config.api_url) as bot:
            await bot.get_me()
    except InvalidToken:
        raise CliError("Telegram rejected KOBOT_TOKEN: check it with @BotFather") from None
    except NetworkError as err:
        raise CliError(f"cannot reach the Bot API at KOBOT_API_URL ({err.message})") from None


async def _open_db(config: Config) -> Database:
    try:
        return await Database.open(config.db_path)
    except Exception as err:  # sqlite3 and OS errors alike: one line for the operator
        raise CliError(f"cannot open database {config.db_path}: {err}") from None


def _read_import(path: Path) -> list[CustomerIn]:
    """Read, parse and validate; the raw bytes and JSON tree are freed on return."""
    return parse_document(load_json(path.read_bytes()))


async def import_file(config: Config, path: Path) -> int:
    try:
        customers = await asyncio.to_thread(_read_import, path)
    except OSError as err:
        raise CliError(f"cannot read {path}: {err.strerror}") from None
    except ImportErrors as errors:
        print(f"kobot: {path} was not imported; nothing was changed:", file=sys.stderr)
        print(str(errors), file=sys.stderr)
        return EXIT_ERROR
    db = await _open_db(config)
    clock = SystemClock()
    policy = ReminderPolicy.from_config(config)
    notices = 0

    async def follow_up(conn: aiosqlite.Connection, summary: ImportSummary) -> None:
        nonlocal notices
        notices = await on_import(conn, policy, clock.now(), summary)

    try:
        summary = await apply_import(db, clock, customers, follow_up)
    finally:
        await db.close()
    if not summary.changed_anything:
        print(f"Nothing changed: all {summary.customers_unchanged} customers are up to date.")
        return 0
    print(
        f"customers: {summary.customers_created} created, {summary.customers_updated} updated, "
        f"{summary.customers_unchanged} unchanged"
    )
    print(
        f"appointments: {summary.appointments_created} created, "
        f"{summary.appointments_updated} updated, {summary.appointments_cancelled} cancelled"
    )
    if notices:
        print(f"change notices queued for {notices} linked customers")
    return 0


async def _bot_username(config: Config) -> str | None:
    if config.bot_username:
        return config.bot_username
    if not config.token:
        return None
    try:
        async with Bot(config.token, base_url=config.api_url) as bot:
            return bot.username
    except TelegramError as err:
        print(f"kobot: could not ask Telegram for the bot's name ({err})", file=sys.stderr)
        return None


async def link_code(config: Config, number: str, as_json: bool, valid_days: int) -> int:
    if not 1 <= valid_days <= 365:
        raise CliError("--valid-days must be between 1 and 365")
    username = await _bot_username(config)
    db = await _open_db(config)
    try:
        issued = await issue_code(db, SystemClock(), number, valid_days)
    except UnknownCustomer:
        raise CliError(f"no customer with number {number.strip().upper()}") from None
    finally:
        await db.close()
    link = issued.deep_link(username)
    expires = issued.expires_at.astimezone(config.timezone)
    if as_json:
        print(
            json.dumps(
                {
                    "customer_number": issued.customer_number,
                    "code": issued.code,
                    "deep_link": link,
                    "expires_at": issued.expires_at.isoformat(),
                }
            )
        )
        return 0
    print(f"Link code for {issued.customer_number}: {issued.code}")
    if link:
        print(f"Deep link: {link}")
    else:
        print("Deep link: unknown (set KOBOT_BOT_USERNAME or KOBOT_TOKEN)")
    print(f"Valid until: {expires:%Y-%m-%d %H:%M} ({config.timezone.key}); works once.")
    print("It replaces any earlier code of this customer.")
    return 0


async def reminders(config: Config, due: bool, failed: bool, as_json: bool) -> int:
    db = await _open_db(config)
    try:
        print(
            await operators.reminders_report(
                db, config.timezone, due=due, failed=failed, as_json=as_json
            )
        )
    finally:
        await db.close()
    return 0


async def appointments(config: Config, number: str, as_json: bool) -> int:
    db = await _open_db(config)
    try:
        number = number.strip().upper()
        report = await operators.appointments_report(db, config.timezone, number, as_json=as_json)
    finally:
        await db.close()
    if report is None:
        raise CliError(f"no customer with number {number}")
    print(report)
    return 0


async def list_flags(config: Config, include_closed: bool, as_json: bool) -> int:
    db = await _open_db(config)
    try:
        report = await operators.flags_report(
            db,
            config.timezone,
            SystemClock().now(),
            include_closed=include_closed,
            as_json=as_json,
        )
    finally:
        await db.close()
    print(report)
    return 0
