"""A local Bot API emulator: the demo's and the tests' Telegram."""

from bot.emulator.server import (
    CallbackRecord,
    EmuChat,
    Emulator,
    EmuMessage,
    EmuUser,
    Fault,
)

__all__ = ["CallbackRecord", "EmuChat", "EmuMessage", "EmuUser", "Emulator", "Fault"]
