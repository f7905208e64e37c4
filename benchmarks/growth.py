"""How the figures grow from size to size, from the JSON `python -m benchmarks.run` saved.

python -m benchmarks.growth benchmarks/out/10000 benchmarks/out/100000 ...
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .report import growth


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.growth", description=__doc__)
    parser.add_argument("runs", nargs="+", type=Path, help="directories holding results.json")
    args = parser.parse_args(argv)
    results = {}
    for run in args.runs:
        result = json.loads((run / "results.json").read_text())
        results[int(result["size"])] = result
    print(growth(results))


if __name__ == "__main__":
    main()
