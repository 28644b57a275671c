"""`basewatch serve`: the same dashboard in a web browser, through textual-serve.

Each browser tab runs its own ``basewatch`` process; it binds to localhost unless told otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys

from tui.commands.args import UsageError, add_common_options

INSTALL_HINT = "pip install 'basewatch[serve]'   (or: pip install textual-serve)"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="serve the dashboard to a web browser (textual-serve)",
        description=(
            "Serve the dashboard at http://HOST:PORT/; every browser tab gets its own session. "
            "It listens on 127.0.0.1 (this machine only) unless --host says otherwise. There is no "
            "login: to reach it from elsewhere, prefer an SSH tunnel "
            "(ssh -L 8000:127.0.0.1:8000 yourserver) to --host 0.0.0.0."
        ),
    )
    add_common_options(p)
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    p.add_argument("--public-url", metavar="URL",
                   help="the URL browsers use to reach this server, when it differs from "
                        "http://HOST:PORT (a proxy, or --host 0.0.0.0)")
    p.add_argument("--theme", metavar="NAME", help="theme of the served dashboard")


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        import ipaddress  # imports in functions: every start of the dashboard builds the parser

        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_command(args: argparse.Namespace) -> str:
    """The shell command textual-serve runs for each browser session: this Python, our CLI, and
    the options that pick the config, source and theme."""
    argv = [sys.executable, "-m", "tui.cli"]
    if getattr(args, "config", None):
        argv += ["--config", os.path.abspath(args.config)]
    if getattr(args, "source", None):
        argv += ["--source", args.source]
    if getattr(args, "theme", None):
        argv += ["--theme", args.theme]
    import shlex
    import subprocess

    return shlex.join(argv) if os.name == "posix" else subprocess.list2cmdline(argv)


def _public_url(host: str, port: int) -> str:
    shown = host
    if host in ("0.0.0.0", "::", ""):
        import socket

        shown = socket.gethostname()
    elif ":" in host and not host.startswith("["):
        shown = f"[{host}]"
    return f"http://{shown}:{port}"


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.port <= 65535:
        raise UsageError(f"--port must be 1-65535, got {args.port}")
    try:
        from textual_serve.server import Server
    except ImportError:
        print(f"basewatch serve needs the optional textual-serve package: {INSTALL_HINT}",
              file=sys.stderr)
        return 1
    url = args.public_url or _public_url(args.host, args.port)
    if is_loopback(args.host):
        print(f"basewatch: serving the dashboard on {args.host}:{args.port} (this machine only)"
              f" - open {url}", flush=True)
    else:
        print(f"basewatch: serving the dashboard on {args.host}:{args.port} - open {url}",
              flush=True)
        print(f"warning: {args.host} is not a loopback address, so anyone who can reach this "
              "machine can use the dashboard (there is no login). Prefer the default 127.0.0.1 "
              "with an SSH tunnel: ssh -L 8000:127.0.0.1:8000 yourserver", file=sys.stderr,
              flush=True)
    server = Server(command=app_command(args), host=args.host, port=args.port,
                    title="Basewatch", public_url=url)
    try:
        server.serve()
    except OSError as exc:
        print(f"basewatch serve: cannot listen on {args.host}:{args.port}: {exc}",
              file=sys.stderr)
        return 1
    return 0
