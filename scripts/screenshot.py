"""Screenshot the story page of the bundled sample corpus for the README.

    .venv/bin/python scripts/screenshot.py [-o docs/story-page.png]

Ingests examples/corpus into a temporary SQLite store, starts `counterpoint serve`
on a free local port, opens the largest story in Debian's Chromium (Playwright)
and saves the top of the page. Needs scripts/ensure_chromium.sh to have run.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=REPO / "docs" / "story-page.png")
    parser.add_argument("--height", type=int, default=1400, help="pixels of the page kept")
    args = parser.parse_args()
    cli = [sys.executable, "-m", "counterpoint"]
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "sample.db")
        subprocess.run([*cli, "ingest", str(REPO / "examples" / "corpus"), "--db", db],
                       check=True)
        stories = json.loads(subprocess.run([*cli, "stories", "--json", "--db", db],
                                            check=True, capture_output=True).stdout)
        story = stories["stories"][0]["id"]
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = subprocess.Popen([*cli, "serve", "--db", db, "--port", str(port)],
                                  env={k: v for k, v in os.environ.items()
                                       if not k.startswith("COUNTERPOINT_API")})
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(120):
                try:
                    httpx.get(f"{url}/api/health", timeout=2)
                    break
                except httpx.HTTPError:
                    time.sleep(0.5)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                     args=ARGS)
                page = browser.new_page(viewport={"width": 1366, "height": args.height})
                page.set_default_timeout(120_000)
                page.goto(f"{url}/stories/{story}")
                page.locator("#disagree-h").wait_for()
                args.output.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(args.output))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"wrote {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
