"""``python -m datasets.generator``: write a generated dataset, or preview one family."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from datasets.generator import FORMATS, all_families, render_example, write_dataset


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m datasets.generator",
        description="Generate labelled CI job logs as JSON Lines.",
    )
    parser.add_argument("--n", type=int, default=20000, help="number of records")
    parser.add_argument("--seed", type=int, default=13, help="random seed")
    parser.add_argument("--out", default="var/data/generated.jsonl", help="output file")
    parser.add_argument("--list", action="store_true", help="list registered families and exit")
    parser.add_argument("--preview", metavar="FAMILY_ID", help="print one rendering and exit")
    parser.add_argument("--format", default="github_actions", choices=FORMATS)
    parser.add_argument("--kind", default="full", choices=("full", "excerpt"))
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("--n must be >= 0")
    if args.list:
        for family in all_families():
            print(f"{family.id}\t{','.join(family.ecosystems)}")
        return 0
    if args.preview:
        try:
            text = render_example(args.preview, args.seed, args.format, kind=args.kind)
        except KeyError as exc:
            print(f"error: {exc.args[0]}", file=sys.stderr)
            return 2
        print(text)
        return 0
    started = time.perf_counter()
    count = write_dataset(args.out, args.n, args.seed)
    took = time.perf_counter() - started
    print(f"wrote {count} records to {args.out} in {took:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
