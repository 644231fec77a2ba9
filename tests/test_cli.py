"""`autoheal classify` end to end, through the installed console script."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from model.taxonomy import LABELS

PIP_FAILURE = """\
2026-03-01T10:00:00.1000000Z ##[group]Run pip install -r requirements.txt
2026-03-01T10:00:00.1000001Z pip install -r requirements.txt
2026-03-01T10:00:00.1000002Z ##[endgroup]
2026-03-01T10:00:01.0000000Z Collecting flask==3.0.2
2026-03-01T10:00:01.5000000Z   Downloading flask-3.0.2-py3-none-any.whl (101 kB)
2026-03-01T10:00:02.0000000Z ERROR: Could not find a version that satisfies the requirement torch==9.9.9 (from versions: 2.2.0, 2.2.1)
2026-03-01T10:00:02.0000001Z ERROR: No matching distribution found for torch==9.9.9
2026-03-01T10:00:02.1000000Z ##[error]Process completed with exit code 1.
"""


def _run(
    args: list[str], model: Path, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "AUTOHEAL_MODEL_URI": str(model)}
    return subprocess.run(
        [sys.executable, "-m", "autoheal", "classify", *args],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )


def _check_object(obj: dict[str, object]) -> None:
    for key in (
        "category",
        "confidence",
        "probabilities",
        "auto_fix",
        "threshold",
        "evidence",
        "fingerprint",
        "model_version",
        "source",
    ):
        assert key in obj, key
    assert obj["category"] in LABELS
    probabilities = obj["probabilities"]
    assert isinstance(probabilities, dict)
    assert set(probabilities) == set(LABELS)
    assert abs(sum(probabilities.values()) - 1.0) < 1e-3


def test_classify_files_gz_zip_stdin_and_a_missing_file(
    tmp_path: Path, model_artifact: Path
) -> None:
    plain = tmp_path / "job.log"
    plain.write_text(PIP_FAILURE)
    packed = tmp_path / "job.log.gz"
    packed.write_bytes(gzip.compress(PIP_FAILURE.encode()))
    archive = tmp_path / "run.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("lint/1_Run ruff.txt", "2026-03-01T10:00:00.1000000Z All checks passed!\n")
        zf.writestr("build/2_Install.txt", PIP_FAILURE)
    binary = tmp_path / "core.bin"
    binary.write_bytes(bytes(range(256)) * 64)
    missing = tmp_path / "nope.log"

    result = _run(
        [str(plain), str(missing), str(packed), str(archive), str(binary)], model_artifact
    )
    assert result.returncode == 1
    assert b"nope.log" in result.stderr
    lines = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [obj["source"] for obj in lines] == [str(plain), str(packed), str(archive), str(binary)]
    for obj in lines:
        _check_object(obj)
    by_source = {obj["source"]: obj for obj in lines}
    plain_evidence = {e["line"]: e["text"] for e in by_source[str(plain)]["evidence"]}
    assert any(
        "No matching distribution found for torch" in text for text in plain_evidence.values()
    )
    assert plain_evidence.get(7, "").startswith("ERROR: No matching distribution")
    # The same failure read from .gz, and from inside a run's zip, gives the same fingerprint.
    assert by_source[str(packed)]["fingerprint"] == by_source[str(plain)]["fingerprint"]
    zipped = by_source[str(archive)]
    assert zipped["fingerprint"] == by_source[str(plain)]["fingerprint"]
    assert any(e.get("file") == "build/2_Install.txt" for e in zipped["evidence"])

    piped = _run(["-"], model_artifact, stdin=PIP_FAILURE.encode())
    assert piped.returncode == 0, piped.stderr
    obj = json.loads(piped.stdout)
    _check_object(obj)
    assert obj["source"] == "<stdin>"
    assert obj["fingerprint"] == by_source[str(plain)]["fingerprint"]


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    result = _run(["-"], tmp_path / "absent.joblib", stdin=b"x")
    assert result.returncode == 2
    assert b"no model at" in result.stderr


def test_threshold_option_controls_auto_fix(tmp_path: Path, model_artifact: Path) -> None:
    plain = tmp_path / "job.log"
    plain.write_text(PIP_FAILURE)
    never = json.loads(_run([str(plain), "--threshold", "1.0"], model_artifact).stdout)
    assert never["auto_fix"] is False
    assert never["threshold"] == 1.0
    always = json.loads(_run([str(plain), "--threshold", "0.0"], model_artifact).stdout)
    assert always["auto_fix"] is (always["category"] != "unknown")


@pytest.mark.parametrize("args", [["--help"], ["classify", "--help"]])
def test_help(args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "autoheal", *args], capture_output=True, timeout=60, check=False
    )
    assert result.returncode == 0
    assert b"Usage" in result.stdout


@pytest.mark.slow
def test_a_200_mb_log_is_classified_in_bounded_memory(tmp_path: Path, model_artifact: Path) -> None:
    noise = "".join(
        f"2026-03-01T10:{i // 60 % 60:02d}:{i % 60:02d}.1234567Z Downloading pkg-{i}.tar.gz (12 kB) error_pages/{i}.html\n"
        for i in range(2000)
    ).encode()
    big = tmp_path / "huge.log"
    with open(big, "wb") as handle:
        while handle.tell() < 200 * 1024 * 1024:
            handle.write(noise)
        handle.write(PIP_FAILURE.encode())
    # A child loads the model, then classifies the file by path, and reports its peak RSS
    # (VmHWM, KiB) before and after: the difference is what reading the log cost. VmHWM starts
    # afresh at exec; getrusage's ru_maxrss would carry this test process's size into the child.
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from model.classifier import Classifier\n"
        "def peak():\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmHWM:'):\n"
        "            return int(line.split()[1])\n"
        "classifier = Classifier.load(sys.argv[2])\n"
        "loaded = peak()\n"
        "prediction = classifier.classify(Path(sys.argv[1]))\n"
        "print(prediction.to_dict()['evidence'])\n"
        "print(loaded, peak(), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(big), str(model_artifact)],
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "No matching distribution found for torch" in result.stdout.decode()
    loaded, after = (int(v) for v in result.stderr.decode().split()[-2:])
    # The 200 MB file is streamed: reading it costs a few chunks, not the file.
    assert after - loaded < 64 * 1024, f"reading the log raised peak RSS by {after - loaded} KiB"


def test_train_options_reach_the_training_configuration(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    import training.run
    from autoheal.cli import app
    from training.config import TrainConfig

    seen: list[TrainConfig] = []
    monkeypatch.setattr(training.run, "train", seen.append)
    runner = CliRunner()
    feedback = tmp_path / "fb.jsonl"
    args = ["train", "--n", "100", "--no-mlflow", "--feedback", str(feedback)]
    result = runner.invoke(app, [*args, "--feedback-weight", "3", "--feedback-eval-fraction", "0"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["train", "--no-feedback"]).exit_code == 0
    assert runner.invoke(app, ["train"]).exit_code == 0
    given, off, default = seen
    assert (given.n_generated, given.log_to_mlflow) == (100, False)
    assert (given.feedback_path(), given.feedback_weight, given.feedback_eval_fraction) == (
        feedback,
        3.0,
        0.0,
    )
    assert off.feedback_path() is None
    assert (default.feedback_weight, default.feedback_eval_fraction) == (
        TrainConfig().feedback_weight,
        TrainConfig().feedback_eval_fraction,
    )
    bad = runner.invoke(app, ["train", "--feedback-eval-fraction", "1.5"])
    assert bad.exit_code == 2 and len(seen) == 3
