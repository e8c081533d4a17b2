"""A built site served on 127.0.0.1 and a headless Chromium to read it, for the browser tests."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

CHROMIUM = os.environ.get("CSI_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"

# Debian's Chromium, headless, with nothing that reaches for the internet on its own.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def require_chromium() -> None:
    """Skip when no browser is installed, except in CI, where a missing browser is a failure."""
    if Path(CHROMIUM).exists():
        return
    message = f"Chromium not found at {CHROMIUM}: `bash scripts/test` installs it (Debian: chromium)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on a free loopback port until the generator is closed; yields the base URL."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
