"""Small inline SVG charts drawn on the server: no script, no external request.

Every chart is an ``<svg class="chart" data-chart=NAME>`` with a ``<title>`` for screen readers;
text is escaped. Values of None are gaps (a day without samples), not zeros.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Final

AXIS: Final = "#8a94a6"
GRID: Final = "#e6e9ef"
TARGET: Final = "#d14343"
INK: Final = "#1f2937"
FONT: Final = 'font-family="system-ui,-apple-system,Segoe UI,sans-serif"'


@dataclass(frozen=True)
class Frame:
    """The plot area inside a chart of ``width`` x ``height`` pixels."""

    width: int
    height: int
    left: int = 44
    right: int = 12
    top: int = 14
    bottom: int = 26

    @property
    def inner_width(self) -> float:
        return float(self.width - self.left - self.right)

    @property
    def inner_height(self) -> float:
        return float(self.height - self.top - self.bottom)

    def x(self, index: int, count: int) -> float:
        if count <= 1:
            return self.left + self.inner_width / 2
        return self.left + self.inner_width * index / (count - 1)

    def y(self, value: float, top_value: float) -> float:
        ratio = 0.0 if top_value <= 0 else min(max(value / top_value, 0.0), 1.0)
        return self.top + self.inner_height * (1.0 - ratio)


def _open(name: str, title: str, frame: Frame) -> list[str]:
    return [
        f'<svg class="chart" data-chart="{escape(name)}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {frame.width} {frame.height}" '
        f'width="{frame.width}" height="{frame.height}" {FONT} font-size="11">',
        f"<title>{escape(title)}</title>",
    ]


def _text(x: float, y: float, text: str, *, anchor: str = "middle", fill: str = AXIS) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}">{escape(text)}</text>'
    )


def _empty(parts: list[str], frame: Frame, message: str) -> str:
    x, y = frame.left + frame.inner_width / 2, frame.top + frame.inner_height * 0.35
    # A backing box keeps the message readable over grid and target lines.
    parts.append(
        f'<rect x="{x - 55:.1f}" y="{y - 13:.1f}" width="110" height="19" rx="3" fill="#fff"/>'
    )
    parts.append(_text(x, y, message, fill=AXIS).replace("<text ", '<text class="no-data" ', 1))
    parts.append("</svg>")
    return "".join(parts)


def _y_axis(
    parts: list[str], frame: Frame, top_value: float, ticks: Sequence[float], fmt: str
) -> None:
    for tick in ticks:
        y = frame.y(tick, top_value)
        parts.append(
            f'<line x1="{frame.left}" x2="{frame.width - frame.right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}"/>'
        )
        parts.append(_text(frame.left - 6, y + 4, fmt.format(tick), anchor="end"))


def _x_labels(parts: list[str], frame: Frame, labels: Sequence[str], every: int) -> None:
    last = len(labels) - 1
    for index, label in enumerate(labels):
        if index == last:
            x = frame.x(index, len(labels))
            parts.append(_text(x, frame.height - 8, label, anchor="end" if last else "middle"))
        elif index % every == 0 and last - index >= every / 2:  # keep clear of the last label
            parts.append(_text(frame.x(index, len(labels)), frame.height - 8, label))


def line_chart(
    name: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    target: float | None = None,
    top_value: float = 1.0,
    percent: bool = True,
    unit: str = "",
    color: str = "#2563eb",
    width: int = 380,
    height: int = 170,
) -> str:
    """A daily series with a dashed target line; None values break the line."""
    frame = Frame(width, height)
    parts = _open(name, title, frame)
    fmt = "{:.0%}" if percent else "{:g}"
    ticks = [top_value * step / 4 for step in range(5)]
    _y_axis(parts, frame, top_value, ticks, fmt)
    _x_labels(parts, frame, labels, max(1, len(labels) // 5))
    if target is not None:
        y = frame.y(target, top_value)
        label = f"target {fmt.format(target)}{unit}"
        # Near the top the label goes under the line, where the data rarely is.
        label_y = y + 13 if target >= top_value * 0.85 else y - 4
        parts.append(
            f'<line class="target" x1="{frame.left}" x2="{frame.width - frame.right}" '
            f'y1="{y:.1f}" y2="{y:.1f}" stroke="{TARGET}" stroke-width="1.5" '
            'stroke-dasharray="5 4"/>'
        )
        parts.append(
            _text(frame.width - frame.right - 2, label_y, label, anchor="end", fill=TARGET)
        )
    if all(value is None for value in values):
        return _empty(parts, frame, "no data yet")
    segments: list[list[tuple[float, float]]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            if segments[-1]:
                segments.append([])
            continue
        segments[-1].append((frame.x(index, len(values)), frame.y(value, top_value)))
    for segment in segments:
        if len(segment) > 1:
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
            parts.append(
                f'<polyline class="series" points="{points}" fill="none" stroke="{color}" '
                'stroke-width="2" stroke-linejoin="round"/>'
            )
        for x, y in segment:
            parts.append(
                f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{color}"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _nice_top(value: float) -> float:
    """A round axis maximum at or above ``value``."""
    if value <= 4:
        return 4.0  # whole-number ticks for small counts
    magnitude = float(10 ** len(str(int(value)))) / 10
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return value


def column_chart(
    name: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[int],
    *,
    overlay: Sequence[int] | None = None,
    color: str = "#94a3b8",
    overlay_color: str = "#2563eb",
    width: int = 380,
    height: int = 170,
) -> str:
    """Counts per day as columns; ``overlay`` (e.g. issues opened) as narrower columns on top."""
    frame = Frame(width, height)
    parts = _open(name, title, frame)
    top_value = _nice_top(max([*values, *(overlay or [])], default=0))
    _y_axis(parts, frame, top_value, [top_value * s / 4 for s in range(5)], "{:g}")
    _x_labels(parts, frame, labels, max(1, len(labels) // 5))
    if not any(values) and not any(overlay or []):
        return _empty(parts, frame, "no failures yet")
    slot = frame.inner_width / max(1, len(values))
    for index, value in enumerate(values):
        x = frame.left + slot * index
        y = frame.y(value, top_value)
        parts.append(
            f'<rect class="bar" x="{x + slot * 0.1:.1f}" y="{y:.1f}" width="{slot * 0.8:.1f}" '
            f'height="{frame.top + frame.inner_height - y:.1f}" fill="{color}"/>'
        )
        if overlay is not None and overlay[index]:
            oy = frame.y(overlay[index], top_value)
            parts.append(
                f'<rect class="bar overlay" x="{x + slot * 0.3:.1f}" y="{oy:.1f}" '
                f'width="{slot * 0.4:.1f}" height="{frame.top + frame.inner_height - oy:.1f}" '
                f'fill="{overlay_color}"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(
    name: str,
    title: str,
    items: Sequence[tuple[str, int]],
    *,
    color: str = "#7c3aed",
    width: int = 380,
    row_height: int = 20,
) -> str:
    """Horizontal bars, one per labelled count (e.g. failures per category)."""
    label_width = 130
    height = max(60, 16 + row_height * len(items))
    frame = Frame(width, height, left=label_width, right=36, top=8, bottom=8)
    parts = _open(name, title, frame)
    if not items:
        return _empty(parts, frame, "no failures yet")
    top_value = max(count for _, count in items) or 1
    for index, (label, count) in enumerate(items):
        y = frame.top + row_height * index
        length = frame.inner_width * count / top_value
        parts.append(_text(label_width - 8, y + row_height * 0.7, label, anchor="end", fill=INK))
        parts.append(
            f'<rect class="bar" x="{label_width}" y="{y + 3:.1f}" width="{max(length, 1):.1f}" '
            f'height="{row_height - 6}" rx="2" fill="{color}"/>'
        )
        parts.append(
            _text(label_width + length + 4, y + row_height * 0.7, str(count), anchor="start")
        )
    parts.append("</svg>")
    return "".join(parts)


def histogram(
    name: str,
    title: str,
    counts: Sequence[int],
    *,
    marker: float | None = None,
    marker_label: str = "threshold",
    color: str = "#0d9488",
    width: int = 380,
    height: int = 170,
) -> str:
    """Counts in equal bins over [0, 1], with a vertical line at ``marker``."""
    frame = Frame(width, height)
    parts = _open(name, title, frame)
    top_value = _nice_top(max(counts, default=0))
    _y_axis(parts, frame, top_value, [top_value * s / 4 for s in range(5)], "{:g}")
    bins = max(1, len(counts))
    for step in range(0, 11, 2):
        x = frame.left + frame.inner_width * step / 10
        parts.append(_text(x, frame.height - 8, f"{step / 10:.1f}"))
    if marker is not None:
        x = frame.left + frame.inner_width * marker
        parts.append(
            f'<line class="target" x1="{x:.1f}" x2="{x:.1f}" y1="{frame.top}" '
            f'y2="{frame.top + frame.inner_height:.1f}" stroke="{TARGET}" stroke-dasharray="5 4"/>'
        )
        parts.append(
            _text(x - 4, frame.top + 10, f"{marker_label} {marker:g}", anchor="end", fill=TARGET)
        )
    if not any(counts):
        return _empty(parts, frame, "no failures yet")
    slot = frame.inner_width / bins
    for index, count in enumerate(counts):
        y = frame.y(count, top_value)
        parts.append(
            f'<rect class="bar" x="{frame.left + slot * index + 1:.1f}" y="{y:.1f}" '
            f'width="{slot - 2:.1f}" height="{frame.top + frame.inner_height - y:.1f}" '
            f'fill="{color}"/>'
        )
    parts.append("</svg>")
    return "".join(parts)
