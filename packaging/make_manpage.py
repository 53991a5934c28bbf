"""Write campaign-studio(1) from the command line's own --help texts (the main parser and
every subcommand's), so the manual page never disagrees with the program.

    python packaging/make_manpage.py OUT.1 [--version 0.1.0] [--date 2026-12-05]
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FILES = r"""
.TP
.I ~/.local/share/campaign\-studio/campaign\-studio.db
The database (\fI$XDG_DATA_HOME/campaign\-studio/\fR when set): campaigns, contacts,
settings. Removing the package leaves it in place.
.TP
.I ~/.local/share/campaign\-studio/outbox/
Messages written as files while no mail server is set up.
"""

ENVIRONMENT = r"""
.TP
.B CAMPAIGN_STUDIO_DATA_DIR
Keep the database and the outbox in this folder instead.
.TP
.B CAMPAIGN_STUDIO_SMTP_PASSWORD
The SMTP password for headless workers (\fBrun\fR on a server without a keyring).
Otherwise the password is kept in the system keyring (Secret Service).
"""


def escape(text: str) -> str:
    """Plain text as troff: backslashes, hyphens, and lines starting with . or '."""
    lines = []
    for line in text.replace("\\", "\\e").replace("-", "\\-").splitlines():
        if line.startswith((".", "'")):
            line = "\\&" + line
        lines.append(line)
    return "\n".join(lines)


def help_block(text: str) -> str:
    """An argparse help text, kept as the program prints it (no filling, no hyphenation)."""
    return ".nf\n.nh\n" + escape(text.rstrip()) + "\n.hy\n.fi"


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def manpage(parser: argparse.ArgumentParser, version: str, when: str) -> str:
    commands = subcommands(parser)
    description = escape((parser.description or "").strip())
    out = [
        f'.TH CAMPAIGN\\-STUDIO 1 "{when}" "campaign\\-studio {version}" "User Commands"',
        ".SH NAME",
        "campaign\\-studio \\- design and run marketing campaigns offline",
        ".SH SYNOPSIS",
        ".B campaign\\-studio",
        "[\\fB\\-\\-db\\fR \\fIDB\\fR]",
        ".br",
        ".B campaign\\-studio",
        "[\\fB\\-\\-db\\fR \\fIDB\\fR] \\fICOMMAND\\fR [\\fIOPTIONS\\fR]",
        ".SH DESCRIPTION",
        description,
        ".PP",
        "Without a command the window opens on the database (by default the user's own, see",
        ".BR FILES ).",
        "With a command the program works on the command line and opens no window.",
        ".SH OPTIONS",
        help_block(parser.format_help()),
        ".SH COMMANDS",
    ]
    for name, command in commands.items():
        out += [f".SS {escape(name)}", help_block(command.format_help())]
    out += [".SH FILES", FILES.strip(), ".SH ENVIRONMENT", ENVIRONMENT.strip()]
    out += [
        ".SH EXIT STATUS",
        "0 on success; 1 when a checked campaign has problems; 2 for bad input (a message",
        "names what and where).",
    ]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("out")
    options.add_argument("--version", default="")
    options.add_argument("--date", default=date.today().isoformat())
    args = options.parse_args(argv)
    os.environ["COLUMNS"] = "80"  # argparse wraps to the terminal: the same page everywhere
    sys.path.insert(0, str(ROOT))
    from engine import __version__
    from engine.cli import build_parser

    text = manpage(build_parser(), args.version or __version__, args.date)
    Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
