"""``autoheal report``: the outcome rates against their targets, as tables in the terminal."""

from __future__ import annotations

import datetime as dt

from rich.console import Console
from rich.table import Table

from service._stats import Stats, collect_stats
from service.outcomes import DEFAULT_THRESHOLD, RATE_NAMES, TITLES, OutcomeRates, Rate


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _verdict(ok: bool | None) -> str:
    return "[dim]–[/dim]" if ok is None else ("[green]ok[/green]" if ok else "[red]below[/red]")


def _rate_cell(rate: Rate) -> str:
    text = f"{_percent(rate.value)} ({rate.numerator}/{rate.denominator})"
    if rate.meets_target is False:
        return f"[red]{text}[/red]"
    return text


def _hours(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} h"


def overall_table(stats: Stats) -> Table:
    table = Table(title=f"Outcomes over the last {stats.days} days (since {stats.since:%Y-%m-%d})")
    for column in ("figure", "value", "samples", "target", "status"):
        table.add_column(column, justify="left" if column == "figure" else "right")
    for name, rate in stats.overall.rates.items():
        target = "–" if rate.target is None else f">= {rate.target:.0%}"
        table.add_row(
            TITLES[name],
            _percent(rate.value),
            f"{rate.numerator}/{rate.denominator}",
            target,
            _verdict(rate.meets_target),
        )
    merge = stats.overall.time_to_merge
    table.add_row(
        "Time to merge (median)",
        _hours(merge.median_hours),
        str(merge.samples),
        f"< {merge.target_hours:g} h",
        _verdict(merge.meets_target),
    )
    table.add_row("Time to merge (p90)", _hours(merge.p90_hours), str(merge.samples), "", "")
    return table


def breakdown_table(title: str, groups: dict[str, OutcomeRates]) -> Table:
    table = Table(title=title)
    table.add_column(title.split()[-1], justify="left")
    table.add_column("failures", justify="right")
    for name in RATE_NAMES:
        table.add_column(TITLES[name], justify="right")
    table.add_column("median to merge", justify="right")
    for group, rates in groups.items():
        table.add_row(
            group,
            str(rates.failures),
            *(_rate_cell(rates.rates[name]) for name in RATE_NAMES),
            _hours(rates.time_to_merge.median_hours),
        )
    return table


def render_report(stats: Stats, console: Console) -> None:
    if stats.overall.failures == 0:
        console.print(f"No failures in the last {stats.days} days.")
    console.print(overall_table(stats))
    if stats.by_category:
        console.print(breakdown_table("Per category", stats.by_category))
    if stats.by_repository:
        console.print(breakdown_table("Per repository", stats.by_repository))
    agreement = stats.feedback
    if agreement.labelled or agreement.confirmed_fixes:
        console.print(
            f"People labelled {agreement.labelled} failures and kept the model's category for "
            f"{agreement.agreed} ({_percent(agreement.agreement)}); "
            f"{agreement.confirmed_fixes} more were confirmed by a merged fix and a green run.",
            markup=False,
            highlight=False,
        )
        for model, people, count in agreement.corrections:
            console.print(f"  {model} -> {people}: {count}", markup=False, highlight=False)
    for paused in stats.paused:
        console.print(
            f"[red]paused[/red] {paused.repository} since {paused.paused_at:%Y-%m-%d %H:%M} UTC: "
            f"{paused.reason or ''}",
            markup=True,
            highlight=False,
        )


def configured_threshold() -> float:
    """``AUTOHEAL_THRESHOLD`` as the service reads it (the default when unset or invalid)."""
    from pydantic import ValidationError

    from service.settings import Settings

    try:
        return Settings().threshold
    except ValidationError:
        return DEFAULT_THRESHOLD


def report_command(
    days: int = 30,
    *,
    database_url: str | None = None,
    threshold: float | None = None,
    console: Console | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Print the report; the exit code (0, or 2 when the database cannot be read). The
    database is ``AUTOHEAL_DATABASE_URL`` (default ``sqlite:///var/autoheal.db``) unless given."""
    from service.storage import Database, InvalidInput, default_database_url

    console = console or Console()
    url = database_url or default_database_url()
    try:
        db = Database(url)
    except InvalidInput as exc:
        console.print(f"autoheal: {exc}", markup=False)
        return 2
    try:
        db.upgrade()
        stats = collect_stats(
            db,
            threshold=configured_threshold() if threshold is None else threshold,
            days=days,
            now=now,
        )
    except Exception as exc:  # unreachable or broken database: say so, no traceback
        console.print(f"autoheal: cannot read {db!r}: {type(exc).__name__}: {exc}", markup=False)
        return 2
    finally:
        db.dispose()
    render_report(stats, console)
    return 0
