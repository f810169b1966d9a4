"""All SQL lives in this package: the database handle, migrations and query modules."""

from bot.storage.db import Database

__all__ = ["Database"]
