"""The dashboard rendered by a real headless Chromium against a real uvicorn, with data and
without; the screenshots are checked (decoded) and kept under ``var/screenshots/``."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from tests._service_support import live_server
from tests.dashboard_support import make_app

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[1] / "var" / "screenshots"
WIDTH, HEIGHT = 1280, 1600

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="chromium is not installed (apt-get update && apt-get install -y chromium)",
)


def chromium(profile: Path, *arguments: str) -> subprocess.CompletedProcess[bytes]:
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        f"--window-size={WIDTH},{HEIGHT}",
        *arguments,
    ]
    return subprocess.run(command, capture_output=True, timeout=90, check=False)


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and unfiltered rows of an 8-bit RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, idat = 8, b""
    width = height = channels = 0
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6), f"unexpected PNG format {depth=} {color=}"
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        filter_type, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if filter_type == 1:
                line[i] = (line[i] + left) & 0xFF
            elif filter_type == 2:
                line[i] = (line[i] + up) & 0xFF
            elif filter_type == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif filter_type == 4:
                guess = left + up - corner
                pa, pb, pc = abs(guess - left), abs(guess - up), abs(guess - corner)
                best = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + best) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, [row if channels == 3 else _rgb(row) for row in rows]


def _rgb(row: bytes) -> bytes:
    return b"".join(row[i : i + 3] for i in range(0, len(row), 4))


def colour_stats(rows: list[bytes], step: int = 4) -> tuple[int, float]:
    """Distinct colours, and the share of pixels unlike the most common one (sampled)."""
    counts: dict[bytes, int] = {}
    for row in rows[::step]:
        for x in range(0, len(row), 3 * step):
            pixel = row[x : x + 3]
            counts[pixel] = counts.get(pixel, 0) + 1
    total = sum(counts.values())
    return len(counts), 1.0 - max(counts.values()) / total


@pytest.mark.parametrize("seeded", [True, False], ids=["with-data", "without-data"])
def test_chromium_renders_the_dashboard(tmp_path: Path, seeded: bool) -> None:
    app = make_app(tmp_path / "app", seeded=seeded)
    shot = tmp_path / "dash.png"
    with live_server(app) as base_url:
        url = f"{base_url}/dashboard"
        rendered = chromium(tmp_path / "profile", f"--screenshot={shot}", url)
        assert shot.exists(), rendered.stderr.decode(errors="replace")[-2000:]
        dom = chromium(tmp_path / "profile-dom", "--dump-dom", url)
    page = dom.stdout.decode("utf-8", errors="replace")
    for chart in ("rate-issue_creation", "rate-merge", "time-to-merge", "categories", "confidence"):
        assert f'data-chart="{chart}"' in page
    assert ("No failures yet" in page) is (not seeded)
    assert ("<polyline" in page) is seeded
    data = shot.read_bytes()
    width, height, rows = decode_png(data)
    assert (width, height) == (WIDTH, HEIGHT)
    colours, busy = colour_stats(rows)
    assert colours > 20, "the screenshot is (nearly) a single colour"
    assert busy > (0.2 if seeded else 0.1), (
        f"only {busy:.0%} of the page differs from its background"
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = "dashboard.png" if seeded else "dashboard-empty.png"
    shutil.copyfile(shot, SCREENSHOTS / name)
