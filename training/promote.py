"""Move the ``champion`` alias by hand: ``autoheal model promote VERSION``, ``rollback``, ``list``.

A version becomes champion only when it is at least as good as the current one on the frozen
evaluation set (macro-F1 and precision at the threshold), unless forced. Every move of the alias
is recorded in the registered model's tag ``autoheal.champion_history`` (a JSON list of versions,
oldest first), and on the version itself (``autoheal.champion_since``,
``autoheal.previous_champion``); ``rollback`` moves the alias back to the version before the
current one and drops the current one from the history, so rolling back twice goes two steps back.

Both commands also rewrite the local artifact (``var/models/autoheal-classifier.joblib`` by
default) atomically, so a service that loads the local file follows the alias as well as one
that loads ``models:/autoheal-classifier@champion``: each picks up the change without a restart.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from datasets.records import LabelledLog
from model.classifier import Classifier, save_artifact
from training import data as data_mod
from training.config import CHAMPION_ALIAS, TrainConfig
from training.fit import extract_all
from training.run import _compare_text, _not_worse, evaluate_sets

HISTORY_TAG: Final = "autoheal.champion_history"
SINCE_TAG: Final = "autoheal.champion_since"
PREVIOUS_TAG: Final = "autoheal.previous_champion"
MAX_HISTORY: Final = 50  # a registered-model tag value is bounded: keep the recent moves


class PromotionError(RuntimeError):
    """The alias cannot move: an unknown version, no previous champion, no registered model."""


@dataclass(frozen=True)
class Move:
    moved: bool
    version: str
    previous: str | None
    message: str
    new_metrics: dict[str, Any] | None = None
    old_metrics: dict[str, Any] | None = None


def _client(config: TrainConfig) -> Any:
    from training.tracking import _mlflow

    return _mlflow(config.tracking_uri).MlflowClient()


def champion_history(config: TrainConfig) -> list[str]:
    try:
        model = _client(config).get_registered_model(config.registered_model)
    except Exception as exc:
        raise PromotionError(f"no registered model {config.registered_model!r}") from exc
    raw = model.tags.get(HISTORY_TAG)
    try:
        history = json.loads(raw) if raw else []
    except ValueError:
        history = []
    return [str(v) for v in history] if isinstance(history, list) else []


def move_champion(config: TrainConfig, version: str, *, rollback: bool = False) -> str | None:
    """Point the alias at ``version`` and record it; return the version it pointed at before."""
    from training import tracking

    client = _client(config)
    name = config.registered_model
    current = tracking.current_champion(config.tracking_uri, name, CHAMPION_ALIAS)
    history = champion_history(config)
    if current is not None and (not history or history[-1] != current):
        history.append(current)  # the alias was moved by other means: keep that step too
    if rollback:
        history = history[:-1]  # drop the current champion; the history now ends at `version`
    else:
        history.append(version)
    client.set_registered_model_alias(name, CHAMPION_ALIAS, version)
    client.set_registered_model_tag(name, HISTORY_TAG, json.dumps(history[-MAX_HISTORY:]))
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    client.set_model_version_tag(name, version, SINCE_TAG, now)
    client.set_model_version_tag(name, version, PREVIOUS_TAG, current or "")
    return current


def frozen_eval_records(config: TrainConfig) -> list[LabelledLog]:
    """The frozen evaluation set, built as ``autoheal train`` builds it: held-out generated
    families, the hand-written logs and the feedback examples kept for evaluation."""
    generated, _ = data_mod.load_generated(config.data_dir, config.n_generated, config.seed)
    split = data_mod.training_split(generated, data_mod.load_handwritten(), config)
    return split.frozen_eval


def compare_versions(
    config: TrainConfig, versions: list[str], console: Console
) -> dict[str, dict[str, Any]]:
    """Frozen-set metrics of each registered version (logs extracted once for all)."""
    records = frozen_eval_records(config)
    with Progress(
        TextColumn("[bold]{task.description:<28}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("extract frozen set", total=len(records))
        regions = extract_all(records, lambda n: progress.advance(task, n), n_jobs=config.n_jobs)
    out: dict[str, dict[str, Any]] = {}
    for version in versions:
        classifier = load_version(config, version)
        sets = {"frozen_eval": (records, regions)}
        out[version] = evaluate_sets(classifier, sets, config.threshold)[0]["frozen_eval"]
    return out


def load_version(config: TrainConfig, version: str) -> Classifier:
    from training.tracking import _mlflow

    _mlflow(config.tracking_uri)
    return Classifier.load(
        f"models:/{config.registered_model}/{version}", threshold=config.threshold
    )


def write_local(config: TrainConfig, version: str) -> Path:
    """Rewrite the local artifact with ``version`` (atomically: a service may be watching it)."""
    classifier = load_version(config, version)
    provenance = {
        **classifier.provenance,
        "alias": CHAMPION_ALIAS,
        "registered_model": config.registered_model,
        "mlflow": {**classifier.provenance.get("mlflow", {}), "version": version},
    }
    return save_artifact(
        config.model_path,
        classifier.estimator,
        model_version=classifier.model_version,
        abstain_below=classifier.abstain_below,
        provenance=provenance,
    )


def _check_version(config: TrainConfig, version: str) -> None:
    try:
        _client(config).get_model_version(config.registered_model, version)
    except Exception as exc:
        raise PromotionError(
            f"no version {version!r} of registered model {config.registered_model!r}"
        ) from exc


def promote(
    version: str,
    *,
    force: bool = False,
    config: TrainConfig | None = None,
    console: Console | None = None,
    write_local_copy: bool = True,
) -> Move:
    """Make ``version`` the champion if it is not worse than the current one (or ``force``)."""
    from training import tracking

    config = config or TrainConfig()
    console = console or Console(stderr=True)
    _check_version(config, version)
    current = tracking.current_champion(
        config.tracking_uri, config.registered_model, CHAMPION_ALIAS
    )
    if current == version:
        return Move(False, version, current, f"version {version} is already the champion")
    new = old = None
    if current is not None:
        scores = compare_versions(config, [version, current], console)
        new, old = scores[version], scores[current]
        comparison = _compare_text(new, old)
        if not _not_worse(new, old) and not force:
            return Move(
                False,
                version,
                current,
                f"version {version} is worse than champion {current} on the frozen set "
                f"(n={new.get('n', 0)}): {comparison}; not promoted (--force to override)",
                new,
                old,
            )
        verdict = "forced over" if not _not_worse(new, old) else "replaces"
        message = f"version {version} {verdict} champion {current}: {comparison}"
    else:
        message = f"version {version} is the first champion"
    move_champion(config, version)
    if write_local_copy:
        message += f"; wrote {write_local(config, version)}"
    return Move(True, version, current, message, new, old)


def rollback(*, config: TrainConfig | None = None, write_local_copy: bool = True) -> Move:
    """Move the alias back to the champion before the current one."""
    from training import tracking

    config = config or TrainConfig()
    current = tracking.current_champion(
        config.tracking_uri, config.registered_model, CHAMPION_ALIAS
    )
    history = champion_history(config)
    if current is not None and history and history[-1] == current:
        history = history[:-1]
    previous = next((v for v in reversed(history) if v != current), None)
    if current is None or previous is None:
        raise PromotionError(
            "nothing to roll back to: no previous champion is recorded"
            + (f" (the champion is version {current})" if current else "")
        )
    move_champion(config, previous, rollback=True)
    message = f"champion rolled back from version {current} to version {previous}"
    if write_local_copy:
        message += f"; wrote {write_local(config, previous)}"
    return Move(True, previous, current, message)


def list_versions(config: TrainConfig | None = None) -> list[dict[str, Any]]:
    """Every registered version, newest first, with its frozen-set figures and alias."""
    config = config or TrainConfig()
    client = _client(config)
    try:
        versions = client.search_model_versions(f"name='{config.registered_model}'")
    except Exception as exc:
        raise PromotionError(f"cannot list {config.registered_model!r}: {exc}") from exc
    from training import tracking

    champion = tracking.current_champion(
        config.tracking_uri, config.registered_model, CHAMPION_ALIAS
    )
    rows = []
    for item in sorted(versions, key=lambda v: int(v.version), reverse=True):
        metrics: dict[str, float] = {}
        if item.run_id:
            try:
                metrics = dict(client.get_run(item.run_id).data.metrics)
            except Exception:  # a deleted run: the version is still listed
                metrics = {}
        rows.append(
            {
                "version": str(item.version),
                "model_version": item.tags.get("autoheal.model_version"),
                "created": dt.datetime.fromtimestamp(
                    item.creation_timestamp / 1000, dt.UTC
                ).isoformat(timespec="seconds"),
                "champion": str(item.version) == champion,
                "champion_since": item.tags.get(SINCE_TAG),
                "macro_f1": metrics.get("frozen_eval.macro_f1"),
                "precision_at_threshold": metrics.get("frozen_eval.precision_at_threshold"),
            }
        )
    return rows


# -- the commands' logic (autoheal/cli.py registers them) -------------------------------------
def _config(out: Path | None, n: int | None = None, seed: int | None = None) -> TrainConfig:
    config = TrainConfig()
    config.n_generated = config.n_generated if n is None else n
    config.seed = config.seed if seed is None else seed
    if out is not None:
        config.model_path = out
    return config


def _figures(metrics: dict[str, Any] | None) -> str:
    if not metrics:
        return "-"
    return (
        f"macro-F1 {metrics.get('macro_f1', 0):.4f}, "
        f"precision@t {metrics.get('precision_at_threshold', 0):.4f} (n={metrics.get('n', 0)})"
    )


def promote_command(
    version: str, *, force: bool, out: Path | None, n: int | None = None, seed: int | None = None
) -> int:
    """0 moved (or already champion), 1 refused as worse, 2 unknown version or no registry."""
    console = Console(stderr=True)
    try:
        move = promote(version, force=force, config=_config(out, n, seed), console=console)
    except PromotionError as exc:
        console.print(f"autoheal: {exc}")
        return 2
    if move.new_metrics is not None:
        console.print(f"  candidate version {move.version}: {_figures(move.new_metrics)}")
        console.print(f"  champion  version {move.previous}: {_figures(move.old_metrics)}")
    console.print(move.message)
    refused = not move.moved and move.previous != move.version
    return 1 if refused else 0


def rollback_command(*, out: Path | None) -> int:
    console = Console(stderr=True)
    try:
        move = rollback(config=_config(out))
    except PromotionError as exc:
        console.print(f"autoheal: {exc}")
        return 1
    console.print(move.message)
    return 0


def list_command(*, as_json: bool) -> int:
    from rich.table import Table

    try:
        rows = list_versions()
    except PromotionError as exc:
        Console(stderr=True).print(f"autoheal: {exc}")
        return 2
    if as_json:
        print(json.dumps(rows, indent=2))
        return 0
    table = Table("version", "model", "created", "macro-F1", "precision@t", "champion")
    for row in rows:
        table.add_row(
            row["version"],
            row["model_version"] or "",
            row["created"],
            "" if row["macro_f1"] is None else f"{row['macro_f1']:.4f}",
            "" if row["precision_at_threshold"] is None else f"{row['precision_at_threshold']:.4f}",
            ""
            if not row["champion"]
            else f"yes (since {row['champion_since']})"
            if row["champion_since"]
            else "yes",
        )
    Console().print(table)
    return 0
