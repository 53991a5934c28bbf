"""Start Campaign Studio: `python main.py [--db DB]` opens the window; subcommands as the CLI."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
