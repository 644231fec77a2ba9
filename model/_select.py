"""Choosing the evidence of a failing step: the root cause first, then what supports it.

Priority, until the evidence budget is spent:
1. the root cause: the earliest strong error in the step (a traceback or a failure header is
   followed to its exception line, which becomes the decisive line);
2. a little context around it (more when the root is weak: then the tail of the step before
   the failure is the best evidence there is);
3. the exit-code line, the last summary line and the first failing test;
4. the other clusters of errors, round-robin: the first line of each, then the second, ...;
   a line with the same shape as one already chosen (an echo about another file) is skipped.
"""

from __future__ import annotations

import re
from operator import attrgetter, itemgetter
from typing import Any, Final

import re2

from model import _scoring as scoring
from model._clusters import (
    CONTEXT_BEFORE,
    Candidate,
    Cluster,
    Context,
    Step,
    clean_after,
    clean_before,
)
from model._fast_re2 import match_function
from model._normalize import shape_key
from model.redact import fold_case

_ROOT_KINDS: Final = frozenset(
    {scoring.EXCEPTION, scoring.TRACEBACK, scoring.HEADER, scoring.FAILED_TEST, scoring.RUNNER}
)
_FOLLOW_LIMIT: Final[int] = 300  # how far a header or traceback head looks for its exception
_LOCATION: Final = re.compile(r"^\s*(?:-->|at |File \"|in |\S+:\d+)")
_MAX_LINE_IN_TEXT: Final[int] = 500
# Words that name why a request or an operation failed, more precisely than a generic error:
# a status code after a status word, or the words themselves. ASCII text is searched by re2
# (`_reason_ascii`). In other text, each part is searched only when the folded text
# (`fold_case`: what a case-insensitive pattern matches to an ASCII letter becomes that letter)
# holds a word that every match of the part holds: a line with `exit code` and a 4 or 5 in it
# pays for the short status part (10 µs), not for the whole alternation (40 µs, slow
# case-insensitively), and a line saying `timed out` for that part alone.
# The status part also needs the 4 or 5 of a status code (no other character matches `[45]`).
_STATUS_PART: Final = (
    ("status", "http", "response", "code"),
    r"(?:status(?: code)?|HTTP(?:/[\d.]+)?|response|code)[:=]? ?[45]\d\d\b",
)
_REASON_PARTS: Final[tuple[tuple[tuple[str, ...], str], ...]] = (
    _STATUS_PART,
    (
        (
            "too many", "forbidden", "unauthorized", "not found", "service unavailable",
            "bad gateway", "internal server error", "gateway time",
        ),
        r"\b[45]\d\d (?:Too Many|Forbidden|Unauthorized|Not Found|Service Unavailable"
        r"|Bad Gateway|Internal Server Error|Gateway Time)",
    ),
    (("too many",), r"Too Many Requests"),
    (("limit",), r"rate.limit"),
    (("throttl",), r"throttl"),
    (("connection ",), r"Connection (?:reset|refused|timed out|closed)"),
    (("timed out",), r"timed out"),
    (("permission denied",), r"Permission denied"),
    (("no space left",), r"No space left"),
    (
        ("econn", "etimedout", "enotfound", "eai_again", "eacces", "eperm", "enospc"),
        r"\bE(?:CONNRESET|CONNREFUSED|TIMEDOUT|NOTFOUND|AI_AGAIN|ACCES|PERM|NOSPC)\b",
    ),
    (("no such host",), r"\bno such host\b"),
    (("could not resolve host",), r"Could not resolve host"),
    (("name or service not known",), r"Name or service not known"),
)  # fmt: skip
_REASON: Final = re.compile("|".join(part for _, part in _REASON_PARTS), re.IGNORECASE)
_REASON_SEARCHES: Final = tuple(
    (part is _STATUS_PART[1], re.compile(part, re.IGNORECASE).search) for _, part in _REASON_PARTS
)


def _reason_ascii() -> Any:
    """The match function of `_REASON` compiled by re2, for ASCII bytes: on ASCII text it
    matches where `_REASON` does (`\\b`, `\\d` and case folding differ only beyond ASCII), in
    one linear pass instead of a case-insensitive backtracking search per alternative."""
    options = re2.Options()
    options.case_sensitive = False
    options.never_capture = True
    return match_function(re2.compile(_REASON.pattern, options))


_REASON_ASCII: Final = _reason_ascii()
_UNANCHORED: Final = re2._re2.RE2.Anchor.UNANCHORED
# Every hint with the index of its part: one flat pass of substring tests finds the parts worth
# searching (a generator per part cost more than the tests themselves).
_REASON_HINTS: Final = tuple(
    (hint, index) for index, (hints, _) in enumerate(_REASON_PARTS) for hint in hints
)
_REASON_SPAN: Final[int] = 2 * 8  # lines below the root cause searched for its reason
_NOT_WORDS: Final = frozenset({"", "}", "]", ")", "...", "…"})
_LINE: Final = attrgetter("line")
_LINE_OF_PAIR: Final = itemgetter(0)


class Selection:
    # A plain class (not a frozen dataclass): mypyc compiles its `__init__`. Never changed.
    lines: tuple[tuple[int, str], ...]  # by position
    decisive: str
    text: str

    def __init__(self, lines: tuple[tuple[int, str], ...], decisive: str, text: str) -> None:
        self.lines = lines
        self.decisive = decisive
        self.text = text


class _Budget:
    def __init__(self, step: Step, limit: int) -> None:
        self.start_line = step.start_line
        self.limit = limit
        self.chosen: dict[int, str] = {}
        self.shapes: set[str] = set()

    def full(self) -> bool:
        return len(self.chosen) >= self.limit

    def add(self, line: int, text: str) -> bool:
        chosen = self.chosen
        if len(chosen) >= self.limit or line < self.start_line:
            return False
        chosen.setdefault(line, text)
        return True

    def add_all(self, lines: Context | list[tuple[int, str]]) -> None:
        """`add` each of `lines` in turn."""
        chosen = self.chosen
        limit = self.limit
        start_line = self.start_line
        for line, text in lines:
            if len(chosen) >= limit:
                return  # full: nothing more is added
            if line >= start_line:
                chosen.setdefault(line, text)

    def add_candidate(
        self, cand: Candidate, *, dedupe: bool = True, after: Context | None = None
    ) -> bool:
        """`after`, when given, is `clean_after(cand.after)` (or its start), already at hand."""
        # Once full, nothing more is added: a shape noted then could never exclude anything.
        line = cand.line
        if line in self.chosen or len(self.chosen) >= self.limit:
            return False
        key = shape_key(cand.text)
        if dedupe and key in self.shapes:
            return False
        self.shapes.add(key)
        added = self.add(line, cand.text)
        if added and cand.kind == scoring.EXCEPTION and cand.after:
            first = clean_after(cand.after, 1) if after is None else after[:1]
            if first and _LOCATION.match(first[0][1]):
                self.add(*first[0])
        return added


def _effective_scores(items: list[Candidate]) -> dict[int, int]:
    """Scores by line; a traceback head inherits the demotion of its exception line."""
    scores = {c.line: c.effective for c in items}
    for i, cand in enumerate(items):
        if cand.kind != scoring.TRACEBACK:
            continue
        exc = _follow(items[i + 1 :], cand)
        if exc is not None and exc.passed_after:
            scores[cand.line] = cand.score - 45
    return scores


def _follow(later: list[Candidate], head: Candidate) -> Candidate | None:
    for cand in later:
        if cand.line - head.line > _FOLLOW_LIMIT:
            return None
        if cand.kind == scoring.EXCEPTION and cand.score >= scoring.STRONG:
            return cand
    return None


def _names_reason(text: str) -> bool:
    """Whether `_REASON` matches `text`: ASCII text (nearly every line) in one re2 pass, other
    text part by part, each part only when the text holds one of the words every match of that
    part contains."""
    if text.isascii():
        raw = text.encode("ascii")
        return bool(_REASON_ASCII(_UNANCHORED, raw, 0, len(raw))[0][0] >= 0)
    folded = fold_case(text)
    parts = {index for hint, index in _REASON_HINTS if hint in folded}
    if not parts:
        return False
    status_digit = "4" in text or "5" in text
    for index in sorted(parts):
        needs_status_digit, search = _REASON_SEARCHES[index]
        if needs_status_digit and not status_digit:
            continue
        if search(text) is not None:
            return True
    return False


def _first_naming_reason(texts: list[str]) -> int:
    """The index of the first of `texts` that names a reason (see `_names_reason`), or -1.

    Lines of ASCII text are searched at once, joined by newlines, in one re2 pass: no match of
    `_REASON` holds a newline, and a newline is a boundary just as the end of a text is, so the
    first match lies in the first text that has one and the newlines before it count the texts
    before that one."""
    joined = "\n".join(texts)
    if joined.isascii():
        raw = joined.encode("ascii")
        if raw.count(b"\n") == len(texts) - 1:  # no text holds a newline of its own
            start: int = _REASON_ASCII(_UNANCHORED, raw, 0, len(raw))[0][0]
            return raw.count(b"\n", 0, start) if start >= 0 else -1
    # The same text is often asked about twice (a candidate is also in the root's context).
    asked: set[str] = set()
    for index, text in enumerate(texts):
        if text not in asked:
            if _names_reason(text):
                return index
            asked.add(text)
    return -1


def _reason_nearby(
    root: Candidate,
    items: list[Candidate],
    said: list[str],
    root_after: Context,
    root_before: Context,
) -> list[tuple[int, str]]:
    """The line that names the specific reason (a status code, a refused connection), when
    the root cause does not and the reason follows it closely (a `Caused by:` chain, the
    status line a client prints after its generic failure) or stands just above it.

    `root_after` is `clean_after(root.after)`; `root_before` is `clean_before(root.before, n)`
    for some n >= 1 (its last line is the one just above the root)."""
    lo = root.line
    hi = lo + _REASON_SPAN
    after = [(c.line, c.text) for c in items if lo < c.line <= hi]
    after += root_after
    # The deepest cause of the chain: the last line naming a reason; of two texts of one line,
    # the later one (what a dict of the lines naming a reason would keep). A stable sort by
    # line, read backwards, gives exactly that order: line descending, then position descending.
    after.sort(key=_LINE_OF_PAIR)
    after.reverse()
    # What is already said first (then nothing is added), the line just above the root last.
    texts = [*said, *(text for _, text in after)]
    if root_before:
        texts.append(root_before[-1][1])
    first = _first_naming_reason(texts) - len(said)
    if first < 0:
        return []
    return [after[first]] if first < len(after) else [root_before[-1]]


# Lines kept before a wrapper's echo when nothing else was recognised.
_ECHO_LEAD = 3


def _pick_root(items: list[Candidate], scores: dict[int, int]) -> Candidate | None:
    for cand in items:
        if scores[cand.line] >= scoring.STRONG and cand.kind in _ROOT_KINDS:
            return cand
    pool = [c for c in items if c.kind != scoring.ECHO] or items
    if not pool:
        return None
    return max(pool, key=lambda c: (scores[c.line], -c.line))


def select_evidence(step: Step, max_evidence: int, max_chars: int) -> Selection:
    clusters = step.clusters()
    items = sorted((c for cl in clusters for c in cl.items), key=_LINE)
    summaries = sorted((cl.summary for cl in clusters if cl.summary), key=_LINE)
    scores = _effective_scores(items)
    budget = _Budget(step, max(1, max_evidence))

    root = _pick_root(items, scores)
    weak_root = root is None or scores[root.line] < scoring.STRONG
    decisive: list[Candidate] = []
    companions: list[tuple[int, str]] = []
    root_after: Context = ()
    root_before: Context = ()
    if root is not None:
        decisive.append(root)
        # The context around the root, cleaned once: `clean_after(root.after, n)` is the first
        # n lines of `root_after`, `clean_before(root.before, 1)` the last of `root_before`.
        root_after = clean_after(root.after)
        root_before = clean_before(root.before, CONTEXT_BEFORE if weak_root else 1)
        heading = root_after[:1] if root.text.rstrip().endswith(":") else ()
        if root.kind == scoring.HEADER and heading:
            # `* What went wrong:` announces its message on the next line.
            companions.append(heading[0])
        elif root.kind in (scoring.TRACEBACK, scoring.HEADER):
            later = [c for c in items if c.line > root.line]
            exc = _follow(later, root)
            if exc is not None:
                decisive.append(exc)
        said = [c.text for c in decisive] + [text for _, text in companions]
        companions += _reason_nearby(root, items, said, root_after, root_before)
    for cand in decisive:
        budget.add_candidate(cand, dedupe=False, after=root_after if cand is root else None)
    budget.add_all(companions)

    root_context: tuple[tuple[int, str], ...] = ()
    if root is not None:
        before = root_before
        if not weak_root:
            before = tuple(item for item in before if not scoring.is_noise(item[1]))
        root_context = (*before, *root_after)
        budget.add_all(root_context)
    exit_line = step.exit_line
    if exit_line is not None:
        budget.add(exit_line.line, exit_line.text)
    last_lines: Context | None = None
    if weak_root:
        # No recognisable error: the output just before the failure is the evidence.
        last_lines = _last_lines(step)
        budget.add_all(last_lines)
    if summaries:
        budget.add_candidate(summaries[-1], dedupe=False)
    failed_tests = [c for c in items if c.kind == scoring.FAILED_TEST]
    if failed_tests:
        budget.add_candidate(failed_tests[0])
    _add_round_robin(budget, clusters, summaries, scores)

    lines = tuple(sorted(budget.chosen.items()))
    heads = sorted([(c.line, c.text) for c in decisive] + companions)
    if root is not None and root.kind == scoring.ECHO and weak_root:
        # Only a wrapper's echo ("error Command failed with exit code 1.") was recognised: the
        # tool's own message, whatever its wording, is what it printed just before.
        lead = [item for item in root_context if item[0] < root.line and item[1].strip()]
        heads = sorted([*lead[-_ECHO_LEAD:], *heads])
    decisive_text = "\n".join(text for _, text in heads) or _last_words(
        _last_lines(step) if last_lines is None else last_lines
    )
    block = [root.line, *(n for n, _ in root_context)] if root is not None else [0]
    text = _feature_text(step, lines, (min(block), max(block)), max_chars)
    return Selection(lines, decisive_text, text)


def _add_round_robin(
    budget: _Budget, clusters: list[Cluster], summaries: list[Candidate], scores: dict[int, int]
) -> None:
    """The other clusters, round-robin: the first line of each (then every summary), then the
    second line of each, ... while the budget lasts."""
    by_line = [sorted(cl.items, key=_LINE) for cl in clusters]
    keep = scoring.KEEP
    for rank in range(max((len(cl.items) for cl in clusters), default=0)):
        if budget.full():
            break
        for ranked in by_line:
            if rank < len(ranked) and scores[ranked[rank].line] >= keep:
                budget.add_candidate(ranked[rank])
        if rank == 0:
            for summary in summaries:
                budget.add_candidate(summary)


def _last_lines(step: Step) -> tuple[tuple[int, str], ...]:
    """The step's output just before it ended or failed, cleaned."""
    if step.last_lines:
        return clean_before(step.last_lines)
    return clean_before(step.exit_line.before) if step.exit_line is not None else ()


def _last_words(last_lines: Context) -> str:
    """With no error line at all, the step's last output line before it failed (`last_lines`
    are `_last_lines(step)`) is the best headline there is (`Killed`, a vague message of a
    script, the last thing a tool said)."""
    for _, text in reversed(last_lines):
        if not scoring.is_noise(text) and text.strip() not in _NOT_WORDS:
            return text
    return ""


def _feature_text(
    step: Step, lines: tuple[tuple[int, str], ...], root_span: tuple[int, int], max_chars: int
) -> str:
    """Root-cause block first (it matters most to a classifier), then the rest by position."""
    lo, hi = root_span
    parts = [f"step: {step.name}"] if step.name else []
    rest: list[str] = []
    for n, t in lines:
        (parts if lo <= n <= hi else rest).append(t)
    parts += rest
    # Nearly always every part is short and all of them fit: nothing to cut.
    if sum(map(len, parts)) + len(parts) <= max_chars and (
        not parts or max(map(len, parts)) <= _MAX_LINE_IN_TEXT
    ):
        return "\n".join(parts)
    return _fitted(parts, max_chars)


def _fitted(parts: list[str], max_chars: int) -> str:
    """`parts`, each cut at `_MAX_LINE_IN_TEXT` characters, joined by newlines until
    `max_chars`; the part that does not fit is cut to the room left, if that is worth it."""
    out: list[str] = []
    size = 0
    for part in parts:
        part = part if len(part) <= _MAX_LINE_IN_TEXT else part[:_MAX_LINE_IN_TEXT] + " …"
        if size + len(part) + 1 > max_chars:
            room = max_chars - size - 1
            if room > 40:
                out.append(part[:room])
            break
        out.append(part)
        size += len(part) + 1
    return "\n".join(out)
