"""The production shape: nginx in front of `filmsearch serve --workers 2`, rebuilt under load."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.load import PROBE, run
from webapp import nginx

pytestmark = pytest.mark.slow  # starts processes or servers, or reads every real page

needs_nginx = pytest.mark.skipif(
    nginx.binary() is None, reason="nginx is not installed (apt-get install nginx)"
)


def test_the_configuration_names_every_worker_and_keeps_files_under_its_prefix(
    tmp_path: Path,
) -> None:
    text = nginx.render("127.0.0.1:8080", ["127.0.0.1:8001", "127.0.0.1:8002"], tmp_path)
    assert "server 127.0.0.1:8001;" in text and "server 127.0.0.1:8002;" in text
    assert "listen 127.0.0.1:8080;" in text
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in text
    paths = [w.rstrip(";") for w in text.split() if w.startswith("/") and w != "/"]
    assert len(paths) >= 8 and all(p.startswith(str(tmp_path.resolve())) for p in paths)
    with pytest.raises(ValueError):
        nginx.render("127.0.0.1:8080", [], tmp_path)


@needs_nginx
def test_the_written_configuration_is_valid_nginx(tmp_path: Path) -> None:
    import subprocess

    nginx.write("127.0.0.1:8080", ["127.0.0.1:8001"], tmp_path)
    result = subprocess.run(
        [*nginx.command(tmp_path), "-t"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


@needs_nginx
def test_two_workers_behind_nginx_lose_no_request_while_the_index_is_rebuilt(
    tmp_path: Path,
) -> None:
    report = run(
        clients=20,
        duration=300,
        articles=30,
        threads=4,
        around_rebuild=25,
        workdir=tmp_path,
        workers=2,
        use_nginx=True,
    )
    assert report.errors == 0, report.error_samples
    assert report.server_errors == []
    assert report.requests >= 50  # 25 before the rebuild, 25 after it is served
    # the rebuilt index (with one more article) was picked up through nginx, no restart
    assert report.new_index_visible_after >= 0
    assert 1 <= len(report.probe_totals) <= 2, f"{PROBE}: {report.probe_totals}"
    assert report.generation_built.startswith("gen-")
    assert report.generation_served == report.generation_built
    # every request nginx passed on was logged once by a worker, naming its generation
    assert report.logged_requests >= report.requests
    assert len(report.logged_generations) == 2
    assert report.generation_built in report.logged_generations
    # links name nginx's address, which the workers learn from its forwarded headers
    assert report.forwarded_url.startswith("http://127.0.0.1:")
    assert report.forwarded_url.endswith("/search?q={searchTerms}")
