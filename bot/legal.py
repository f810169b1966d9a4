"""Facts that depend on the law, in one place.

When the law changes, an operator follows it with a setting (`KOBOT_CONCILIATION`,
`KOBOT_CONCILIATION_WEEKS`) and a catalog update; no dialog needs to change. Dialogs ask
these values instead of hard-coding them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.config import Config


@dataclass(frozen=True)
class LegalFacts:
    # Schlichtungsverfahren (§ 15a SGB II): offered at all, and its maximum duration.
    conciliation_available: bool
    conciliation_weeks: int

    @classmethod
    def from_config(cls, config: Config) -> LegalFacts:
        return cls(config.conciliation_enabled, config.conciliation_weeks)

    def conciliation_ends(self, started: date) -> date:
        """The latest day a conciliation started on `started` may run to."""
        return started + timedelta(weeks=self.conciliation_weeks)
