"""What handlers and jobs share: configuration, database, catalogs, clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.clock import Clock
from bot.config import Config
from bot.i18n import Catalogs, Translator
from bot.storage.db import Database


@dataclass
class Services:
    config: Config
    db: Database
    catalogs: Catalogs
    clock: Clock
    # Set by the application: asks the outbox dispatcher to run now (new work queued).
    wake_outbox: Callable[[], None] = field(default=lambda: None)

    def translator(self, locale: str) -> Translator:
        return self.catalogs.translator(locale, self.config.timezone)

    def caseworker_translator(self) -> Translator:
        """Caseworkers read German (their own catalog, see bot/i18n.py)."""
        return self.catalogs.staff_translator(self.config.timezone)
