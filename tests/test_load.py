"""The load test's short form: clients against waitress, a full rebuild in the middle."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.load import PROBE, run

pytestmark = pytest.mark.slow  # starts processes or servers, or reads every real page


def test_no_request_fails_while_the_index_is_rebuilt(tmp_path: Path) -> None:
    report = run(
        clients=20, duration=300, articles=30, threads=4, around_rebuild=25, workdir=tmp_path
    )
    assert report.errors == 0, report.error_samples
    assert report.server_errors == []
    assert report.requests >= 50  # 25 before the rebuild, 25 after it is served
    # the rebuilt index (with one more article) was picked up without a restart
    assert report.new_index_visible_after >= 0
    assert 1 <= len(report.probe_totals) <= 2, f"{PROBE}: {report.probe_totals}"


def test_a_replica_serves_what_the_builder_publishes_mid_run(tmp_path: Path) -> None:
    report = run(
        clients=10,
        duration=300,
        articles=30,
        threads=4,
        around_rebuild=25,
        workdir=tmp_path,
        replica=True,
    )
    assert report.errors == 0, report.error_samples
    assert report.server_errors == []
    assert report.publish_seconds > 0 and report.new_index_visible_after >= 0
    assert report.generation_served == report.generation_built  # the replica switched
    assert 1 <= len(report.probe_totals) <= 2, f"{PROBE}: {report.probe_totals}"
