"""The `autoheal` command line. Heavy imports happen inside commands, so `--help` is instant."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="Triage failed CI runs: find the decisive log lines and name the failure.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
dataset_app = typer.Typer(
    help="Labelled logs: generate, export feedback, import real logs for review.",
    no_args_is_help=True,
)
app.add_typer(dataset_app, name="dataset")
jobs_app = typer.Typer(
    help="The service's durable jobs: list them, retry dead ones, prune old ones.",
    no_args_is_help=True,
)
app.add_typer(jobs_app, name="jobs")
model_app = typer.Typer(
    help="Registered models: promote a version to champion, or roll back.", no_args_is_help=True
)
app.add_typer(model_app, name="model")
DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database-url", help="Default: $AUTOHEAL_DATABASE_URL or sqlite:///var/autoheal.db."
    ),
]

ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        "-m",
        help="A local artifact or an MLflow model URI (models:/autoheal-classifier@champion). "
        "Default: $AUTOHEAL_MODEL_URI or var/models/autoheal-classifier.joblib.",
    ),
]


def _model_uri(model: str | None) -> str:
    import os

    from model.classifier import DEFAULT_MODEL_PATH

    return model or os.environ.get("AUTOHEAL_MODEL_URI") or str(DEFAULT_MODEL_PATH)


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"autoheal: {message}", err=True)
    return typer.Exit(code)


@app.command()
def classify(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Log files (.log, .txt, .gz, .zip); '-' or nothing reads stdin."),
    ] = None,
    model: ModelOption = None,
    threshold: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="Confidence needed for auto_fix.")
    ] = None,
) -> None:
    """Classify logs: one JSON object per input, on its own line."""
    from model import LogReadError
    from model.classifier import Classifier, ModelLoadError

    try:
        classifier = Classifier.load(_model_uri(model), threshold=threshold)
    except ModelLoadError as exc:
        raise _fail(str(exc)) from exc
    failed = 0
    for name in paths or ["-"]:
        try:
            source = sys.stdin.buffer if name == "-" else Path(name)
            if name != "-" and not Path(name).is_file():
                raise LogReadError(f"{name}: no such file")
            prediction = classifier.classify(source)
        except (LogReadError, OSError) as exc:
            typer.echo(f"autoheal: {exc}", err=True)
            failed += 1
            continue
        out = {"source": "<stdin>" if name == "-" else name, **prediction.to_dict()}
        typer.echo(json.dumps(out, ensure_ascii=False))
    if failed:
        raise typer.Exit(1)


@app.command()
def train(
    n: Annotated[int, typer.Option("--n", help="How many logs to generate.")] = 20_000,
    seed: Annotated[int, typer.Option(help="Generator seed.")] = 13,
    data: Annotated[
        list[Path] | None,
        typer.Option("--data", help="Extra labelled JSON Lines files to train on."),
    ] = None,
    model_path: Annotated[
        Path | None, typer.Option("--out", help="Where the champion artifact goes.")
    ] = None,
    no_mlflow: Annotated[bool, typer.Option("--no-mlflow", help="Do not log to MLflow.")] = False,
    feedback: Annotated[
        Path | None,
        typer.Option(help="Exported feedback to use. Default: var/data/feedback.jsonl if present."),
    ] = None,
    no_feedback: Annotated[
        bool, typer.Option("--no-feedback", help="Leave people's labels out.")
    ] = False,
    feedback_weight: Annotated[
        float | None,
        typer.Option(min=0.0, help="Weight of a feedback example (a generated log: 1). [10]"),
    ] = None,
    feedback_eval_fraction: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Share of feedback failures kept for the frozen evaluation set. [0.2]",
        ),
    ] = None,
) -> None:
    """Generate data, fit, calibrate, evaluate, log to MLflow, and promote if not worse."""
    from datasets.records import DatasetError
    from training.config import TrainConfig
    from training.run import train as run_train

    config = TrainConfig(
        n_generated=n,
        seed=seed,
        extra_data=list(data or []),
        log_to_mlflow=not no_mlflow,
        feedback_data=feedback,
        use_feedback=not no_feedback,
    )
    if feedback_weight is not None:
        config.feedback_weight = feedback_weight
    if feedback_eval_fraction is not None:
        config.feedback_eval_fraction = feedback_eval_fraction
    if model_path is not None:
        config.model_path = model_path
    try:
        run_train(config)
    except DatasetError as exc:
        raise _fail(f"bad dataset: {exc}") from exc


@app.command("eval")
def evaluate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Labelled JSON Lines files; default: the frozen evaluation set."),
    ] = None,
    model: ModelOption = None,
    threshold: Annotated[float, typer.Option(min=0.0, max=1.0)] = 0.70,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the metrics as JSON on stdout.")
    ] = False,
) -> None:
    """Score a model: accuracy, macro-F1, ECE, precision and coverage at the threshold."""
    from datasets.records import DatasetError
    from model.classifier import ModelLoadError
    from training.config import TrainConfig
    from training.run import evaluate as run_eval

    try:
        metrics = run_eval(_model_uri(model), list(paths or []), TrainConfig(threshold=threshold))
    except (DatasetError, ModelLoadError) as exc:
        raise _fail(str(exc)) from exc
    if as_json:
        typer.echo(json.dumps(metrics, indent=2))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Serve the classifier over HTTP (FastAPI + uvicorn)."""
    from service.server import serve as run_server

    run_server(host=host, port=port, workers=workers)


@app.command(
    help=(
        "Heal one failed GitHub Actions run: classify the failed jobs' logs, then re-run "
        "transient failures, open issues with diagnostics and draft fix PRs, or comment on known "
        "failures. Needs GITHUB_TOKEN (or a GitHub App: AUTOHEAL_GITHUB_APP_ID and its key); "
        "optional GITHUB_API_URL, COPILOT_TOKEN, AUTOHEAL_SERVICE_URL."
    )
)
def heal(
    repo: Annotated[str, typer.Option("--repo", help="The repository, OWNER/NAME.")],
    run_id: Annotated[
        int, typer.Option("--run-id", help="The workflow run id (github.event.workflow_run.id).")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be done; write nothing to GitHub.")
    ] = False,
    allow_forks: Annotated[
        bool,
        typer.Option(
            "--allow-forks",
            help="Also heal runs whose head repository is a fork (their logs are "
            "attacker-controlled).",
        ),
    ] = False,
    threshold: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Confidence needed to re-run or open a fix PR; below it a needs-triage issue "
            "is opened. Default: the classifier's threshold.",
        ),
    ] = None,
) -> None:
    from service.remediation.cli import heal_command

    raise typer.Exit(heal_command(repo, run_id, dry_run, allow_forks, threshold))


@app.command("fake-github")
def fake_github(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
    demo: Annotated[
        bool, typer.Option("--demo/--empty", help="Seed demo repositories and runs.")
    ] = True,
) -> None:
    """Run the local GitHub REST stand-in (for demos and tests; it never talks to github.com)."""
    from service.fake_github import main as run_fake

    run_fake(host=host, port=port, demo=demo)


@app.command()
def report(
    days: Annotated[int, typer.Option(min=1, max=365, help="How many days back.")] = 30,
    database_url: Annotated[
        str | None, typer.Option("--database-url", help="Default: $AUTOHEAL_DATABASE_URL.")
    ] = None,
    threshold: Annotated[float | None, typer.Option(min=0.0, max=1.0)] = None,
) -> None:
    """Outcome rates against their targets, overall, per category and per repository."""
    from service.report_cli import report_command

    raise typer.Exit(report_command(days, database_url=database_url, threshold=threshold))


@app.command()
def validate(
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", help="pyproject.toml or autoheal.toml; default: found in the current dir."
        ),
    ] = None,
    repo: Annotated[
        str | None,
        typer.Option("--repo", help="OWNER/NAME for --heal; default $GITHUB_REPOSITORY."),
    ] = None,
    heal: Annotated[
        bool,
        typer.Option("--heal", help="Hand failures to remediation (issue, draft PR, Copilot)."),
    ] = False,
    report_dir: Annotated[
        Path, typer.Option("--report-dir", help="Where the JSON and Markdown reports go.")
    ] = Path(".autoheal/validate"),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="With --heal: print what would be done, write nothing."),
    ] = False,
    threshold: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="With --heal: confidence needed for a fix PR."),
    ] = None,
) -> None:
    """Run the declared checks (test commands, JSON Schema, datasets) and report failures.

    Exit codes: 0 all passed, 1 a check failed, 2 bad configuration or usage."""
    from autoheal.validate import validate_command

    code = validate_command(
        config,
        repo=repo,
        heal=heal,
        report_dir=report_dir,
        quiet=quiet,
        dry_run=dry_run,
        threshold=threshold,
    )
    raise typer.Exit(code)


@jobs_app.command("list")
def jobs_list(
    status: Annotated[
        str | None, typer.Option(help="Only jobs in this status: queued, running, done or dead.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many jobs to show.")] = 50,
    database_url: DatabaseOption = None,
) -> None:
    """List jobs, newest first, with their attempts and last error."""
    from service.jobs_cli import jobs_list as run_list

    raise typer.Exit(run_list(status=status, limit=limit, database_url=database_url))


@jobs_app.command("retry")
def jobs_retry(
    job_id: Annotated[int, typer.Argument(help="The id of a dead job.")],
    database_url: DatabaseOption = None,
) -> None:
    """Queue a dead job again, with a fresh set of attempts."""
    from service.jobs_cli import jobs_retry as run_retry

    raise typer.Exit(run_retry(job_id, database_url=database_url))


@jobs_app.command("prune")
def jobs_prune(
    days: Annotated[int, typer.Option(min=1, help="Keep this many days.")] = 30,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count; delete nothing.")] = False,
    database_url: DatabaseOption = None,
) -> None:
    """Delete old webhook deliveries and done jobs (failures, events and audit are kept)."""
    from service.jobs_cli import jobs_prune as run_prune

    raise typer.Exit(run_prune(days, database_url=database_url, dry_run=dry_run))


@dataset_app.command("generate")
def dataset_generate(
    n: Annotated[int, typer.Option("--n")] = 20_000,
    seed: Annotated[int, typer.Option()] = 13,
    out: Annotated[Path | None, typer.Option()] = None,
) -> None:
    """Write generated labelled logs as JSON Lines."""
    from datasets.generator import write_dataset
    from training.data import generated_path

    target = out or generated_path(Path("var/data"), n, seed)
    count = write_dataset(target, n, seed)
    typer.echo(f"wrote {count} logs to {target}")


@dataset_app.command("export")
def dataset_export(
    out: Annotated[Path, typer.Option(help="The JSON Lines file to write.")] = Path(
        "var/data/feedback.jsonl"
    ),
    database_url: DatabaseOption = None,
    if_exists: Annotated[
        bool,
        typer.Option("--if-exists", help="Do nothing when the SQLite database does not exist."),
    ] = False,
) -> None:
    """Write the categories people gave failures (and confirmed fixes) as a training dataset."""
    from service.feedback_export import export_command

    raise typer.Exit(export_command(out, database_url=database_url, if_exists=if_exists))


@dataset_app.command(
    "import",
    help="Pull the failed job logs of a GitHub repository's failed runs since a date, "
    "pre-label them with the current model and write them for review, least confident first "
    "(default var/data/review/OWNER__NAME-DATE.jsonl). Needs GITHUB_TOKEN (or a GitHub App); "
    "optional GITHUB_API_URL.",
)
def dataset_import(
    repo: Annotated[str, typer.Option("--repo", help="The repository, OWNER/NAME.")],
    since: Annotated[
        str, typer.Option("--since", help="Runs created on or after this date (YYYY-MM-DD).")
    ],
    limit: Annotated[int, typer.Option(min=1, help="Most failed runs to read.")] = 200,
    out: Annotated[Path | None, typer.Option(help="The review file to write.")] = None,
    model: ModelOption = None,
    max_log_mb: Annotated[
        float, typer.Option(min=0.01, help="Keep at most the last N MiB of each log.")
    ] = 64.0,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace an existing review file.")
    ] = False,
    update: Annotated[
        bool,
        typer.Option(
            "--update",
            help="Merge into the existing review file: its rows and labels stay, failures seen "
            "again are counted on their row, new ones are added to review.",
        ),
    ] = False,
) -> None:
    from datasets._import import import_command

    raise typer.Exit(
        import_command(
            repo,
            since,
            limit=limit,
            out=out,
            model_uri=_model_uri(model),
            max_log_mb=max_log_mb,
            overwrite=overwrite,
            update=update,
        )
    )


ChampionOutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        help="The local artifact rewritten with the new champion "
        "(default var/models/autoheal-classifier.joblib).",
    ),
]


@model_app.command("promote")
def model_promote(
    version: Annotated[str, typer.Argument(help="The registered model version, e.g. 7.")],
    force: Annotated[
        bool, typer.Option("--force", help="Promote even if worse than the champion.")
    ] = False,
    out: ChampionOutOption = None,
    n: Annotated[
        int | None, typer.Option("--n", help="The frozen set of `autoheal train --n N`.")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="... and of its --seed.")] = None,
) -> None:
    """Make VERSION the champion if it is at least as good on the frozen evaluation set
    (macro-F1 and precision at the threshold); exit 1 with both figures when it is worse."""
    from training.promote import promote_command

    raise typer.Exit(promote_command(version, force=force, out=out, n=n, seed=seed))


@model_app.command("rollback")
def model_rollback(out: ChampionOutOption = None) -> None:
    """Move the champion alias back to the previous champion."""
    from training.promote import rollback_command

    raise typer.Exit(rollback_command(out=out))


@model_app.command("list")
def model_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
) -> None:
    """Registered versions, newest first: frozen-set figures, and which one is champion."""
    from training.promote import list_command

    raise typer.Exit(list_command(as_json=as_json))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
