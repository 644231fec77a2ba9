"""Hand-written examples for the build, test, quality and resource labels.

Checks that every file loads, that its header is valid, that each label owned here has its quota
with a real mix of excerpts and full job logs across ecosystems and CI systems, and that each file
has the shape its header claims.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from datasets.handwritten import ECOSYSTEMS, FORMATS, KINDS, load, parse_header
from datasets.records import DatasetError, LabelledLog

OWNED_LABELS = (
    "dependency_install",
    "compilation",
    "test_failure",
    "lint_format",
    "schema_validation",
    "timeout",
    "resource_exhaustion",
    "network",
)
QUOTA = 11
SLUG_PREFIX = {
    "dependency_install": "dep-",
    "compilation": "comp-",
    "test_failure": "test-",
    "lint_format": "lint-",
    "schema_validation": "schema-",
    "timeout": "timeout-",
    "resource_exhaustion": "res-",
    "network": "net-",
}
ROOT = Path(__file__).resolve().parents[1] / "datasets" / "handwritten"
REAL_LOGS = Path("/work/shared/real-logs/logdx-dev")

# GitHub Actions lines: ISO timestamp with seven fractional digits, then a space.
_GHA_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z( |$)")
# Shapes of real credentials; an example may only carry masked or obviously fake ones.
_SECRET_SHAPES = (
    re.compile(r"gh[pousr]_[A-Za-z0-9]{36}"),
    re.compile(r"github_pat_[A-Za-z0-9_]{40,}"),
    re.compile(r"AKIA[0-9A-Z]{16}"),
    re.compile(r"xox[abp]-[0-9A-Za-z-]{20,}"),
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
)


@pytest.fixture(scope="module")
def records() -> list[LabelledLog]:
    return [r for r in load() if r.label in OWNED_LABELS]


def _files(label: str) -> list[Path]:
    return sorted((ROOT / label).glob("*.log"))


def test_every_owned_file_loads_with_metadata(records: list[LabelledLog]) -> None:
    on_disk = {p.stem for label in OWNED_LABELS for p in _files(label)}
    assert {r.id for r in records} == on_disk
    for record in records:
        assert record.source == "handwritten"
        assert record.family == f"handwritten/{record.id}"
        assert record.format in FORMATS
        assert record.kind in KINDS
        assert record.ecosystem in ECOSYSTEMS
        assert not record.log.startswith("# autoheal-example:"), record.id


def test_header_line_matches_loaded_metadata(records: list[LabelledLog]) -> None:
    by_id = {r.id: r for r in records}
    for label in OWNED_LABELS:
        for path in _files(label):
            first = path.read_text(encoding="utf-8").split("\n", 1)[0]
            assert first.startswith("# autoheal-example: format="), path
            record = by_id[path.stem]
            assert parse_header(first, path) == (record.format, record.kind, record.ecosystem)


@pytest.mark.parametrize("label", OWNED_LABELS)
def test_label_has_quota_and_slug_prefix(records: list[LabelledLog], label: str) -> None:
    mine = [r for r in records if r.label == label]
    assert len(mine) == QUOTA, f"{label}: {len(mine)} examples"
    for record in mine:
        assert record.id.startswith(SLUG_PREFIX[label]), record.id


@pytest.mark.parametrize("label", OWNED_LABELS)
def test_kinds_ecosystems_and_formats_are_mixed(records: list[LabelledLog], label: str) -> None:
    mine = [r for r in records if r.label == label]
    kinds = Counter(r.kind for r in mine)
    # About 60% excerpts and 40% full job logs per label.
    assert 5 <= kinds["excerpt"] <= 8, kinds
    assert 3 <= kinds["full"] <= 6, kinds
    assert len({r.ecosystem for r in mine}) >= 8, Counter(r.ecosystem for r in mine)
    assert len({r.format for r in mine}) >= 4, Counter(r.format for r in mine)


def test_overall_mix_covers_every_ecosystem_and_format(records: list[LabelledLog]) -> None:
    assert {r.ecosystem for r in records} == set(ECOSYSTEMS)
    assert {r.format for r in records} == set(FORMATS)
    full_share = sum(r.kind == "full" for r in records) / len(records)
    assert 0.3 <= full_share <= 0.5, full_share


def test_sizes_match_the_declared_kind(records: list[LabelledLog]) -> None:
    for record in records:
        lines = record.log.rstrip("\n").count("\n") + 1
        if record.kind == "excerpt":
            assert 5 <= lines <= 60, (record.id, lines)
        else:
            assert 60 <= lines <= 250, (record.id, lines)


def test_full_github_logs_have_the_runner_shape(records: list[LabelledLog]) -> None:
    full_gha = [r for r in records if r.kind == "full" and r.format == "github_actions"]
    assert len(full_gha) >= 20
    for record in full_gha:
        lines = record.log.rstrip("\n").split("\n")
        assert not record.log.startswith("\ufeff"), record.id
        assert all(_GHA_TIMESTAMP.match(line) for line in lines), record.id
        body = "\n".join(line[29:] for line in lines)
        assert body.startswith("Current runner version:"), record.id
        assert "##[group]Run " in body, record.id
        assert "##[error]" in body, record.id
        assert "Cleaning up orphan processes" in body, record.id


def test_timestamps_never_go_backwards(records: list[LabelledLog]) -> None:
    for record in records:
        stamps = [line[:28] for line in record.log.split("\n") if _GHA_TIMESTAMP.match(line)]
        assert stamps == sorted(stamps), record.id


def test_no_real_looking_secrets(records: list[LabelledLog]) -> None:
    for record in records:
        for shape in _SECRET_SHAPES:
            assert shape.search(record.log) is None, (record.id, shape.pattern)


def test_evidence_lines_are_not_copied_from_real_logs(records: list[LabelledLog]) -> None:
    """The examples are written by us: no error line may be lifted from a real log."""
    raw_logs = sorted(REAL_LOGS.glob("*/raw.log")) if REAL_LOGS.is_dir() else []
    if not raw_logs:
        pytest.skip("real logs are not available on this machine")

    def strip(line: str) -> str:
        return _GHA_TIMESTAMP.sub("", line.lstrip("\ufeff"), count=1).strip()

    real: set[str] = set()
    for path in raw_logs:
        real.update(strip(line) for line in path.read_text("utf-8", "replace").splitlines())
    decisive = re.compile(r"(?i)\berror|\bfail(?:ed|ure|s)?\b|\bpanic")
    banner = re.compile(r"^[=_\-+!~ ]{10,}.*[=_\-+!~ ]{10,}$")
    copied = [
        (record.id, line)
        for record in records
        for line in map(strip, record.log.splitlines())
        if len(line) >= 40
        and decisive.search(line)
        and not banner.match(line)
        and not line.startswith("##[error]Process completed with exit code")
        and line in real
    ]
    assert copied == []


def _write(root: Path, label: str, name: str, data: bytes) -> Path:
    folder = root / label
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def test_loader_rejects_a_bad_header(tmp_path: Path) -> None:
    path = _write(tmp_path, "timeout", "timeout-x.log", b"# autoheal-example: kind=full\nlog\n")
    with pytest.raises(DatasetError) as info:
        load(tmp_path)
    assert info.value.path == str(path)


def test_loader_rejects_broken_utf8(tmp_path: Path) -> None:
    header = b"# autoheal-example: format=plain kind=excerpt ecosystem=go\n"
    path = _write(tmp_path, "network", "net-x.log", header + b"reset \xff\xfe by peer\n")
    with pytest.raises(DatasetError) as info:
        load(tmp_path)
    assert info.value.path == str(path)
    assert "UTF-8" in info.value.reason


def test_loader_rejects_an_unknown_label_folder(tmp_path: Path) -> None:
    header = b"# autoheal-example: format=plain kind=excerpt ecosystem=go\n"
    _write(tmp_path, "flaky", "flaky-x.log", header + b"something\n")
    with pytest.raises(DatasetError, match="not a label"):
        load(tmp_path)
