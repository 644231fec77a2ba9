"""Hand-written evaluation examples (second half of the labels) and the shared loader."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from datasets.handwritten import ECOSYSTEMS, FORMATS, SOURCE, load, parse_header
from datasets.records import DatasetError, LabelledLog
from model.taxonomy import LABELS

HANDWRITTEN_ROOT = Path(__file__).resolve().parent.parent / "datasets" / "handwritten"
OWNED = {
    "auth_permission": "auth",
    "rate_limit": "rate",
    "workflow_config": "wf",
    "missing_file": "missing",
    "runtime_error": "runtime",
    "infrastructure": "infra",
    "unknown": "unknown",
}
QUOTA = 12
EXCERPT_LINES = (5, 60)
FULL_LINES = (60, 250)
GITHUB_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z ")
# Shapes of real credentials; every token in the examples must be masked or obviously fake.
SECRET_SHAPES = re.compile(
    r"gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|AKIA[0-9A-Z]{16}"
    r"|npm_[A-Za-z0-9]{36}|-----BEGIN [A-Z ]*PRIVATE KEY-----|xox[abp]-[0-9A-Za-z-]{10,}"
)


@pytest.fixture(scope="module")
def owned_records(tmp_path_factory: pytest.TempPathFactory) -> list[LabelledLog]:
    """Load only the owned label folders (through links), so other folders cannot interfere."""
    root = tmp_path_factory.mktemp("owned")
    for label in OWNED:
        (root / label).symlink_to(HANDWRITTEN_ROOT / label, target_is_directory=True)
    return load(root)


def _by_label(records: list[LabelledLog]) -> dict[str, list[LabelledLog]]:
    grouped: dict[str, list[LabelledLog]] = {}
    for record in records:
        grouped.setdefault(record.label, []).append(record)
    return grouped


def test_every_owned_label_has_its_quota(owned_records: list[LabelledLog]) -> None:
    counts = Counter(record.label for record in owned_records)
    assert counts == dict.fromkeys(OWNED, QUOTA)


def test_records_carry_the_loader_fields(owned_records: list[LabelledLog]) -> None:
    for record in owned_records:
        assert record.source == SOURCE
        assert record.family == f"{SOURCE}/{record.id}"
        assert record.label in LABELS
        assert record.format in FORMATS
        assert record.ecosystem in ECOSYSTEMS
        assert not record.log.startswith("# autoheal-example:"), record.id


def test_headers_parse_and_match_records(owned_records: list[LabelledLog]) -> None:
    by_id = {record.id: record for record in owned_records}
    for label in OWNED:
        for path in sorted((HANDWRITTEN_ROOT / label).glob("*.log")):
            first = path.read_text(encoding="utf-8").split("\n", 1)[0]
            fmt, kind, ecosystem = parse_header(first, path)
            record = by_id[path.stem]
            assert (record.format, record.kind, record.ecosystem) == (fmt, kind, ecosystem)


def test_slugs_use_the_label_prefix(owned_records: list[LabelledLog]) -> None:
    for record in owned_records:
        assert record.id.startswith(OWNED[record.label] + "-"), record.id


def test_kinds_are_mixed_per_label(owned_records: list[LabelledLog]) -> None:
    for label, records in _by_label(owned_records).items():
        kinds = Counter(record.kind for record in records)
        excerpt_share = kinds["excerpt"] / len(records)
        assert 0.45 <= excerpt_share <= 0.75, (label, kinds)
        assert kinds["full"] >= 3, (label, kinds)


def test_lengths_match_the_kind(owned_records: list[LabelledLog]) -> None:
    for record in owned_records:
        lines = record.log.rstrip("\n").split("\n")
        low, high = EXCERPT_LINES if record.kind == "excerpt" else FULL_LINES
        assert low <= len(lines) <= high, (record.id, record.kind, len(lines))


def test_full_logs_are_timestamped_github_jobs(owned_records: list[LabelledLog]) -> None:
    for record in owned_records:
        if record.kind != "full":
            continue
        assert record.format == "github_actions", record.id
        lines = record.log.rstrip("\n").split("\n")
        assert all(GITHUB_TIMESTAMP.match(line) for line in lines), record.id
        assert "Current runner version:" in lines[0], record.id


def test_examples_spread_across_ecosystems_and_ci_systems(
    owned_records: list[LabelledLog],
) -> None:
    for label, records in _by_label(owned_records).items():
        assert len({record.ecosystem for record in records}) >= 7, label
        assert len({record.format for record in records}) >= 4, label
    assert {record.ecosystem for record in owned_records} == ECOSYSTEMS
    assert {record.format for record in owned_records} == FORMATS


def test_no_credential_shaped_strings(owned_records: list[LabelledLog]) -> None:
    for record in owned_records:
        assert SECRET_SHAPES.search(record.log) is None, record.id


def test_full_job_logs_except_unknown_show_an_error_marker(
    owned_records: list[LabelledLog],
) -> None:
    # A labelled failed job must carry visible evidence; only `unknown` may lack it.
    for record in owned_records:
        if record.label == "unknown" or record.kind != "full":
            continue
        assert "##[error]" in record.log, record.id


# --- loader behaviour on bad input -------------------------------------------------------

HEADER = "# autoheal-example: format=plain kind=excerpt ecosystem=shell\n"


def _write(root: Path, relative: str, data: bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_loader_reads_a_valid_tree_sorted(tmp_path: Path) -> None:
    _write(tmp_path, "unknown/unknown-b.log", HEADER.encode() + b"exit 1\n")
    _write(tmp_path, "unknown/unknown-a.log", HEADER.encode() + b"exit 2\n")
    _write(tmp_path, "__pycache__/ignored.log", b"not an example")
    records = load(tmp_path)
    assert [record.id for record in records] == ["unknown-a", "unknown-b"]
    assert records[0].log == "exit 2\n"
    assert (records[0].format, records[0].kind, records[0].ecosystem) == (
        "plain",
        "excerpt",
        "shell",
    )


@pytest.mark.parametrize(
    ("relative", "data", "reason"),
    [
        ("unknown/unknown-x.log", b"exit 1\n", "header"),
        (
            "unknown/unknown-x.log",
            b"# autoheal-example: format=travis kind=excerpt ecosystem=shell\nexit 1\n",
            "unknown format",
        ),
        (
            "unknown/unknown-x.log",
            b"# autoheal-example: format=plain kind=snippet ecosystem=shell\nexit 1\n",
            "unknown kind",
        ),
        ("not_a_label/x-y.log", HEADER.encode() + b"exit 1\n", "not a label"),
        ("unknown/unknown-x.log", HEADER.encode() + b"caf\xe9 \xff\n", "UTF-8"),
        ("unknown/unknown-x.log", HEADER.encode() + b"\n  \n", "empty"),
        ("unknown/Unknown_X.log", HEADER.encode() + b"exit 1\n", "kebab-case"),
    ],
)
def test_loader_rejects_bad_files_naming_them(
    tmp_path: Path, relative: str, data: bytes, reason: str
) -> None:
    bad = _write(tmp_path, relative, data)
    with pytest.raises(DatasetError) as caught:
        load(tmp_path)
    assert reason in str(caught.value)
    named = bad if bad.parent.name != "not_a_label" else bad.parent
    assert str(named) in str(caught.value)


def test_loader_rejects_a_slug_used_twice(tmp_path: Path) -> None:
    _write(tmp_path, "network/shared-slug.log", HEADER.encode() + b"exit 1\n")
    _write(tmp_path, "unknown/shared-slug.log", HEADER.encode() + b"exit 1\n")
    with pytest.raises(DatasetError, match="already used"):
        load(tmp_path)


def test_loader_rejects_a_missing_root(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="not a directory"):
        load(tmp_path / "absent")
