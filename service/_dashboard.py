"""The ``/dashboard`` page: one self-contained HTML document (inline CSS and SVG, no script).

Everything shown comes from :class:`~service._stats.Stats`; every string from the database is
escaped (repository names and categories arrive in webhooks).
"""

from __future__ import annotations

import math
from html import escape
from typing import Final

from service._stats import RecentFailure, Stats
from service._svg import bar_chart, column_chart, histogram, line_chart
from service.outcomes import TITLES, FailureFacts, OutcomeRates, Rate

GOOD: Final = "#15803d"
BAD: Final = "#b91c1c"
NEUTRAL: Final = "#64748b"
RATE_COLORS: Final = {
    "issue_creation": "#2563eb",
    "pr_creation": "#7c3aed",
    "copilot_response": "#0d9488",
    "merge": "#ea580c",
    "fix_success": "#0891b2",
}

CSS: Final = """
*{box-sizing:border-box}
body{margin:0;background:#f5f7fb;color:#1f2937;font:14px/1.45 system-ui,-apple-system,
'Segoe UI',sans-serif}
header{background:#111827;color:#f9fafb;padding:18px 28px}
header h1{margin:0;font-size:20px;font-weight:600}
header p{margin:4px 0 0;color:#cbd5e1;font-size:13px}
main{padding:20px 28px 40px;max-width:1240px}
h2{font-size:15px;margin:26px 0 10px;color:#111827}
.tiles{display:grid;grid-template-columns:repeat(6,1fr);gap:12px}
.tile{background:#fff;border-radius:8px;padding:12px 14px;border-top:4px solid #64748b;
box-shadow:0 1px 2px rgba(0,0,0,.06)}
.tile .name{font-size:12px;color:#64748b;text-transform:uppercase;letter-spacing:.03em}
.tile .value{font-size:26px;font-weight:650;margin:2px 0}
.tile .detail{font-size:12px;color:#64748b}
.grid{display:grid;grid-template-columns:repeat(3,1fr);gap:14px}
.card{background:#fff;border-radius:8px;padding:12px 12px 6px;
box-shadow:0 1px 2px rgba(0,0,0,.06)}
.card h3{margin:0 0 6px;font-size:13px;font-weight:600;color:#374151}
.card svg{width:100%;height:auto;display:block}
.empty{background:#fff;border:2px dashed #cbd5e1;border-radius:8px;padding:28px;text-align:center;
color:#475569}
.empty strong{display:block;font-size:20px;color:#111827;margin-bottom:4px}
.paused{background:#fef2f2;border:1px solid #fecaca;color:#7f1d1d;border-radius:8px;
padding:10px 14px;margin-bottom:14px}
ul.failures{list-style:none;margin:0;padding:0;background:#fff;border-radius:8px;
box-shadow:0 1px 2px rgba(0,0,0,.06)}
ul.failures li{display:grid;grid-template-columns:220px 150px 70px 150px 1fr;gap:10px;
padding:8px 14px;border-bottom:1px solid #eef0f4;align-items:center}
ul.failures li:last-child{border-bottom:0}
.chip{display:inline-block;border-radius:10px;padding:1px 8px;background:#ede9fe;color:#5b21b6;
font-size:12px}
.muted{color:#64748b;font-size:12px}
.links a{margin-right:10px;color:#2563eb;text-decoration:none}
.links a:hover{text-decoration:underline}
.legend{font-size:12px;color:#64748b;margin:2px 0 0}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin:0 4px 0 10px;
vertical-align:-1px}
"""


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _color(verdict: bool | None) -> str:
    return NEUTRAL if verdict is None else (GOOD if verdict else BAD)


def _tile(name: str, value: str, detail: str, verdict: bool | None) -> str:
    return (
        f'<div class="tile" data-figure="{escape(name)}" style="border-top-color:{_color(verdict)}">'
        f'<div class="name">{escape(TITLES.get(name, name))}</div>'
        f'<div class="value" style="color:{_color(verdict)}">{escape(value)}</div>'
        f'<div class="detail">{escape(detail)}</div></div>'
    )


def _rate_tile(name: str, rate: Rate) -> str:
    target = "no target" if rate.target is None else f"target {_percent(rate.target)}"
    detail = f"{rate.numerator}/{rate.denominator} · {target}"
    return _tile(name, _percent(rate.value), detail, rate.meets_target)


def _tiles(overall: OutcomeRates) -> str:
    tiles = [_rate_tile(name, rate) for name, rate in overall.rates.items()]
    merge = overall.time_to_merge
    value = "–" if merge.median_hours is None else f"{merge.median_hours:.1f} h"
    p90 = "–" if merge.p90_hours is None else f"{merge.p90_hours:.1f} h"
    detail = f"median · p90 {p90} · target < {merge.target_hours:g} h"
    tiles.append(_tile("time_to_merge", value, detail, merge.meets_target))
    return f'<section class="tiles">{"".join(tiles)}</section>'


def _card(title: str, svg: str, legend: str = "") -> str:
    return f'<div class="card"><h3>{escape(title)}</h3>{svg}{legend}</div>'


def _trend_cards(stats: Stats) -> str:
    labels = [point.day.strftime("%m-%d") for point in stats.daily.points]
    cards = []
    for name, color in RATE_COLORS.items():
        target = stats.overall.rates[name].target
        svg = line_chart(
            f"rate-{name}",
            f"{TITLES[name]} per day against its target",
            labels,
            stats.daily.values(name),
            target=target,
            color=color,
        )
        cards.append(_card(f"{TITLES[name]} per day", svg))
    medians = [point.rates.time_to_merge.median_hours for point in stats.daily.points]
    target_hours = stats.overall.time_to_merge.target_hours
    highest = max([target_hours * 2, *(m for m in medians if m is not None)])
    top = math.ceil(highest / 12) * 12  # ticks at whole hours
    svg = line_chart(
        "time-to-merge",
        "Median hours from failure to merge, per day of first failure",
        labels,
        medians,
        target=target_hours,
        top_value=top,
        percent=False,
        unit=" h",
        color="#be185d",
    )
    cards.append(_card("Time to merge (median hours)", svg))
    return f'<section class="grid">{"".join(cards)}</section>'


def _volume_cards(stats: Stats) -> str:
    labels = [point.day.strftime("%m-%d") for point in stats.daily.points]
    failures = [point.rates.failures for point in stats.daily.points]
    issues = [point.issues_opened for point in stats.daily.points]
    legend = (
        '<p class="legend"><i style="background:#94a3b8"></i>new failures'
        '<i style="background:#2563eb"></i>issues opened</p>'
    )
    volume = _card(
        "Failures and issues per day",
        column_chart(
            "volume", "New failures and issues opened per day", labels, failures, overlay=issues
        ),
        legend,
    )
    categories = _card(
        "Failures by category",
        bar_chart("categories", "Failures per category", list(stats.categories.items())),
    )
    confidence = _card(
        "Confidence of the predictions",
        histogram(
            "confidence",
            "How many failures were classified at each confidence",
            stats.confidence,
            marker=stats.threshold,
        ),
    )
    return f'<section class="grid">{volume}{categories}{confidence}</section>'


def _recent_item(item: RecentFailure) -> str:
    f = item.facts
    links = []
    if item.issue_url:
        links.append(
            f'<a class="issue" href="{escape(item.issue_url)}">issue #{f.issue_number}</a>'
        )
    if item.pr_url:
        links.append(f'<a class="pr" href="{escape(item.pr_url)}">PR #{f.pr_number}</a>')
    if item.run_url:
        links.append(f'<a class="run" href="{escape(item.run_url)}">run {f.last_run_id}</a>')
    state = "resolved" if f.resolved_at else "merged" if f.merged_at else (f.action or "seen")
    seen = (f.last_seen or f.first_seen).strftime("%Y-%m-%d %H:%M UTC")
    return (
        "<li>"
        f"<span><strong>{escape(f.repository)}</strong><br>"
        f'<span class="muted">{escape(f.workflow or "workflow")} · ×{f.occurrences}</span></span>'
        f'<span><span class="chip">{escape(f.category)}</span>{_corrected(f)}</span>'
        f"<span>{f.confidence:.2f}</span>"
        f'<span class="muted">{escape(seen)}<br>{escape(state)}</span>'
        f'<span class="links">{"".join(links) or "<span class=muted>no links</span>"}</span>'
        "</li>"
    )


def _corrected(f: FailureFacts) -> str:
    """A note under a category a person corrected: what the model had said."""
    if f.model_category is None:
        return ""
    return f'<br><span class="muted">corrected; model said {escape(f.model_category)}</span>'


def _recent(stats: Stats) -> str:
    if not stats.recent:
        return '<p class="muted">No failures yet.</p>'
    items = "".join(_recent_item(item) for item in stats.recent)
    return f'<ul class="failures">{items}</ul>'


def _paused(stats: Stats) -> str:
    if not stats.paused:
        return ""
    rows = "".join(
        f"<div><strong>{escape(p.repository)}</strong>: automatic issue creation paused since "
        f"{p.paused_at:%Y-%m-%d %H:%M} UTC. {escape(p.reason or '')}</div>"
        for p in stats.paused
    )
    return f'<section class="paused">{rows}</section>'


def render_dashboard(stats: Stats) -> str:
    """The whole page."""
    generated = stats.generated_at.strftime("%Y-%m-%d %H:%M UTC")
    subtitle = (
        f"Last {stats.days} days since {stats.since:%Y-%m-%d} · {stats.overall.failures} "
        f"distinct failures · confidence threshold {stats.threshold:g} · generated {generated}"
    )
    empty = ""
    if stats.overall.failures == 0:
        empty = (
            '<section class="empty" id="no-failures"><strong>No failures yet</strong>'
            "When autoheal handles a failed run, its issue, pull request and outcome appear "
            "here.</section>"
        )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        "<title>autoheal · outcomes</title>"
        f"<style>{CSS}</style></head><body>"
        f"<header><h1>autoheal · outcomes</h1><p>{escape(subtitle)}</p></header><main>"
        f"{_paused(stats)}{empty}"
        f"<h2>Now, against targets</h2>{_tiles(stats.overall)}"
        f"<h2>Rates over time</h2>{_trend_cards(stats)}"
        f"<h2>Volume, categories and confidence</h2>{_volume_cards(stats)}"
        f'<h2>Recent failures</h2><section id="recent">{_recent(stats)}</section>'
        "</main></body></html>"
    )
