"""Streaming scan of one log: steps, failure markers and bounded sets of candidate lines.

The scanner never holds more than one chunk (a few MB) of the log. A re2 prefilter finds the
lines worth scoring; line numbers come from counting newlines between them. What it keeps per
step (bounded clusters of candidate lines) is defined in :mod:`model._clusters`.
"""

from __future__ import annotations

from collections import deque
from typing import Final

from re2 import _re2

from model import _scoring as scoring
from model._clusters import (
    CLUSTER_GAP,
    CONTEXT_AFTER,
    CONTEXT_BEFORE,
    Candidate,
    RawContext,
    Step,
    clean_after,
    cut,
    has_output,
)
from model._fast_re2 import Re2Starts
from model._lines import (
    ENDGROUP_LINE_BYTES,
    after_newlines,
    before_newlines,
    count_newlines,
    failing_step_start,
    find_newline,
    is_github_endgroup,
    rfind_newline,
    tail_of_block,
)
from model._logtext import Marker, clean_line, exit_code_of, parse_marker

FLOOD: Final[int] = 4000  # after this many candidates a step is scanned for strong ones only
_PASS_WINDOW_LINES: Final[int] = 6
_RAW_BEFORE: Final[int] = CONTEXT_BEFORE + 4  # a few spare lines, some may be blank
# The last lines of a log are kept: when no line of the last step was strong and no failure
# was reported (a pasted excerpt, a terminal session), the end is where the run stopped.
_END_LINES: Final[int] = 4 * CLUSTER_GAP
_RAW_AFTER: Final[int] = CONTEXT_AFTER + 2
# GitLab sections that run after the job script failed: their errors (no artifacts to upload)
# are consequences, never the cause.
_GITLAB_AFTER_FAILURE: Final[frozenset[str | None]] = frozenset(
    {"upload_artifacts_on_failure", "archive_cache_on_failure", "cleanup_file_variables"}
)
# CI systems that report a failure after the step that caused it ended.
_BLAMES_EARLIER: Final[frozenset[str]] = frozenset({"gitlab", "jenkins"})
# The prefilters, asked only where their matches start.
_FULL: Final = Re2Starts(scoring.FULL_PREFILTER)
_STRONG: Final = Re2Starts(scoring.STRONG_PREFILTER)
_FLOOD: Final = Re2Starts(scoring.FLOOD_PREFILTER)
_PASS_AFTER: Final = Re2Starts(scoring.PASS_AFTER)
_FAIL_AFTER: Final = Re2Starts(scoring.FAIL_AFTER)
_UNANCHORED: Final = _re2.RE2.Anchor.UNANCHORED
# Up to this distance, counting the lines between two offsets is cheaper than walking back.
_SHORT_GAP_BYTES: Final[int] = 2048
# Bytes at the end of a block that usually hold its last _END_LINES lines.
_TAIL_PROBE_BYTES: Final[int] = 8 * 1024
# The lengths `is_github_endgroup` accepts: other lines need no call.
_ENDGROUP_LINE_LENGTHS: Final[tuple[int, int]] = (ENDGROUP_LINE_BYTES, ENDGROUP_LINE_BYTES + 1)
# Every line `_github_marker` reads as a marker starts with one of these.
_GITHUB_MARKER_STARTS: Final[tuple[str, ...]] = (
    "##[group]",
    "##[endgroup]",
    "##[error]",
    "Post job cleanup.",
)


class LogScanner:
    """Feed blocks of complete lines with `feed`, then call `finish`."""

    def __init__(self, log_format: str, *, skip_passed_steps: bool = False) -> None:
        self.log_format = log_format
        # Start the first block at the step that holds its first error annotation (GitHub
        # Actions only): the steps above it passed. `skipped` tells the caller to scan again
        # from the top if no step turns out to have failed (the best of the other steps is
        # then the answer).
        self._skip = skip_passed_steps and log_format == "github_actions"
        self.skipped = False
        self.step = Step("Set up job" if log_format == "github_actions" else None, 1)
        self.failing: Step | None = None
        self.fallback: Step | None = None
        self._last_with_candidates: Step | None = None
        self._last_with_output: Step | None = None
        self._tail: deque[tuple[int, bytes]] = deque(maxlen=_END_LINES)
        # The end of the last block, split into `_tail` only if asked for (see `_remember_tail`).
        self._pending_tail: tuple[bytes, int] | None = None
        self._block = b""
        self._lo = self._hi = 0
        self._anchor = (0, 1)
        self._done = 0
        self._step_offset = 0

    # ----------------------------------------------------------------- blocks
    def feed(self, block: bytes, first_line: int, lo: int = 0, hi: int | None = None) -> int:
        """Scan the complete lines of block[lo:hi]; the first is numbered `first_line`.

        Returns how many lines were scanned. The main pass looks only for strong signatures
        and structure. Weak lines (a bare "error" or "failed") are read only near a strong line
        (they join its cluster) and just before a failure with no strong line in its step: a
        log full of error words costs little more than one without.
        """
        hi = len(block) if hi is None else hi
        self._block, self._lo, self._hi = block, lo, hi
        self._anchor = (lo, first_line)
        self._done = lo
        self._step_offset = lo
        pos = lo
        if self._skip:
            self._skip = False
            pos = failing_step_start(block, lo, hi)
            self.skipped = pos > lo
            self._done = pos
        while pos < hi:
            flooded = self.step.candidates >= FLOOD
            prefilter = _FLOOD if flooded else _STRONG
            first = pos  # where the walk over the prefilter's matches starts
            restart = False
            while (start := _first_match(prefilter, block, first, hi, pos)) >= 0:
                newline = rfind_newline(block, lo, start)  # `_line_start(start)`, inlined
                line_start = newline + 1 if newline >= 0 else lo
                if not flooded and line_start > self._done:
                    self._window(self._window_start(line_start), line_start)
                kept = self._line(line_start)
                pos = self._done
                if kept and not flooded:
                    pos = self._follow(pos)
                if (self.step.candidates >= FLOOD) != flooded:
                    restart = True
                    break
            if not restart:
                break
        lines = self._number(hi) - first_line
        self._remember_tail(first_line + lines - 1)
        self._block = b""
        return lines

    def _line_start(self, offset: int) -> int:
        newline = rfind_newline(self._block, self._lo, offset)
        return newline + 1 if newline >= 0 else self._lo

    def _line_end(self, start: int) -> int:
        end = find_newline(self._block, start, self._hi)
        return self._hi if end < 0 else end

    def _lines_back(self, start: int, count: int) -> int:
        """Offset of the line `count` lines above the line starting at `start`."""
        block, lo = self._block, self._lo
        pos = start
        for _ in range(count):
            if pos <= lo:
                return lo
            newline = rfind_newline(block, lo, pos - 1)  # `_line_start(pos - 1)`, inlined
            pos = newline + 1 if newline >= 0 else lo
        return pos

    def _window_start(self, start: int) -> int:
        """`max(self._lines_back(start, CLUSTER_GAP), self._done)`: the walk back stops at
        `_done`, which lines already read put close above most structure lines."""
        block, lo, done = self._block, self._lo, self._done
        if start - done <= _SHORT_GAP_BYTES and count_newlines(block, done, start) <= CLUSTER_GAP:
            return done  # `_done` is a line start at most CLUSTER_GAP lines above
        pos = start
        for _ in range(CLUSTER_GAP):
            if pos <= done:
                return done
            newline = rfind_newline(block, lo, pos - 1)
            pos = newline + 1 if newline >= 0 else lo
        return max(pos, done)

    def _lines_forward(self, pos: int, count: int) -> int:
        """Offset just past `count` lines starting at `pos`."""
        end = after_newlines(self._block, pos, self._hi, count)
        return self._hi if end < 0 else end

    def _number(self, offset: int) -> int:
        """Line number of the line starting at `offset` of the current block."""
        anchor, number = self._anchor
        if offset >= anchor:
            number += count_newlines(self._block, anchor, offset)
            self._anchor = (offset, number)
            return number
        return number - count_newlines(self._block, offset, anchor)

    def _window(self, lo: int, hi: int, seen: frozenset[int] = frozenset()) -> None:
        """Read every candidate (weak ones too) among the lines in [lo, hi) not read yet.

        Lines numbered in `seen` were read before and are skipped.
        """
        lo = max(lo, self._done)
        if lo >= hi:
            return
        block = self._block
        pos = lo
        block_lo = self._lo
        while (start := _first_match(_FULL, block, lo, hi, pos)) >= 0:
            newline = rfind_newline(block, block_lo, start)  # `_line_start(start)`, inlined
            line_start = newline + 1 if newline >= 0 else block_lo
            if line_start < self._done:
                pos = self._done  # the other matches of lines read already are skipped
            elif seen and self._number(line_start) in seen:
                pos = find_newline(block, start, hi) + 1 or hi  # the line's other matches too
            else:
                self._line(line_start)
                pos = self._done

    def _follow(self, pos: int) -> int:
        """After a kept strong line, read the next few lines in full; a strong one extends it."""
        block = self._block
        end = self._lines_forward(pos, CLUSTER_GAP)
        first = pos  # where the walk over the prefilter's matches starts
        lo = self._lo
        while pos < end and (start := _first_match(_FULL, block, first, end, pos)) >= 0:
            newline = rfind_newline(block, lo, start)  # `_line_start(start)`, inlined
            line_start = newline + 1 if newline >= 0 else lo
            if line_start >= self._done and self._line(line_start) and self.step.current_strong:
                pos, end = self._done, self._lines_forward(self._done, CLUSTER_GAP)
                first = pos
            else:
                pos = self._done
        return max(end, self._done)

    def _remember_tail(self, last_line: int) -> None:
        """Keep the last few lines of a block as context for the next block's first lines."""
        block, lo, hi = self._block, self._lo, self._hi
        pending = self._pending_tail
        if pending is not None:
            piece = pending[0]
            if (
                hi > lo
                and block[lo] != 10  # an empty first line of a block is not kept
                and piece[-1] == 10
                and len(piece) + hi - lo <= 2 * _TAIL_PROBE_BYTES
            ):
                # A short block (the last line of a log without a final newline): its lines
                # follow the pending ones, and the last lines of both are in the joined bytes.
                self._pending_tail = (piece + block[lo:hi], last_line)
                return
            self._tail_lines()
        probe_lo = hi - _TAIL_PROBE_BYTES
        if probe_lo > lo and count_newlines(block, probe_lo, hi) > _END_LINES:
            # The last lines are all inside the probe: most logs never need them split.
            self._pending_tail = (block[probe_lo:hi], last_line)
            return
        self._tail.extend(tail_of_block(block, lo, hi, last_line, _END_LINES))

    def _tail_lines(self) -> deque[tuple[int, bytes]]:
        """`_tail`, with the lines of the last block added if they were left pending."""
        if self._pending_tail is not None:
            piece, last_line = self._pending_tail
            self._pending_tail = None
            self._tail.extend(tail_of_block(piece, 0, len(piece), last_line, _END_LINES))
        return self._tail

    # ------------------------------------------------------------------ lines
    def _line(self, start: int) -> bool:
        """Read the line starting at `start`; True when it was kept as a candidate."""
        block = self._block
        end = find_newline(block, start, self._hi)  # `_line_end(start)`, inlined
        if end < 0:
            end = self._hi
        self._done = end + 1
        github = self.log_format == "github_actions"
        if (
            github
            and end - start in _ENDGROUP_LINE_LENGTHS
            and is_github_endgroup(block, start, end)
        ):
            # The most frequent structure line: what `clean_line` and `parse_marker` would
            # conclude (a header ends), without decoding the line.
            self.step.in_header = False
            return False
        anchor, line_no = self._anchor  # `self._number(start)`, inlined
        if start >= anchor:
            line_no += count_newlines(block, anchor, start)
            self._anchor = (start, line_no)
        else:
            line_no -= count_newlines(block, start, anchor)
        cur = self.step.current
        if (
            cur is not None
            and cur.saturated()
            and line_no - cur.last_line <= CLUSTER_GAP
            and _FLOOD.search(block, start, end) < 0
        ):
            # Inside a burst of errors whose cluster is already full of strong lines: only a
            # summary, a header or structure could change what is kept.
            cur.last_line = line_no
            self.step.candidates += 1
            return True
        raw_text = block[start:end].decode("utf-8", errors="replace")  # `decode_line`
        text = clean_line(raw_text)
        # A GitHub Actions line is a marker only if it starts with one of these (see
        # `_github_marker`): the others need no call.
        if github and not text.startswith(_GITHUB_MARKER_STARTS):
            marker = None
        else:
            marker = parse_marker(raw_text, text, self.log_format)
        if marker is not None:
            if marker.kind == "failure" and not self.step.failed:
                self._read_tail_before(start)
            elif marker.kind in ("step", "end") and self.log_format in _BLAMES_EARLIER:
                # The failure is reported later, outside this step: read its end now, while
                # it is at hand, in case it turns out to be the step that failed.
                self._read_tail_before(start)
                # Jenkins closes a stage with a few `[Pipeline] }` lines: they are not output.
                before = self._before(block, start, line_no)
                self.step.last_lines = tuple(i for i in before if b"[Pipeline] " not in i[1])
            if self._marker(marker, line_no, text) and not marker.states_reason:
                if marker.kind in ("step", "end"):
                    # Where the new step's lines begin: a look back never crosses it.
                    self._step_offset = end + 1
                if marker.kind == "step" and marker.name is None:
                    following = clean_after(self._after(block, end, line_no))
                    self.step.name = following[0][1][:200] if following else None
                exit_line = self.step.exit_line
                if marker.kind == "failure" and exit_line is not None and exit_line.line == line_no:
                    exit_line.before = self._before(block, start, line_no)
                return False
        if self.step.in_header:
            return False
        score = scoring.score_line(text)
        if marker is not None or score.kind == scoring.RUNNER:
            # The runner says why the job failed: as strong as an error, whatever its words.
            score = scoring.Score(max(score.value, scoring.STRONG), scoring.RUNNER)
            if not self.step.failed:
                self._read_tail_before(start)
                self.step.failed = True
        if score.value < scoring.KEEP and score.kind != scoring.EXIT:
            return False
        if score.kind == scoring.EXIT:
            if not self.step.failed:
                self._read_tail_before(start)
            self._note_exit(line_no, text, score)
            return False
        cand = Candidate(line_no, cut(text), score.value, score.kind)
        if score.kind not in (scoring.FAILED_TEST, scoring.SUMMARY, scoring.HEADER):
            cand.passed_after = _passed_after(block, end, self._hi)
        if not self.step.add(cand):
            return False
        # Context is read only for kept lines: most candidates of a noisy step are not.
        cand.before = self._before(block, start, line_no)
        cand.after = self._after(block, end, line_no)
        return True

    def _read_tail_before(self, start: int) -> None:
        """Before a failure in a step with no strong line, read the output just above it."""
        if self.step.best >= scoring.STRONG:
            return
        done = self._done
        offset = self._step_offset
        if (
            offset <= start
            and start - offset <= _SHORT_GAP_BYTES
            and count_newlines(self._block, offset, start) <= 2 * CLUSTER_GAP
        ):
            # The step's first line (a line start) is at most that many lines above: the walk
            # back would pass it.
            lo = offset
        else:
            lo = max(self._lines_back(start, 2 * CLUSTER_GAP), offset)
        # Some of these lines were read already (near a structure line): they are skipped.
        seen = frozenset(c.line for cl in self.step.clusters() for c in cl.items)
        self._done = lo
        self._window(lo, start, seen)
        self._done = max(done, self._done)

    def _marker(self, marker: Marker, line_no: int, text: str) -> bool:
        """Apply a structural marker; True when the line needs no scoring."""
        if marker.kind == "step":
            self._finish_step()
            self.step = Step(marker.name, line_no)
            self.step.in_header = self.log_format in ("github_actions", "azure") and bool(
                marker.name and marker.name.startswith("Run ")
            )
            return True
        if marker.kind == "header_end":
            self.step.in_header = False
            return True
        if marker.kind == "end":
            self._finish_step()
            self.step = Step(None, line_no + 1)
            return True
        if marker.kind == "failure":
            if not self.step.failed:
                # The runner's own failure line beats any "exit code" a tool printed earlier.
                self.step.failed = True
                self.step.exit_code = marker.exit_code
                self.step.exit_line = Candidate(line_no, cut(text), 20, scoring.EXIT)
            return True
        return marker.kind == "command"

    def _note_exit(self, line_no: int, text: str, score: scoring.Score) -> None:
        code = exit_code_of(text)
        if code is None or code == 0:
            return
        step = self.step
        if not step.failed or self.log_format == "plain":
            step.exit_line = Candidate(line_no, cut(text), score.value, scoring.EXIT)
            step.exit_code = code
        if self.log_format == "plain":
            step.failed = True

    def _before(self, block: bytes, start: int, line_no: int) -> RawContext:
        """The raw lines above a line, nearest last; cleaned only if used (see `clean_before`)."""
        lo = self._lo
        # (At the block's start there is nothing above: `start - 1` would be read as an index
        # from the end.)
        first = before_newlines(block, lo, start - 1, _RAW_BEFORE) if start > lo else -1
        if first >= 0:
            # The lines are all in this block (most often): one split, no walk back.
            lines = block[first + 1 : start - 1].split(b"\n")
            return tuple(zip(range(line_no - _RAW_BEFORE, line_no), lines, strict=True))
        out: list[tuple[int, bytes]] = []
        end = start - 1
        n = line_no - 1
        while end >= lo and len(out) < _RAW_BEFORE:
            newline = rfind_newline(block, lo, end)  # `_line_start(end)`, inlined
            s = newline + 1 if newline >= 0 else lo
            out.append((n, block[s:end]))
            n -= 1
            end = s - 1
        if end < lo:
            for tail_no, raw in reversed(self._tail_lines()):
                if tail_no <= n and len(out) < _RAW_BEFORE:
                    out.append((tail_no, raw))
        return tuple(reversed(out))

    def _after(self, block: bytes, end: int, line_no: int) -> RawContext:
        hi = self._hi
        last = after_newlines(block, end + 1, hi, _RAW_AFTER)
        if last >= 0:
            lines = block[end + 1 : last - 1].split(b"\n")
            numbers = range(line_no + 1, line_no + 1 + _RAW_AFTER)
            return tuple(zip(numbers, lines, strict=True))
        out: list[tuple[int, bytes]] = []
        pos, n = end + 1, line_no + 1
        while pos < hi and len(out) < _RAW_AFTER:
            e = find_newline(block, pos, hi)  # `_line_end(pos)`, inlined
            if e < 0:
                e = hi
            out.append((n, block[pos:e]))
            pos, n = e + 1, n + 1
        return tuple(out)

    # ------------------------------------------------------------------ steps
    def _finish_step(self) -> None:
        step = self.step
        if step.failed and self.failing is None:
            blamed = self._blamed(step)
            if blamed is not None:
                # GitLab and Jenkins report the failure after the step that caused it ended.
                blamed.failed = True
                blamed.exit_code = step.exit_code
                blamed.exit_line = blamed.exit_line or step.exit_line
                self.failing = blamed
                if self.fallback is blamed:
                    self.fallback = None
            else:
                self.failing = step
        elif (
            step is not self.failing
            and step.candidates
            and (self.fallback is None or step.best > self.fallback.best)
        ):
            self.fallback = step
        if self.log_format == "gitlab" and step.name in _GITLAB_AFTER_FAILURE:
            return
        if step.candidates:
            self._last_with_candidates = step
        if step.candidates or has_output(step.last_lines):
            self._last_with_output = step

    def _blamed(self, failed: Step) -> Step | None:
        """The earlier step a failure reported after it belongs to, if any: the latest step
        with a strong line, else (when the failure line itself says nothing) the latest step
        that printed anything worth reading."""
        if self.log_format not in _BLAMES_EARLIER or failed.best >= scoring.STRONG:
            return None
        strong = self._last_with_candidates
        if strong is not None and strong.best >= scoring.STRONG:
            return strong
        return None if failed.candidates else self._last_with_output

    def _read_end(self) -> None:
        """Read the weak lines at the end of a log whose last step neither failed nor had a
        strong line: without a runner's failure marker, the end is the best clue there is."""
        step = self.step
        if self.failing is not None or step.failed or step.best >= scoring.STRONG:
            return
        tail = [(n, raw) for n, raw in self._tail_lines() if n > step.start_line]
        if not tail:
            return
        block = b"\n".join(raw for _, raw in tail) + b"\n"
        self._tail.clear()  # the block itself is the context now
        self._block, self._lo, self._hi = block, 0, len(block)
        self._anchor, self._done, self._step_offset = (0, tail[0][0]), 0, 0
        seen = frozenset(c.line for cl in step.clusters() for c in cl.items)
        self._window(0, len(block), seen)
        step.last_lines = tuple(tail[-_RAW_BEFORE:])
        self._block = b""

    def finish(self) -> Step | None:
        """End the scan; return the failing step, else the step with the strongest lines."""
        self._read_end()
        last = self.step
        self._finish_step()
        return self.failing or self.fallback or (last if last.last_lines else None)


def _first_match(prefilter: Re2Starts, block: bytes, lo: int, hi: int, pos: int) -> int:
    """Start of the first match of `prefilter.finditer(block, lo, hi)` at or after the line start
    `pos`, or -1: the matches are those `finditer` finds (each search resumes where the previous
    match ended), asked for from later and later line starts.

    One search from `pos` finds it whenever no match can hold the line break just before `pos`.
    A line break is inside a match only in a `...` followed by blank space across lines
    (`\\.{3,}\\s*...Failed`), or in blank space up to the end of the text (`Error\\s*$`: then
    no match can start after it either way). When the bytes above `pos` look like the former
    (rare), the matches are walked from `lo` as `finditer` walks them.
    """
    if pos > hi:
        return -1
    if (
        pos <= lo
        or (block[pos - 1] == 10 and (pos - 2 < lo or block[pos - 2] not in _BREAK_IN_MATCH_BEFORE))
        or not _break_may_be_in_match(block, lo, pos)
    ):
        # `prefilter.search(block, pos, hi)` without its bounds checks: lo <= pos <= hi here.
        start: int = prefilter._match(_UNANCHORED, block, pos, hi)[0][0]
        return start
    return next((start for start in prefilter.finditer(block, lo, hi) if start >= pos), -1)


# Bytes after which a line break may continue a match: blank space and the dots of `...`.
_BREAK_IN_MATCH_BEFORE: Final[frozenset[int]] = frozenset(b" \t\r\n\x0b\x0c.")
_BREAK_PROBE_BYTES: Final[int] = 64


def _break_may_be_in_match(block: bytes, lo: int, pos: int) -> bool:
    """Whether a prefilter match found from `lo` may hold the byte just before `pos`: only a
    line break after `...` and blank space can be (see `_first_match`)."""
    if block[pos - 1] != 10:
        return True
    head = block[max(lo, pos - _BREAK_PROBE_BYTES) : pos].rstrip()
    return len(head) < 3 or head.endswith(b"...")


def _passed_after(block: bytes, end: int, hi: int) -> bool:
    """True when a pass/success marker follows within a few lines, before any failure."""
    pos = end + 1
    stop = after_newlines(block, pos, hi, _PASS_WINDOW_LINES)
    if stop < 0:
        stop = hi
    if stop <= pos:
        return False
    return _pass_before_fail(block, pos, stop)


def _pass_before_fail(block: bytes, pos: int, stop: int) -> bool:
    """True when block[pos:stop] holds a pass/success marker before any failure."""
    passed = _PASS_AFTER.search(block, pos, stop)
    if passed < 0:
        return False
    failed = _FAIL_AFTER.search(block, pos, stop)
    return failed < 0 or passed < failed
