"""The benchmark runs end to end on a tiny corpus (no timing assertions: CI machines vary)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from benchmarks.growth import main as growth_main
from benchmarks.queries import CLASSES, query_mix
from benchmarks.run import main

pytestmark = pytest.mark.slow  # starts processes or servers, or reads every real page


def test_benchmark_short_form(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tantivy", reason="the bench extra (tantivy) is not installed")
    out = tmp_path / "out"
    results = main(["--passages", "150", "--rounds", "1", "--seconds", "0.5", "--out", str(out)])
    result = results[150]
    printed = capsys.readouterr().out
    for cls in (*CLASSES, "all queries"):
        assert f"| {cls} |" in printed
        assert result["rows"][cls]["ours"]["p50"] > 0
    assert "ours/FTS5" in printed and "passages/s" in printed and "RSS" in printed
    assert result["update"]["parsed"] == result["update"]["changed"] >= 1
    assert result["http"]["uncached"]["errors"] == 0
    assert result["http"]["uncached"]["rss_mb"] > 0
    two = result["http"]["uncached, 2 workers"]
    assert two["workers"] == 2 and two["errors"] == 0 and two["requests"] > 0
    assert "2 workers / 1 worker" in printed
    assert (out / "150" / "results.json").exists()
    # all three engines find the same passages (ours caps a prefix's expansions)
    assert {d[0] for d in result["disagreements"]} <= {"prefix"}
    # every class of the mix is represented
    assert {s.cls for s in query_mix()} == set(CLASSES)
    # the growth table reads the saved figures back
    growth_main([str(out / "150")])
    table = capsys.readouterr().out
    assert "| | 150 |" in table and "| full rebuild (passages/s) |" in table
    assert f"{result['passages']:,} ({result['articles']:,})" in table


def test_worker_start_up_benchmark(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks.corpus_gen import write_corpus
    from benchmarks.startup import main as startup_main
    from indexer.indexing.generation import build_index

    write_corpus(tmp_path / "corpus", 20)
    build_index(tmp_path / "corpus", tmp_path / "index", jobs=1)
    found = startup_main([str(tmp_path / "index"), "--repeat", "2"])
    printed = capsys.readouterr().out
    assert printed.count("\nrun ") + printed.startswith("run ") == 2
    assert "median of 2: startup_s " in printed
    assert found["startup_s"] > 0 and found["pass_s"] > 0
    assert 0 < found["startup_rss_mb"] <= found["peak_rss_mb"]


def test_tiled_start_up_benchmark(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks.corpus_gen import write_corpus
    from benchmarks.tiled import main as tiled_main
    from indexer.indexing.alike import load_nearest
    from indexer.indexing.arrays import ARRAYS, load_arrays
    from indexer.indexing.generation import build_index
    from indexer.schema import current_generation

    write_corpus(tmp_path / "corpus", 20)
    build_index(tmp_path / "corpus", tmp_path / "index", jobs=1)
    generation = current_generation(tmp_path / "index")
    assert generation is not None
    out = tmp_path / "tiled"
    tiled_main(["make", str(generation), str(out), "--times", "3", "--pairs", "40"])
    assert re.search(r"^[\d,]+ documents, 40 alike pairs, ", capsys.readouterr().out, re.M)
    size = json.loads((out / ARRAYS / "arrays.json").read_text())["size"]
    arrays, near = load_arrays(out, size), load_nearest(out / ARRAYS, size)
    assert arrays is not None and near is not None and len(near.targets) > 0
    one = load_arrays(generation, size // 3)
    assert one is not None and int(arrays.live.sum()) == 3 * int(one.live.sum())
    tiled_main(["time", str(out), "--repeat", "1"])
    assert "median of 1: columns_s " in capsys.readouterr().out
