"""Shared fixtures: a small model trained once per session, a published copy of it, and the
real-logs folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests._service_support import model_path, publish_version

pytest_plugins = ["tests.storage_support", "tests.heal_support"]

REPO = Path(__file__).resolve().parents[1]
REAL_LOGS = REPO.parent / "shared" / "real-logs" / "logdx-dev"


@pytest.fixture(scope="session", autouse=True)
def private_default_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The default database of every app and command the tests start is a temporary file, never
    the checkout's var/autoheal.db (nor a database the developer's environment names)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('default-database') / 'autoheal.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AUTOHEAL_DATABASE_URL", url)
        yield url


@pytest.fixture(scope="session", autouse=True)
def no_default_warmup() -> Iterator[None]:
    """Apps (and the services started in subprocesses) load their model without a warm-up,
    unless a test asks for one: the default's ~0.5 s would be paid by every app a test builds."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AUTOHEAL_WARMUP_LOGS", "0")
        yield


@pytest.fixture(scope="module")
def source_model(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A trained model file for the tests of one module (see `model_path`)."""
    return model_path(request, tmp_path_factory)


@pytest.fixture()
def champion(source_model: Path, tmp_path: Path) -> Path:
    """A copy of `source_model` published as version "v1", for tests that publish others."""
    path = tmp_path / "champion.joblib"
    publish_version(source_model, path, "v1")
    return path


@pytest.fixture(scope="session")
def real_logs_dir() -> Path:
    if not REAL_LOGS.is_dir():
        pytest.skip("the real-logs folder is not beside this checkout")
    return REAL_LOGS


@pytest.fixture(scope="session")
def model_artifact(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A classifier trained on a small generated set (the same code path as `autoheal train`,
    without MLflow), written as a local artifact."""
    from datasets.generator import generate
    from model._features import feature_text
    from model.classifier import save_artifact
    from training.fit import extract_all, fit_calibrated

    records = list(generate(1500, seed=7))
    regions = extract_all(records)
    estimator = fit_calibrated(
        [feature_text(r) for r in regions],
        [r.label for r in records],
        [r.group for r in records],
        C=8.0,
        folds=3,
        n_jobs=1,
        seed=7,
    )
    path = tmp_path_factory.mktemp("model") / "autoheal-classifier.joblib"
    save_artifact(
        path, estimator, model_version="test-small", abstain_below=0.0, provenance={"test": True}
    )
    return path
