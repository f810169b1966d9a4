"""`kobot import`: validate an exchange-format document whole, then apply it in one go."""
