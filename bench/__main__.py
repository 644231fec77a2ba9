"""Run every benchmark module (or those named on the command line) and print one table."""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
import time
from pathlib import Path

import bench


def main(argv: list[str]) -> int:
    names = argv or sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_")
    )
    rows: list[dict[str, object]] = []
    for name in names:
        module = importlib.import_module(f"bench.{name.removeprefix('bench.')}")
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        result = module.run()
        for row in result:
            row.setdefault("bench", name)
            print("  " + "  ".join(f"{k}={v}" for k, v in row.items()), flush=True)
        print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)
        rows.extend(result)
    out = Path("var/bench/results.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rows, indent=2, default=str))
    print(f"results written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
