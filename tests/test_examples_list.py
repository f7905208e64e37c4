"""`corpus/examples.txt`: public interview addresses for `filmsearch fetch --list`."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from indexer.ingest.discover import listed_urls
from indexer.read.sources import find_sources

CORPUS = Path(__file__).parent.parent / "corpus"
EXAMPLES = CORPUS / "examples.txt"


def test_every_listed_line_is_an_https_address() -> None:
    lines = EXAMPLES.read_text(encoding="utf-8").splitlines()
    urls = listed_urls(lines)
    assert len(urls) == sum(1 for line in lines if line.startswith("https://"))
    for url in urls:
        parts = urlsplit(url)
        assert parts.scheme == "https" and parts.hostname, url
        assert url == url.strip() and " " not in url, url
    assert len(urls) == len(set(urls))


def test_examples_come_from_many_outlets() -> None:
    urls = listed_urls(EXAMPLES.read_text(encoding="utf-8").splitlines())
    assert 45 <= len(urls) <= 60
    hosts = {urlsplit(url).hostname for url in urls}
    assert len(hosts) >= 45


def test_comments_and_blank_lines_are_left_out() -> None:
    lines = [
        "# English",
        "",
        "  https://example.org/a  ",
        "   # indented note",
        "https://b.example/",
    ]
    assert listed_urls(lines) == ["https://example.org/a", "https://b.example/"]


def test_the_list_is_not_an_article() -> None:
    found = [p.name for p in find_sources(CORPUS)]
    assert "examples.txt" not in found
    assert "ai-weiwei-never-sorry.txt" in found


def test_a_list_of_that_name_is_skipped_anywhere(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "Examples.txt").write_text("https://example.org/a\n", "utf-8")
    (tmp_path / "sub" / "interview.txt").write_text("Q: Why?\nA: Because.\n", "utf-8")
    assert [p.name for p in find_sources(tmp_path)] == ["interview.txt"]


def test_the_readme_counts_what_the_list_holds() -> None:
    lines = EXAMPLES.read_text(encoding="utf-8").splitlines()
    urls = listed_urls(lines)
    hosts = {urlsplit(url).hostname for url in urls}
    # a heading per language: "# English" above its addresses
    languages = [ln for i, ln in enumerate(lines) if i + 1 < len(lines) and ln.startswith("# ")]
    languages = [ln for ln in languages if lines[lines.index(ln) + 1].startswith("https://")]
    readme = (CORPUS.parent / "README.md").read_text(encoding="utf-8").replace("\n", " ")
    said = f"lists {len(urls)} public interview pages from {len(hosts)} outlets in"
    assert f"{said} {len(languages)} languages" in readme
