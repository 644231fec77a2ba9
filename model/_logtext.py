"""Line-level reading of CI logs: decoding, cleaning, format detection and step boundaries.

Everything here works on one line at a time (or on the first chunk of a log for format
detection), so it can be applied to the few lines the extractor keeps without ever holding the
whole log in memory.
"""

from __future__ import annotations

import importlib
import re
from types import ModuleType
from typing import Any, Final

import re2


def _optional_module(name: str) -> ModuleType | None:
    """A compiled module of the package, or None when it was not built. (Typed as optional:
    mypyc, which compiles this module, trusts the types it is given.)"""
    try:
        return importlib.import_module(name)
    except ImportError:  # pragma: no cover - depends on the build
        return None


# `clean_line` for ASCII lines in C; without a compiler the Python code below runs.
_cclean: ModuleType | None = _optional_module("model._cclean")
# `detect_format` in C: a scan for the probes' literals, same answers as the re2 set.
_cformat: ModuleType | None = _optional_module("model._cformat")

LOG_FORMATS: Final[tuple[str, ...]] = (
    "github_actions",
    "gitlab",
    "jenkins",
    "azure",
    "circleci",
    "plain",
)

BOM: Final[str] = "\ufeff"

# GitHub/Azure prefix every line with an ISO timestamp carrying 7 fractional digits; Jenkins'
# timestamper plugin writes `[2024-01-01T00:00:00.000Z] ` or `[12:00:00] `.
_TIMESTAMP_PREFIX: Final = re.compile(
    r"^(?:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)? ?"
    r"|\[\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?Z?\] ?"
    r"|\[\d\d:\d\d:\d\d(?:\.\d+)?\] )"
)
# CSI sequences (colours, erase-line), OSC sequences (titles, hyperlinks) and stray ESC pairs.
_ANSI: Final = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]|\x9b[0-?]*[ -/]*[@-~]"
)
# Control characters other than tab; NUL and friends come from binary garbage or terminals.
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_GITLAB_SECTION: Final = re.compile(r"section_(start|end):(\d+):([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?")


def decode_line(raw: bytes) -> str:
    """Decode one raw line; broken UTF-8 becomes U+FFFD, never an exception."""
    return raw.decode("utf-8", errors="replace")


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


def clean_line(raw: bytes | str) -> str:
    """Return the human-visible text of one log line.

    Removes the BOM, the line terminator, timestamp prefixes, ANSI escapes, GitLab section
    markers and control characters. A lone CR (progress bars redrawn in place) keeps only what
    the terminal would finally show: the last non-empty segment.
    """
    if _cclean is not None:
        text: str | None = _cclean.clean_line(raw)  # None unless the line is ASCII
        if text is not None:
            return text
    return _clean_line_python(raw)


def _clean_line_python(raw: bytes | str) -> str:
    """`clean_line` with regular expressions: the reference, and the only code for a line that
    is not ASCII."""
    text = decode_line(raw) if isinstance(raw, bytes) else raw
    text = text.rstrip("\r\n")
    if text.startswith(BOM):
        text = text[1:]
    if len(text) > 29 and text[10] == "T" and text[27] == "Z" and text[28] == " ":
        text = text[29:]  # the GitHub prefix, by far the most common: skip the regex
    elif text[:1].isdigit() or text.startswith("["):
        text = _TIMESTAMP_PREFIX.sub("", text, count=1)
    if "section_" in text:
        text = _GITLAB_SECTION.sub("", text)
    if "\x1b" in text or "\x9b" in text:
        text = _ANSI.sub("", text)
    if "\r" in text:
        segments = [s for s in text.split("\r") if s.strip()]
        text = segments[-1] if segments else ""
        text = _TIMESTAMP_PREFIX.sub("", text, count=1)
    if not text.isprintable():
        text = _CONTROL.sub("", text)
    return text.rstrip()


# Format detection looks at the start of a log only: each format announces itself early. The
# first format in this order whose probe matches wins. The probes run as one re2 set (a single
# pass), or in `model._cformat` as one scan for the bytes each of them starts with.
_FORMAT_PROBES: Final[tuple[tuple[str, bytes], ...]] = (
    ("azure", rb"##\[section\](?:Starting|Finishing): |##vso\["),
    ("gitlab", rb"section_start:\d+:|Running with gitlab-runner|ERROR: Job failed"),
    ("jenkins", rb"\[Pipeline\] |Started by (?:user|an SCM|timer|upstream)|Finished: [A-Z]{4,}"),
    ("circleci", rb"#!/bin/(?:ba)?sh -eo pipefail|Exited with code exit status|CircleCI"),
    (
        "github_actions",
        rb"(?m:^)(?:" + BOM.encode() + rb")?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z "
        rb"|##\[(?:group|endgroup|error|warning|notice|command)\]",
    ),
)
FORMAT_PROBE_BYTES: Final[int] = 64 * 1024


def _probe_set() -> Any:
    probes = re2.Set.SearchSet(re2.Options())
    for _, pattern in _FORMAT_PROBES:
        probes.Add(pattern)
    probes.Compile()
    return probes


_PROBES: Final[Any] = _probe_set()


def detect_format(head: bytes | str) -> str:
    """Name the CI system that wrote a log, from its first bytes (64 KB are read)."""
    if _cformat is not None and isinstance(head, (bytes, bytearray)):
        index = _cformat.format_index(head[:FORMAT_PROBE_BYTES])
        return _FORMAT_PROBES[index][0] if index >= 0 else "plain"
    return _detect_format_re2(head)


def _detect_format_re2(head: bytes | str) -> str:
    """`detect_format` with the re2 set: the reference, and the code without the C module."""
    hits = _PROBES.Match(head[:FORMAT_PROBE_BYTES]) or ()
    for index, (name, _) in enumerate(_FORMAT_PROBES):
        if index in hits:
            return name
    return "plain"


class Marker:
    """A structural line: where steps begin and end, and how the job ended.

    kind is one of: "step" (a step begins, `name` set), "header_end" (the step's echoed
    command block ends), "end" (a step ends), "failure" (a step or job failed, `exit_code` when
    the log states it), "command" (a command is echoed inside a step, `name` is the command).
    `states_reason` is set on a failure line that says why (`Job failed (system failure): ...`)
    rather than only how the step ended: such a line is evidence as well as structure.
    """

    # A plain class (not a frozen dataclass): mypyc compiles its `__init__`. Never changed.
    kind: str
    name: str | None
    exit_code: int | None
    states_reason: bool

    def __init__(
        self,
        kind: str,
        name: str | None = None,
        exit_code: int | None = None,
        states_reason: bool = False,
    ) -> None:
        self.kind = kind
        self.name = name
        self.exit_code = exit_code
        self.states_reason = states_reason


_EXIT_CODE: Final = re.compile(
    r"(?:exit(?:ed)?(?: with)? (?:code|status)|exit code:?|returned exit code)\s*'?(\d+)",
    re.IGNORECASE,
)


def exit_code_of(text: str) -> int | None:
    """The exit code a line states (`exit code 2`, `exited with status 1`), else None."""
    match = _EXIT_CODE.search(text)
    return int(match.group(1)) if match else None


def _github_marker(text: str) -> Marker | None:
    if text.startswith("##[group]"):
        title = text[len("##[group]") :].strip()
        if title.startswith("Run "):
            return Marker("step", title)
        return None
    if text.startswith("##[endgroup]"):
        return Marker("header_end")
    if text.startswith("##[error]"):
        code = exit_code_of(text)
        if code is not None and "Process completed" in text:
            return Marker("failure", exit_code=code)
        return Marker("failure") if "exit code" in text else None
    if text.startswith("Post job cleanup."):
        return Marker("step", "Post job cleanup")
    return None


def _azure_marker(text: str) -> Marker | None:
    if text.startswith("##[section]Starting: "):
        return Marker("step", text[len("##[section]Starting: ") :].strip())
    if text.startswith("##[section]Finishing: "):
        return Marker("end")
    if text.startswith("##[error]"):
        code = exit_code_of(text)
        if code is not None or "failed" in text.lower():
            return Marker("failure", exit_code=code)
    return _github_marker(text) if text.startswith("##[group]Run ") else None


def _gitlab_marker(raw_text: str, text: str) -> Marker | None:
    section = _GITLAB_SECTION.search(raw_text)
    if section is not None:
        if section.group(1) == "start":
            return Marker("step", section.group(3))
        return Marker("end")
    if text.startswith("ERROR: Job failed"):
        code = exit_code_of(text)
        return Marker("failure", exit_code=code, states_reason=code is None)
    if text.startswith("$ "):
        return Marker("command", text[2:].strip())
    return None


_JENKINS_STAGE: Final = re.compile(r"^\[Pipeline\] \{ \((.+)\)\s*$")


def _jenkins_marker(text: str) -> Marker | None:
    stage = _JENKINS_STAGE.match(text)
    if stage is not None:
        return Marker("step", stage.group(1))
    if text.startswith("Finished: ") and text[len("Finished: ") :].strip() in (
        "FAILURE",
        "UNSTABLE",
        "ABORTED",
    ):
        return Marker("failure")
    if text.startswith("ERROR: script returned exit code"):
        return Marker("failure", exit_code=exit_code_of(text))
    return None


def _circleci_marker(text: str) -> Marker | None:
    if text.startswith("#!/bin/"):
        return Marker("step", None)
    if text.startswith("Exited with code"):
        return Marker("failure", exit_code=exit_code_of(text))
    return None


def parse_marker(raw_text: str, text: str, log_format: str) -> Marker | None:
    """Classify a cleaned line as a structural marker of `log_format`, or None.

    raw_text is the decoded line before cleaning (GitLab section markers live in it).
    """
    if log_format == "github_actions":
        return _github_marker(text)
    if log_format == "azure":
        return _azure_marker(text)
    if log_format == "gitlab":
        return _gitlab_marker(raw_text, text)
    if log_format == "jenkins":
        return _jenkins_marker(text)
    if log_format == "circleci":
        return _circleci_marker(text)
    return None


# Bytes that may start a structural marker in any format; the extractor's prefilter includes it.
STRUCTURE_PATTERN: Final[bytes] = (
    rb"##\[(?:group|endgroup|error|section)\]"
    rb"|section_(?:start|end):\d"
    rb"|\[Pipeline\] \{ \("
    rb"|Post job cleanup\."
    rb"|#!/bin/(?:ba)?sh "
    rb"|Exited with code"
    rb"|Finished: [A-Z]{4,}"
    rb"|ERROR: Job failed"
    rb"|ERROR: script returned exit code"
    rb"|(?m:^)(?:\d{4}-\d\d-\d\dT[\d:.]+Z )?\$ "
)
