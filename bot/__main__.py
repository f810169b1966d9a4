"""`python -m bot` is the same as the `kobot` console script."""

from bot.cli import main

raise SystemExit(main())
