"""Percentiles and the printed table."""

from __future__ import annotations

from typing import Any

import numpy as np

from .queries import CLASSES

ENGINES = ("ours", "flask", "html", "fts5", "tantivy")


def ms(samples: list[float], q: float) -> float:
    """The q-th percentile of `samples` (seconds), in milliseconds."""
    return float(np.percentile(np.array(samples) * 1000, q)) if samples else float("nan")


def summarise(samples: dict[str, dict[str, list[float]]]) -> dict[str, Any]:
    """p50/p95/p99 per engine and class, plus 'all queries' pooled, and the ratios."""
    rows: dict[str, Any] = {}
    for cls in [*CLASSES, "all queries"]:
        row: dict[str, Any] = {}
        for engine in ENGINES:
            data = samples.get(engine, {})
            values = (
                [v for c in CLASSES for v in data.get(c, [])]
                if cls == "all queries"
                else data.get(cls, [])
            )
            row[engine] = {f"p{q}": ms(values, q) for q in (50, 95, 99)}
        for other in ("fts5", "tantivy"):
            for q in ("p50", "p95"):
                theirs = row[other][q]
                row[f"ours/{other} {q}"] = row["ours"][q] / theirs if theirs else float("nan")
        for route in ("flask", "html"):  # what the web layer adds to the service
            for q in ("p50", "p95"):
                ours = row["ours"][q]
                row[f"{route}/ours {q}"] = row[route][q] / ours if ours else float("nan")
        rows[cls] = row
    return rows


def table(rows: dict[str, Any]) -> str:
    """The latency table with ratios, as fixed-width text (Markdown-compatible)."""
    head = (
        "| class | ours p50 | p95 | p99 | Flask p50 | p95 | HTML p50 | p95 | FTS5 p50 | p95 | p99 "
        "| Tantivy p50 | p95 | p99 | ours/FTS5 p50 | p95 | ours/Tantivy p50 | p95 "
        "| Flask/ours p95 | HTML/ours p95 |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for cls, row in rows.items():
        cells = [cls]
        cells += [f"{row['ours'][q]:.1f}" for q in ("p50", "p95", "p99")]
        cells += [f"{row['flask'][q]:.1f}" for q in ("p50", "p95")]
        cells += [f"{row['html'][q]:.1f}" for q in ("p50", "p95")]
        cells += [f"{row['fts5'][q]:.1f}" for q in ("p50", "p95", "p99")]
        cells += [f"{row['tantivy'][q]:.1f}" for q in ("p50", "p95", "p99")]
        cells += [f"{row[f'ours/fts5 {q}']:.2f}" for q in ("p50", "p95")]
        cells += [f"{row[f'ours/tantivy {q}']:.2f}" for q in ("p50", "p95")]
        cells += [f"{row[f'{route}/ours p95']:.2f}" for route in ("flask", "html")]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def summary(result: dict[str, Any]) -> str:
    """Build, update, memory, cache and HTTP figures, one per line."""
    b, u = result.get("build"), result.get("update")
    lines = [f"passages indexed: {result['passages']:,} from {result['articles']:,} articles"]
    if b:
        stages = ", ".join(f"{k} {v:.1f}" for k, v in b["timings"].items())
        lines.append(
            f"full rebuild (parse + index, {b['jobs']} processes): {b['seconds']:.1f} s "
            f"({stages}) = {b['per_second']:,.0f} passages/s; index {b['index_mb']:.1f} MB"
        )
    if u:
        stages = ", ".join(f"{k} {v:.1f}" for k, v in u["timings"].items())
        lines.append(
            f"--update after changing {u['changed']} files (1%): {u['seconds']:.1f} s "
            f"({stages}) = {u['percent']:.1f}% of the full rebuild; "
            f"{u['parsed']} parsed, {u['rewritten']} articles rewritten"
        )
    for name in ("fts5", "tantivy"):
        e = result["engines"][name]
        lines.append(
            f"{name} build from the same passages: {e['seconds']:.1f} s = "
            f"{e['per_second']:,.0f} passages/s; {e['mb']:.1f} MB"
        )
    lines.append(
        f"our service start-up (open index, load columns): {result['warm_seconds']:.2f} s; "
        f"first pass over the mix (cold postings): {result['cold_pass_seconds']:.2f} s; "
        f"together {result['warm_seconds'] + result['cold_pass_seconds']:.2f} s"
    )
    lines.append(
        f"searches where the engines' totals differ: {len(result['disagreements'])} "
        f"of the mix {result['disagreements'][:3]}"
    )
    c = result["cached"]
    lines.append(f"repeated query (result cache): p50 {c['p50']:.3f} ms, p95 {c['p95']:.3f} ms")
    for label, h in result.get("http", {}).items():
        lines.append(
            f"HTTP {label} (waitress {h.get('workers', 1)} x {h['threads']} threads, "
            f"{h['clients']} clients, "
            f"{h['seconds']:.0f} s): {h['per_second']:.1f} req/s, p50 {h['p50']:.1f} ms, "
            f"p95 {h['p95']:.1f} ms, errors {h['errors']}; serving process RSS "
            f"{h['rss_mb']:.0f} MB (peak {h['peak_rss_mb']:.0f} MB)"
        )
    http = result.get("http", {})
    one, two = http.get("uncached"), http.get("uncached, 2 workers")
    if one and two and one["per_second"]:
        ratio = two["per_second"] / one["per_second"]
        lines.append(f"HTTP uncached, 2 workers / 1 worker: {ratio:.2f}x the requests per second")
    return "\n".join(lines)


def growth(results: dict[int, dict[str, Any]]) -> str:
    """How each figure grows with the corpus: one column per size, as Markdown."""
    sizes = sorted(results)

    def row(label: str, value: Any) -> str:
        cells = []
        for size in sizes:
            try:
                cells.append(value(results[size]))
            except (KeyError, TypeError, ZeroDivisionError):
                cells.append("")
        return f"| {label} | " + " | ".join(cells) + " |"

    def every(r: dict[str, Any], engine: str, q: str) -> str:
        return f"{r['rows']['all queries'][engine][q]:.1f}"

    def slowest(r: dict[str, Any], engine: str) -> str:
        cls, found = max(
            ((c, v[engine]["p95"]) for c, v in r["rows"].items() if c != "all queries"),
            key=lambda cv: cv[1],
        )
        return f"{found:.1f} ({cls})"

    def http(r: dict[str, Any], label: str, key: str) -> float:
        return float(r["http"][label][key])

    def scaling(r: dict[str, Any]) -> float:
        return http(r, "uncached, 2 workers", "per_second") / http(r, "uncached", "per_second")

    lines = [
        "| | " + " | ".join(f"{s:,}" for s in sizes) + " |",
        "|---|" + "---|" * len(sizes),
        row("passages (articles)", lambda r: f"{r['passages']:,} ({r['articles']:,})"),
    ]
    for engine, name in (("ours", "ours"), ("flask", "JSON route"), ("html", "HTML page")):
        for q in ("p50", "p95"):
            lines.append(
                row(f"{name}, all searches {q} (ms)", lambda r, e=engine, q=q: every(r, e, q))
            )
    for engine, name in (("tantivy", "Tantivy"), ("fts5", "SQLite FTS5")):
        for q in ("p50", "p95"):
            lines.append(
                row(f"{name}, all searches {q} (ms)", lambda r, e=engine, q=q: every(r, e, q))
            )
    all_ = "all queries"
    lines += [
        row("ours/Tantivy p50", lambda r: f"{r['rows'][all_]['ours/tantivy p50']:.2f}"),
        row("ours/Tantivy p95", lambda r: f"{r['rows'][all_]['ours/tantivy p95']:.2f}"),
        row("JSON route/ours p95", lambda r: f"{r['rows'][all_]['flask/ours p95']:.2f}"),
        row("HTML page/ours p95", lambda r: f"{r['rows'][all_]['html/ours p95']:.2f}"),
        row("slowest class p95, JSON route (ms)", lambda r: slowest(r, "flask")),
        row("slowest class p95, HTML page (ms)", lambda r: slowest(r, "html")),
        row("start-up (s)", lambda r: f"{r['warm_seconds']:.2f}"),
        row("first pass, cold (s)", lambda r: f"{r['cold_pass_seconds']:.2f}"),
        row(
            "a new worker ready (s)", lambda r: f"{r['warm_seconds'] + r['cold_pass_seconds']:.2f}"
        ),
        row(
            "HTTP uncached, 1 worker (req/s)", lambda r: f"{http(r, 'uncached', 'per_second'):.0f}"
        ),
        row("worker RSS after load (MB)", lambda r: f"{http(r, 'uncached', 'rss_mb'):.0f}"),
        row("2 workers / 1 (req/s)", lambda r: f"{scaling(r):.2f}"),
        row("full rebuild (passages/s)", lambda r: f"{r['build']['per_second']:,.0f}"),
        row(
            "rebuild stages (s)",
            lambda r: ", ".join(f"{k} {v:.0f}" for k, v in r["build"]["timings"].items()),
        ),
        row("--update of 1% (% of rebuild)", lambda r: f"{r['update']['percent']:.1f}"),
        row("index on disk (MB)", lambda r: f"{r['build']['index_mb']:,.0f}"),
    ]
    return "\n".join(lines)
