"""Render an assembled job in one CI system's log format.

``github_actions`` follows the Actions API byte for byte in its framing; ``gitlab``,
``jenkins``, ``azure`` and ``circleci`` follow their systems' console logs; ``plain``
is what a developer's terminal shows (commands and output, nothing else).
"""

from __future__ import annotations

from collections.abc import Callable

from datasets.generator._format_ci import render_gitlab, render_jenkins
from datasets.generator._format_github import render_github
from datasets.generator._format_other import (
    render_azure,
    render_circleci,
    render_plain,
)
from datasets.generator._formats_common import Rendered
from datasets.generator._job import Job
from datasets.generator._types import FORMATS

__all__ = ["FORMATS", "OTHER_CI", "RENDERERS", "Rendered", "render"]

RENDERERS: dict[str, Callable[[Job], Rendered]] = {
    "github_actions": render_github,
    "gitlab": render_gitlab,
    "jenkins": render_jenkins,
    "azure": render_azure,
    "circleci": render_circleci,
    "plain": render_plain,
}
assert tuple(RENDERERS) == FORMATS, "every format in _types.FORMATS needs a renderer"
OTHER_CI: tuple[str, ...] = ("gitlab", "jenkins", "azure", "circleci")


def render(job: Job, fmt: str) -> Rendered:
    """Render ``job`` as format ``fmt`` (one of :data:`FORMATS`)."""
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}") from None
    return renderer(job)
