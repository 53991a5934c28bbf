"""Start Campaign Studio: `python main.py [--db DB]` opens the window; subcommands as the CLI."""

import os
import sys

from app.cli import main

if __name__ == "__main__":
    if os.environ.get("CAMPAIGN_STUDIO_TOUR"):  # the package test: open every screen (app/tour.py)
        from app.tour import main as tour

        sys.exit(tour(sys.argv[1:]))
    sys.exit(main())
