"""`basewatch serve`: answers HTTP on localhost, says where it listens, quotes the app command
safely, and explains how to install textual-serve when it is missing."""

from __future__ import annotations

import argparse
import os
import shlex
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tui.commands.serve import app_command, is_loopback


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_http_on_localhost(user_dirs):
    port = free_port()
    env = _env(user_dirs)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
    )
    try:
        deadline = time.monotonic() + 30
        body = status = ctype = None
        while time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate(timeout=5)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as resp:
                    status, ctype = resp.status, resp.headers.get("Content-Type", "")
                    body = resp.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.2)
        assert status == 200, "no HTTP answer within 30 s"
        assert ctype.startswith("text/html")
        assert "<html" in body.lower()
        assert f"ws://127.0.0.1:{port}/ws" in body  # the page talks back to the same server
    finally:
        proc.terminate()
        try:
            out, err = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate(timeout=15)
    first = out.splitlines()[0]
    assert f"127.0.0.1:{port}" in first and "this machine only" in first
    assert "warning" not in err


def _env(user_dirs) -> dict[str, str]:
    return {**os.environ, **{f"BASEWATCH_{k.upper()}_DIR": str(v) for k, v in user_dirs.items()}}


def test_a_browser_session_runs_the_dashboard(user_dirs):
    """The page's websocket starts the real app (offline, bundled data) and streams its screen."""
    aiohttp = pytest.importorskip("aiohttp")
    import asyncio

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "serve", "--port", str(port), "--source", "sample"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(user_dirs),
    )

    async def session() -> bytes:
        deadline = time.monotonic() + 40
        async with aiohttp.ClientSession() as http:
            while True:
                assert time.monotonic() < deadline and proc.poll() is None
                try:
                    async with http.get(f"http://127.0.0.1:{port}/") as resp:
                        assert resp.status == 200
                    break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.2)
            url = f"http://127.0.0.1:{port}/ws?width=100&height=30"
            screen = b""
            async with http.ws_connect(url) as ws:
                while b"IWM" not in screen and time.monotonic() < deadline:
                    try:
                        msg = await asyncio.wait_for(ws.receive(), 2)
                    except TimeoutError:
                        continue
                    if msg.type == aiohttp.WSMsgType.BINARY:
                        screen += msg.data
                    elif msg.type != aiohttp.WSMsgType.TEXT:
                        break
            return screen

    try:
        screen = asyncio.run(session())
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
    assert b"IWM" in screen  # the default watchlist, drawn by the dashboard in the browser session


def test_serve_binds_to_loopback_only_by_default():
    from tui.cli import build_parser

    args = build_parser().parse_args(["serve"])
    assert args.host == "127.0.0.1" and args.port == 8000


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True), ("127.0.0.2", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.5", False), ("example.com", False),
])
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_app_command_survives_the_shell(tmp_path):
    """textual-serve runs the command through a shell; odd paths must come through intact."""
    config = tmp_path / "it's a $HOME; dir" / "config.toml"
    args = argparse.Namespace(config=str(config), source="csv:/tmp/x y", theme="ansi16")
    command = app_command(args)
    expected = [sys.executable, "-m", "tui.cli", "--config", str(config), "--source",
                "csv:/tmp/x y", "--theme", "ansi16"]
    assert shlex.split(command) == expected
    python = shlex.quote(sys.executable)
    assert command.startswith(python)
    shell_line = "printf '%s\\n'" + command[len(python):]  # print each argument the shell sees
    echoed = subprocess.run(["sh", "-c", shell_line], capture_output=True, text=True, timeout=10)
    assert echoed.stdout.splitlines() == expected[1:]


def test_missing_textual_serve_gives_the_pip_command(monkeypatch, capsys):
    from tui.commands import serve

    monkeypatch.setitem(sys.modules, "textual_serve.server", None)  # import now fails
    args = argparse.Namespace(host="127.0.0.1", port=8000, public_url=None, config=None,
                              source=None, theme=None)
    assert serve.run(args) == 1
    err = capsys.readouterr().err
    assert "pip install 'basewatch[serve]'" in err and "textual-serve" in err


def test_bad_port_is_a_usage_error(capsys):
    from tui.cli import main

    assert main(["serve", "--port", "70000"]) == 2
    assert "--port" in capsys.readouterr().err
