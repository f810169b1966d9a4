"""The handler context: python-telegram-bot's CallbackContext plus our services and session."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.i18n import Translator
from bot.services import Services
from bot.sessions import Session

SERVICES_KEY = "services"


class BotContext(CallbackContext[ExtBot[int], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """`context.session` is loaded once per update, before any handler runs."""

    session: Session | None = None

    @property
    def services(self) -> Services:
        services = self.application.bot_data[SERVICES_KEY]
        assert isinstance(services, Services)
        return services

    @property
    def t(self) -> Translator:
        if self.session is None:
            return self.services.translator(self.services.config.default_locale)
        return self.session.t

    @property
    def customer_id(self) -> int | None:
        return self.session.customer_id if self.session else None


# ExtBot[int]: the AIORateLimiter's argument type. JobQueue[Any]: PTB types the builder's
# job queue with the default context even when the context type is ours.
App = Application[
    ExtBot[int], BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], JobQueue[Any]
]
