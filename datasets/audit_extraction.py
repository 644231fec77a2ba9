"""How often the extractor's decisive line falls inside the failing step's own output.

For each generated record, the failure its family wrote is drawn again from the same seed path
the assembler uses (``autoheal:<seed>:<index>:family``), which gives the lines the failing tool
printed. The extractor then runs on the rendered log, and three things are measured:

- ``empty``: the decisive line is empty (the classifier sees almost nothing);
- ``decisive``: a decisive line is one of the failure's own output lines;
- ``runner``: as ``decisive``, but one of the runner's own errors for the failure (``The
  operation was canceled.``) also counts: it is all that some job-level failures print;
- ``evidence``: some evidence line is one of those lines (the step's or the runner's).

Families are ranked by ``runner``, the share a better extractor could reach for every family.

Run: ``python -m datasets.audit_extraction --n 3000 --seed 5``.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from datasets.generator import all_families, generate
from datasets.generator._assemble import make_failure
from datasets.generator._types import Failure, Family
from datasets.generator._wrappers import maybe_wrap
from datasets.records import LabelledLog
from model import extract_region
from model._logtext import clean_line

_ID = re.compile(r"^gen-(-?\d+)-(\d+)$")
# Prefixes a CI or a copy from a web page puts before a runner's error line.
_RUNNER_PREFIXES = (
    "##[error]",
    "Error: ",
    "ERROR: Job failed (system failure): ",
    "ERROR: Job failed: ",
    "ERROR: ",
)
_CUT_MARK = " …"  # the extractor cuts very long lines and marks the cut


def failure_of(record: LabelledLog, families: dict[str, Family]) -> Failure:
    """The failure the family wrote for ``record``, drawn again from the record's seed path."""
    match = _ID.match(record.id)
    if match is None or record.family is None or record.ecosystem is None:
        raise ValueError(f"record {record.id!r} was not made by the generator")
    seed, index = match.groups()
    family = families[record.family]
    rng = random.Random(f"autoheal:{seed}:{index}:family")
    failure = make_failure(family, rng, record.ecosystem)
    # A wrapper's verdict, when the record got one, is part of what the step printed.
    return maybe_wrap(failure, record.ecosystem, random.Random(f"autoheal:{seed}:{index}:wrap"))


def _key(text: str) -> str:
    return " ".join(clean_line(text).split())


def _strip_runner_prefix(text: str) -> str:
    for prefix in _RUNNER_PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


@dataclass(frozen=True)
class FailureOutput:
    own: frozenset[str]  # the step's own lines, whitespace-normalised
    runner: frozenset[str]  # the runner's errors for the failure

    @classmethod
    def of(cls, failure: Failure) -> FailureOutput:
        lines = "\n".join(failure.lines).split("\n") if failure.lines else []
        own = frozenset(k for k in map(_key, lines) if k)
        runner = frozenset(k for k in map(_key, failure.runner_errors) if k)
        return cls(own, runner)

    def contains(self, text: str, *, runner: bool = False) -> bool:
        key = _key(text)
        if not key:
            return False
        keys = {key, _key(_strip_runner_prefix(key))}
        if key.endswith(_CUT_MARK.strip()):
            stem = key[: -len(_CUT_MARK)].rstrip()
            if any(line.startswith(stem) for line in self.own):
                return True
        return bool(keys & self.own) or (runner and bool(keys & self.runner))


@dataclass
class Outcome:
    empty: bool
    decisive: bool
    runner: bool
    evidence: bool


def judge(record: LabelledLog, failure: Failure) -> tuple[Outcome, str]:
    """Extract ``record``'s region and compare it with the failure's own output."""
    region = extract_region(record.log)
    output = FailureOutput.of(failure)
    decisive = [line for line in region.decisive.split("\n") if line.strip()]
    outcome = Outcome(
        empty=not decisive,
        decisive=any(output.contains(line) for line in decisive),
        runner=any(output.contains(line, runner=True) for line in decisive),
        evidence=any(output.contains(e.text, runner=True) for e in region.evidence),
    )
    return outcome, region.decisive


@dataclass
class Tally:
    n: int = 0
    empty: int = 0
    decisive: int = 0
    runner: int = 0
    evidence: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, outcome: Outcome, example: str) -> None:
        self.n += 1
        self.empty += outcome.empty
        self.decisive += outcome.decisive
        self.runner += outcome.runner
        self.evidence += outcome.evidence
        if not outcome.runner and len(self.examples) < 3:
            self.examples.append(example)

    def share(self, name: str) -> float:
        return getattr(self, name) / self.n if self.n else 0.0

    def row(self, name: str, width: int) -> str:
        return (
            f"{name:<{width}} {self.n:>5} {self.share('empty'):>6.1%} {self.share('decisive'):>8.1%}"
            f" {self.share('runner'):>7.1%} {self.share('evidence'):>8.1%}"
        )


@dataclass
class Audit:
    overall: Tally = field(default_factory=Tally)
    by: dict[str, dict[str, Tally]] = field(default_factory=dict)

    def add(self, record: LabelledLog, outcome: Outcome, decisive: str) -> None:
        example = f"{record.id} [{record.format}/{record.kind}] decisive={decisive[:160]!r}"
        self.overall.add(outcome, example)
        groups = {
            "label": record.label,
            "family": record.family or "?",
            "format": record.format or "?",
            "kind": record.kind or "?",
        }
        for axis, value in groups.items():
            self.by.setdefault(axis, defaultdict(Tally))[value].add(outcome, example)


def run_audit(records: Iterable[LabelledLog]) -> Audit:
    families = {f.id: f for f in all_families()}
    audit = Audit()
    for record in records:
        outcome, decisive = judge(record, failure_of(record, families))
        audit.add(record, outcome, decisive)
    return audit


def report(audit: Audit, worst: int = 30, examples: bool = False) -> str:
    header = f"{'':<50} {'n':>5} {'empty':>6} {'decisive':>8} {'runner':>7} {'evidence':>8}"
    out = [header, audit.overall.row("overall", 50)]
    for axis in ("label", "format", "kind"):
        out += ["", f"by {axis}", header]
        out += [t.row(k, 50) for k, t in sorted(audit.by.get(axis, {}).items())]
    families = audit.by.get("family", {})
    ranked = sorted(families.items(), key=lambda kv: (kv[1].share("runner"), -kv[1].n))
    out += ["", f"worst {worst} families (by runner)", header]
    for name, tally in ranked[:worst]:
        out.append(tally.row(name[:50], 50))
        if examples:
            out += [f"    {e}" for e in tally.examples]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--worst", type=int, default=30)
    parser.add_argument("--examples", action="store_true", help="show misses per family")
    args = parser.parse_args(argv)
    audit = run_audit(generate(args.n, args.seed))
    print(report(audit, args.worst, args.examples))
    return 0


if __name__ == "__main__":
    sys.exit(main())
