"""`python -m bot` is the `gapwatch` command."""

from bot.cli import main

raise SystemExit(main())
