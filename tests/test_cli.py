"""`kobot` commands as an operator uses them: output, exit codes, nothing half-done."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from tests.conftest import document, sample_customer

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key in list(os.environ):
        if key.startswith("KOBOT_"):
            monkeypatch.delenv(key)
    db = tmp_path / "kobot.sqlite3"
    monkeypatch.setenv("KOBOT_DB", str(db))
    return db


def write(tmp_path: Path, doc: Any, name: str = "import.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_import_then_reimport(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, document())
    assert main(["import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "customers: 1 created, 0 updated, 0 unchanged" in out
    assert "appointments: 1 created, 0 updated, 0 cancelled" in out
    assert main(["import", str(path)]) == 0
    assert "Nothing changed" in capsys.readouterr().out


def test_malformed_import_is_rejected_whole(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, bad = sample_customer(), sample_customer("123B123456")
    bad["appointments"][0]["starts_at"] = "2026-12-02 09:30"
    path = write(tmp_path, document(good, bad))
    assert main(["import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "nothing was changed" in err
    assert "customers[1].appointments[0].starts_at: needs an ISO 8601 time with UTC offset" in err
    assert main(["import", str(write(tmp_path, document(), "ok.json"))]) == 0
    assert "1 created" in capsys.readouterr().out  # the good customer was not written before


def test_import_of_a_missing_file(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "/nonexistent/file.json"]) == 1
    assert capsys.readouterr().err.startswith("kobot: cannot read")


def test_link_code_text_and_json(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    main(["import", str(write(tmp_path, document()))])
    capsys.readouterr()
    assert main(["link-code", "123A123456"]) == 0
    out = capsys.readouterr().out
    assert "Link code for 123A123456:" in out and "Deep link: unknown" in out
    monkeypatch.setenv("KOBOT_BOT_USERNAME", "jc_bot")
    assert main(["link-code", "123a123456", "--json", "--valid-days", "3"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"customer_number", "code", "deep_link", "expires_at"}
    assert data["customer_number"] == "123A123456"
    assert data["deep_link"] == f"https://t.me/jc_bot?start={data['code']}"


def test_link_code_for_unknown_customer(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["link-code", "999X999999"]) == 1
    assert capsys.readouterr().err.strip() == "kobot: no customer with number 999X999999"


def test_run_without_token(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run"]) == 2
    assert capsys.readouterr().err.startswith("kobot: KOBOT_TOKEN is not set")


def test_bad_setting_stops_every_command(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KOBOT_TIMEZONE", "Nowhere/Land")
    assert main(["link-code", "123A123456"]) == 2
    assert (
        capsys.readouterr().err.strip() == "kobot: KOBOT_TIMEZONE: unknown time zone 'Nowhere/Land'"
    )


def test_demo_runs_offline_from_a_script() -> None:
    """`kobot demo` without a TTY: inputs from stdin, transcript on stdout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOBOT_")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo"],
        input="/plan\n2\n/contact\n",
        capture_output=True,
        text=True,
        timeout=90,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Ihr Konto ist verbunden" in out
    assert "Caseworker group" in out and "123A123456" in out
    assert "Arbeit als Fachkraft für Lagerlogistik" in out
    assert "Telefon: 0123/456-789" in out
    assert out.rstrip().endswith("Demo ended.")


def _link_everything(db_path: Path) -> None:
    """Link the sample customer to a Telegram account, as /start CODE would."""
    import asyncio
    from datetime import UTC, datetime

    from bot.clock import FakeClock
    from bot.config import Config
    from bot.linking import issue_code, redeem_code
    from bot.reminders import ReminderPolicy
    from bot.storage import users
    from bot.storage.db import Database

    async def go() -> None:
        db = await Database.open(db_path)
        clock = FakeClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
        async with db.write() as conn:
            await users.upsert_user(conn, 7, 7, "de", "2026-11-25T09:00:00.000000Z")
        code = await issue_code(db, clock, "123A123456")
        await redeem_code(db, clock, 7, code.code, ReminderPolicy.from_config(Config()))
        await db.close()

    asyncio.run(go())


def test_reminders_and_appointments_reports(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["import", str(write(tmp_path, document()))])
    _link_everything(env)
    capsys.readouterr()
    assert main(["reminders"]) == 0
    out = capsys.readouterr().out
    assert "appointment_reminder  pending" in out and "step_reminder" in out
    assert main(["reminders", "--due", "--json"]) == 0
    due = json.loads(capsys.readouterr().out)
    assert [r["offset"] for r in due if r["kind"] == "appointment_reminder"] == ["1d", "2h"]
    assert due[0]["customer_number"] == "123A123456"
    assert main(["reminders", "--failed"]) == 0
    assert capsys.readouterr().out.strip() == "(none)"
    assert main(["appointments", "123A123456"]) == 0
    out = capsys.readouterr().out
    assert "T-1001  2026-12-02 09:30  scheduled  Beratungsgespräch" in out
    assert "2026-12-01 09:30  pending" in out
    assert main(["appointments", "999X999999"]) == 1


async def test_run_checks_the_token_and_url_first(emulator: Any) -> None:
    from dataclasses import replace

    from bot.cli import CliError, _check_token
    from bot.config import Config

    good = replace(Config(), token=emulator.token, api_url=emulator.base_url)
    await _check_token(good)
    with pytest.raises(CliError, match="rejected KOBOT_TOKEN"):
        await _check_token(replace(good, token="999:wrong"))
    with pytest.raises(CliError, match="cannot reach the Bot API"):
        await _check_token(replace(good, api_url="http://127.0.0.1:9/bot"))
