"""Extraction on five real GitHub Actions job logs with hand-verified evidence lines.

Each case's ground truth lists required signals with their line numbers; the extraction must
surface every `critical` one (its evidence line numbers must include a line of each critical
range). The logs are read in place and skipped when the folder is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from model import extract_region

REAL_LOGS = Path(__file__).resolve().parents[1].parent / "shared" / "real-logs" / "logdx-dev"
CASES = sorted(p.name for p in REAL_LOGS.iterdir() if p.is_dir()) if REAL_LOGS.is_dir() else []


def _critical_ranges(case: Path) -> list[tuple[str, list[tuple[int, int]]]]:
    truth = json.loads((case / "ground_truth.json").read_text(encoding="utf-8"))
    out = []
    for signal in truth["required_signals"]:
        if signal.get("importance") == "critical":
            label = str(signal.get("value") or signal.get("file") or signal["type"])
            out.append((label, [(int(a), int(b)) for a, b in signal["evidence_lines"]]))
    return out


@pytest.mark.skipif(not CASES, reason="real logs folder absent")
@pytest.mark.parametrize("name", CASES)
def test_critical_evidence_lines_are_surfaced(name: str) -> None:
    case = REAL_LOGS / name
    region = extract_region(case / "raw.log")
    assert region.log_format == "github_actions"
    assert region.exit_code is not None and region.exit_code != 0
    got = {e.line for e in region.evidence}
    missed = [
        (label, ranges)
        for label, ranges in _critical_ranges(case)
        if not any(a <= line <= b for a, b in ranges for line in got)
    ]
    assert not missed, f"{name}: missed critical signals {missed}; evidence lines {sorted(got)}"
    assert len(region.evidence) <= 24 and len(region.text) <= 4000


@pytest.mark.skipif(not CASES, reason="real logs folder absent")
def test_dubious_ownership_is_the_root_cause_not_the_jest_symptoms() -> None:
    region = extract_region(REAL_LOGS / "jest-nextjs-001" / "raw.log")
    assert "detected dubious ownership" in region.decisive
