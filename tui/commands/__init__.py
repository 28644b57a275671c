"""Subcommands of `basewatch`. Each module has ``add_parser(subparsers)`` and ``run(args) -> int``.

Modules import heavy libraries (pandas, textual) inside ``run`` so `basewatch --help` stays instant.
"""
