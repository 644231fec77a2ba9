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
    help="Labelled logs: generate and inspect datasets.", no_args_is_help=True
)
app.add_typer(dataset_app, name="dataset")
jobs_app = typer.Typer(
    help="The service's durable jobs: list them, retry dead ones.", no_args_is_help=True
)
app.add_typer(jobs_app, name="jobs")
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
) -> None:
    """Generate data, fit, calibrate, evaluate, log to MLflow, and promote if not worse."""
    from datasets.records import DatasetError
    from training.config import TrainConfig
    from training.run import train as run_train

    config = TrainConfig(
        n_generated=n, seed=seed, extra_data=list(data or []), log_to_mlflow=not no_mlflow
    )
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
        "failures. Needs GITHUB_TOKEN; optional GITHUB_API_URL, COPILOT_TOKEN, "
        "AUTOHEAL_SERVICE_URL."
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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
