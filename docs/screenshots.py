"""Screenshots for the README: index `corpus/`, serve it, and photograph its pages.

The bundled corpus is one interview, so the "same question" panel, which needs several,
is photographed on the development set (`tests/fixtures/devset`).

Run with `python docs/screenshots.py`; it writes PNGs to `docs/screenshots/`. It needs
the test extras (Playwright) and Debian's Chromium at /usr/bin/chromium.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from indexer.indexing.generation import build_index

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"

# (file name, path on the server, viewport width, what to wait for, what to click first)
SHOTS = [
    ("search.png", "/?q=censorship", 1280, "ol.hits li.hit", ""),
    ("filtered.png", "/?q=china&speaker=Alison+Klayman", 1280, "ul.chips", ""),
    ("article.png", "/a/ai-weiwei-never-sorry?q=twitter#q3", 1280, "#q3", "#q3 .cite summary"),
    ("phone.png", "/?q=china", 375, "ol.hits li.hit", ""),
    ("drawer.png", "/?q=china", 375, "ol.hits li.hit", "button.filters-toggle"),
    ("help.png", "/help/search", 1280, "h1", ""),
    ("home.png", "/", 1280, ".newest", ""),
    ("grouped.png", "/search?q=film", 1280, "ol.hits li.hit", "details.more-passages summary"),
    ("person.png", "/people/Alison Klayman", 1280, "h1", ""),
    ("citation.png", "/a/ai-weiwei-never-sorry#q2", 1280, "#q2", "#q2 .cite summary"),
]
DEVSET_SHOTS = [
    (
        "same-question.png",
        "/a/colon-outside-bold#q1",
        1280,
        "#q1 details.elsewhere",
        "#q1 details.elsewhere summary",
    ),
]


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(index: Path, port: int) -> subprocess.Popen[bytes]:
    """Start `filmsearch serve` and wait until it answers."""
    command = [sys.executable, "-m", "indexer.cli", "serve", "--port", str(port)]
    proc = subprocess.Popen([*command, "--index", str(index)], cwd=ROOT)
    for _ in range(200):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search", timeout=1):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise RuntimeError("the server did not start")


def main() -> None:
    """Take the screenshots of each corpus."""
    OUT.mkdir(parents=True, exist_ok=True)
    photograph(ROOT / "corpus", SHOTS)
    photograph(ROOT / "tests" / "fixtures" / "devset", DEVSET_SHOTS)


def photograph(corpus: Path, shots: list[tuple[str, str, int, str, str]]) -> None:
    """Build the corpus's index, start the server, take its screenshots."""
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "index"
        build_index(corpus, index, jobs=1)
        port = free_port()
        proc = serve(index, port)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                for name, path, width, ready, click in shots:
                    page = browser.new_page(viewport={"width": width, "height": 900})
                    page.goto(f"http://127.0.0.1:{port}{path}")
                    page.wait_for_selector(ready)
                    if click:
                        page.click(click)
                    page.screenshot(path=str(OUT / name))
                    page.close()
                    print(OUT / name)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
