"""Command-line subcommands, one module each (see engine.cli)."""
