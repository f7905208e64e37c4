"""How `filmsearch import` scales with an archive's size: time and peak memory.

    python -m benchmarks.archive_import --records 1000 10000

Writes a .warc.gz of N records with warcio (HTML responses of distinct interview pages,
with a request record, a revisit and an image among every ten), imports it into a fresh
corpus, and prints records per second and the peak of Python memory (tracemalloc) while
importing. Memory held across records is one digest per page and one name per page
written; payloads are never held beyond their own record.
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
import tracemalloc
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from indexer.ingest.archives import Importer

PAGE = (
    "<html><head><title>Interview {n} | Test Review</title></head><body><article>"
    "<h1>Interview {n}</h1><p><strong>Q:</strong> What came first, number {n}?</p>"
    "<p><strong>A:</strong> {words}</p></article></body></html>"
)


def write_archive(path: Path, records: int) -> None:
    """A gzipped WARC of `records` records, about 8 in 10 of them HTML pages."""
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        original = None
        for n in range(records):
            url = f"https://films.example.org/interviews/{n}"
            kind = n % 10
            if kind == 8 and original is not None:
                record = writer.create_revisit_record(
                    url,
                    original.rec_headers.get_header("WARC-Payload-Digest"),
                    original.rec_headers.get_header("WARC-Target-URI"),
                    original.rec_headers.get_header("WARC-Date"),
                )
            elif kind == 9:
                request = StatusAndHeaders(f"GET /interviews/{n} HTTP/1.1", [])
                record = writer.create_warc_record(url, "request", http_headers=request)
            else:
                html = kind != 7
                body = (
                    PAGE.format(n=n, words=" ".join(f"word{n}x{i}" for i in range(300))).encode()
                    if html
                    else b"\x89PNG" + bytes(2000)
                )
                ctype = "text/html; charset=utf-8" if html else "image/png"
                headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], "HTTP/1.1")
                record = writer.create_warc_record(
                    url,
                    "response",
                    payload=io.BytesIO(body),
                    length=len(body),
                    http_headers=headers,
                )
                original = record if html else original
            writer.write_record(record)


def measure(records: int) -> tuple[float, float, int]:
    """(records per second, peak MiB, pages saved) importing an archive of `records`."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "sample.warc.gz"
        write_archive(archive, records)
        importer = Importer(Path(tmp) / "corpus")
        tracemalloc.start()
        start = time.perf_counter()
        importer.run(archive)
        importer.finish()
        seconds = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return records / seconds, peak / 2**20, importer.counts["saved"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    print(f"{'records':>8} {'saved':>7} {'records/s':>10} {'peak MiB':>9}")
    for records in args.records:
        rate, peak, saved = measure(records)
        print(f"{records:>8,} {saved:>7,} {rate:>10,.0f} {peak:>9.1f}")


if __name__ == "__main__":
    main()
