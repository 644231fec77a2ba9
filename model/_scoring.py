"""How much a log line looks like the cause of a CI failure.

Two layers. A google-re2 prefilter runs over whole chunks of raw bytes (timestamps and colour
codes included) and finds the few lines worth a closer look; it must be cheap and specific, so
it matches error vocabulary as whole words and known tool signatures. Python rules then score
each candidate's cleaned text: strong signatures of real errors across ecosystems score high,
echoes of an error that was already reported score low, and known noise scores negative.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import re2

from model._fast_re2 import set_match_function
from model._logtext import STRUCTURE_PATTERN

STRONG: Final[int] = 60  # a line this strong can be the root cause
KEEP: Final[int] = 25  # weaker lines are not kept as evidence

# Signatures specific enough to be worth a look even when a step is flooded with error words.
# Colour codes glue to words (`\x1b[31merror`), so a word may also start right after one.
_W: Final[bytes] = rb"(?:\b|\x1b\[[0-9;]*m)"
_STRONG_PATTERN: Final[bytes] = (
    rb"Traceback \(most recent|[A-Za-z](?:Error|Exception)(?:: |:?\s*$)"
    rb"|" + _W + rb"error(?:\[E\d+\])?(?:\x1b\[[0-9;]*m)?: "
    rb"|" + _W + rb"error [A-Z]{1,6}\d{2,5}\b|" + _W + rb"FAILED\b|" + _W + rb"FAIL\b"
    rb"|\bfatal(?: error)?: |\bFATAL\b|panicked at"
    rb"|\bpanic: |\bE   \S|npm ERR!|ERR_PNPM|ResolutionImpossible|No matching distribution"
    rb"|Could not find a version|Could not resolve|Unable to locate package|command not found"
    rb"|No such file or directory|Permission denied|Segmentation fault|core dumped|OOMKilled"
    rb"|[Oo]ut of memory|undefined reference|cannot find symbol|\bE[A-Z]{4,12}\b: "
    rb"|\.{3,}\s*(?:\x1b\[[0-9;]*m)*Failed|\[ERROR\]|BUILD FAIL|ERROR collecting|What went wrong"
    rb"|\b[1-9]\d*(?:\x1b\[[0-9;]*m)* (?:\x1b\[[0-9;]*m)*(?:failed|failing|errors?)\b"
    rb"|exit(?:ed)? (?:with )?(?:code|status)|\btests? failed"
    rb"|No tests found|Code style issues|would reformat|--- FAIL|"
    + "✕|✖|✗|❌".encode()
    # Linters' rule codes after a location (`Dockerfile:3 DL3008`), `3:5  error  ...` columns.
    + rb"|:\d+(?::\d+)?:? +[A-Z]{1,4}\d{3,4}\b|\bSC\d{4}\b|\b\d+:\d+ +error\b"
    # HTTP failures and throttling, in the words servers and clients use.
    rb"|\b[45]\d\d (?:Too Many|Forbidden|Unauthorized|Not Found|Service Unavail|Bad Gateway"
    rb"|Internal Server|Gateway Time)|(?i:rate.limit)|Too Many Requests|[Tt]hrottl"
    rb"|(?i:status(?: code)?)[:=]? ?[45]\d\d\b|\bHTTP(?:/[\d.]+)? [45]\d\d\b"
)
_WEAK_PATTERN: Final[bytes] = (
    rb"|" + _W + rb"(?:error|Error|ERROR|failed|Failed|failure|Failure|FAILURE|fatal|Fatal)\b"
    rb"|\b(?:Could not|could not|Unable to|unable to|cannot|Cannot|couldn't|can't)\b"
    rb"|\b(?:timed out|Timeout|denied|Killed|Aborted|Unhandled|Uncaught|not found)\b"
    rb"|exit(?:ed|ing)? with|non-zero|returned \d|\*\*\* \["
    # What failed, said in plain words rather than with the word "error".
    rb"|\b(?:[Ii]nvalid|not allowed|not valid|not of type|does not (?:exist|match|conform)"
    rb"|[Rr]equired (?:property|field|input)|[Mm]issing|[Uu]nexpected|[Rr]efused|[Rr]ejected"
    rb"|[Ff]orbidden|[Uu]nauthori[sz]ed|[Ee]xceeded|[Tt]erminated|[Cc]ancel+ed|aborted!"
    rb"|no such|[Nn]ot supported|[Vv]iolat\w*|lost communication|is not defined)\b"
)


def _compile(pattern: bytes) -> Any:
    options = re2.Options()
    options.max_mem = 64 << 20
    return re2.compile(pattern, options)


# Once a step has produced thousands of candidates, only its structure and summaries matter.
_FLOOD_PATTERN: Final[bytes] = (
    rb"\b[1-9]\d*(?:\x1b\[[0-9;]*m)* (?:\x1b\[[0-9;]*m)*(?:failed|failing|errors?)\b"
    rb"|\btests? failed|exit(?:ed)? (?:with )?(?:code|status)|short test summary|=+ (?:ERRORS|FAILURES) =+"
    rb"|\.{3,}\s*(?:\x1b\[[0-9;]*m)*Failed|BUILD FAIL|Found [1-9]|ERROR collecting|_{3,} \S.* _{3,}"
    rb"|What went wrong|Traceback \(most recent"
)

FULL_PREFILTER: Final[Any] = _compile(STRUCTURE_PATTERN + b"|" + _STRONG_PATTERN + _WEAK_PATTERN)
STRONG_PREFILTER: Final[Any] = _compile(STRUCTURE_PATTERN + b"|" + _STRONG_PATTERN)
FLOOD_PREFILTER: Final[Any] = _compile(STRUCTURE_PATTERN + b"|" + _FLOOD_PATTERN)

# Kinds, by what role a line plays in a failure report.
EXCEPTION = "exception"  # an exception, compiler diagnostic, tool error: a root-cause candidate
TRACEBACK = "traceback"  # the head of a traceback: the decisive line is its final exception
HEADER = "header"  # a block header announcing failures (pytest ERRORS, a failed hook)
FAILED_TEST = "failed_test"  # names a failing test
SUMMARY = "summary"  # counts failures / errors at the end of a tool run
EXIT = "exit"  # states a non-zero exit code
ECHO = "echo"  # repeats an error reported earlier (make, docker, yarn wrappers)
RUNNER = "runner"  # the CI runner states why the job failed (an annotation without a tool's words)
GENERIC = "generic"


@dataclass(frozen=True, slots=True)
class Rule:
    pattern: str  # RE2 syntax; all rules of a table are matched in one pass with re2.Set
    weight: int
    kind: str = GENERIC


_EXC_NAME = r"(?:[A-Za-z_][\w$]*\.)*[A-Z]\w*(?:Error|Exception|Exit|Interrupt|Failure|Fault)"
# RE2 has no lookaround: "a whole word, not part of a path or identifier such as errors.ts".
_WORD_START = r"(?:^|[^\w/.\-])"
_WORD_END = r"(?:$|[^\w/\-.]|\.(?:\s|$))"

_POSITIVE: Final[tuple[Rule, ...]] = (
    # Interpreters and runtimes.
    Rule(r"^\s*Traceback \(most recent call last\)", 70, TRACEBACK),
    Rule(
        rf"^\s*(?:E\s+)?(?:Caused by: |Uncaught |Unhandled )?{_EXC_NAME}(?::\s|:?\s*$)",
        85,
        EXCEPTION,
    ),
    Rule(r"^\s*E\s{2,}\w+(?:Warning|Error|Exception)\b", 80, EXCEPTION),
    Rule(r"^\s*E\s{2,}(?:assert|AssertionError|Failed:)", 80, EXCEPTION),
    Rule(r"^\s*Error: \S", 55, EXCEPTION),
    Rule(r"^\s*(?:panic: |fatal error: )", 90, EXCEPTION),
    Rule(r"panicked at", 75, EXCEPTION),
    Rule(
        r"Segmentation fault|core dumped|SIGSEGV|SIGKILL|OOMKilled|[Oo]ut of memory", 85, EXCEPTION
    ),
    Rule(r"Cannot allocate memory|JavaScript heap out of memory|^Killed\b", 85, EXCEPTION),
    # Compilers, type checkers and linters.
    Rule(r"^\s*error(?:\[E\d+\])?: ", 85, EXCEPTION),
    Rule(r"\S:\d+(?::\d+)?(?::| -)\s*(?:fatal )?error\b", 90, EXCEPTION),
    Rule(r"\S\(\d+,\d+\): error\b", 90, EXCEPTION),
    Rule(r"\berror (?:TS|CS|C|LNK|MSB|NU|NETSDK|FS|BC)\d{2,5}\b", 90, EXCEPTION),
    Rule(
        r"undefined reference to|unresolved external symbol|multiple definition of", 85, EXCEPTION
    ),
    Rule(
        r"cannot find symbol|Unresolved reference|unresolved import|cannot find module",
        80,
        EXCEPTION,
    ),
    Rule(r"^\s*e: \S", 80, EXCEPTION),
    Rule(r"^\s*\[ERROR\] .*\.(?:java|kt|scala|groovy):", 90, EXCEPTION),
    Rule(r"\S:\d+:\d+: [A-Z]{1,3}\d{2,4}\b", 80, EXCEPTION),
    Rule(r"^\s*\d+:\d+\s+error\s", 85, EXCEPTION),
    Rule(r"would reformat|Code style issues found|not formatted|Would fix", 80, EXCEPTION),
    # Package managers and builds.
    Rule(r"ResolutionImpossible|No matching distribution found", 95, EXCEPTION),
    Rule(r"Could not find a version that satisfies", 90, EXCEPTION),
    Rule(r"npm ERR! (?:code E|404|ERESOLVE|peer dep)|ERR_PNPM_\w+|\bERESOLVE\b", 85, EXCEPTION),
    Rule(
        r"Could not resolve (?:dependencies|all |host|artifact|plugin)|failed to select a version"
        r"|Could not (?:transfer|download|fetch|get) (?:artifact|resource|file|plugin)",
        85,
        EXCEPTION,
    ),
    Rule(r"no matching package named|Unable to locate package|^E: ", 85, EXCEPTION),
    Rule(
        r"Could not find gem|Bundler could not find|pull access denied|manifest unknown",
        85,
        EXCEPTION,
    ),
    Rule(r"failed to compute cache key|unknown revision|invalid version", 75, EXCEPTION),
    Rule(r"\S:\d+(?::\d+)?:?\s+[A-Z]{1,4}\d{3,4}\b|\bSC\d{4} \(\w+\)", 80, EXCEPTION),
    # Servers refusing or throttling a request.
    Rule(
        r"\b[45]\d\d (?:Too Many Requests|Forbidden|Unauthorized|Not Found|Service Unavailable"
        r"|Bad Gateway|Internal Server Error|Gateway Time-?out)|Too Many Requests"
        r"|(?i)rate.limit(?:ed| exceeded| reached)|(?i)\bthrottl(?:ed|ing)\b|Rate exceeded",
        75,
        EXCEPTION,
    ),
    Rule(r"(?i)\bstatus(?: code)?[:=]? ?[45]\d\d\b|\bHTTP(?:/[\d.]+)? [45]\d\d\b", 65, EXCEPTION),
    # Shell and system.
    Rule(
        r"command not found|No such file or directory|Permission denied|not permitted",
        75,
        EXCEPTION,
    ),
    Rule(r"^\s*fatal: ", 85, EXCEPTION),
    Rule(
        r"\b(?:ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|EADDRINUSE)\b", 70, EXCEPTION
    ),
    Rule(r"\b(?:ENOENT|EACCES|EPERM|EEXIST|ENOSPC)\b", 65, EXCEPTION),
    Rule(
        r"Connection refused|Could not resolve host|Temporary failure in name resolution",
        70,
        EXCEPTION,
    ),
    Rule(r"No space left on device|timed out|deadline exceeded|Timeout of \d+", 65, EXCEPTION),
    Rule(r"No tests found|no tests ran|no test files", 60, EXCEPTION),
    # Test runners.
    Rule(r"^\s*(?:FAILED|FAIL|✕|✗|✖|❌|×)\s+\S", 70, FAILED_TEST),
    Rule(r"^\s*--- FAIL: ", 80, FAILED_TEST),
    Rule(r"\.\.\. (?:FAILED|FAIL|ERROR)\s*$|<<< (?:FAILURE|ERROR)!|\bFAILED\s*$", 65, FAILED_TEST),
    Rule(r"^=+ (?:ERRORS|FAILURES) =+$|ERROR collecting|^_{3,} .+ _{3,}$", 60, HEADER),
    Rule(r"\.{3,}\s*Failed\s*$|What went wrong:", 70, HEADER),
    Rule(r"short test summary info", 40, HEADER),
    Rule(r"\b[1-9]\d* (?:failed|failing|failures?|errors?|problems?)\b", 50, SUMMARY),
    Rule(
        r"\btests? failed\b|Tests run: \d+, Failures: [1-9]|FAILED \((?:failures|errors)=",
        50,
        SUMMARY,
    ),
    Rule(
        r"BUILD FAIL(?:ED|URE)|Found [1-9]\d* errors?|Build failed with an exception", 50, SUMMARY
    ),
    # Exit codes and echoes of an earlier error.
    Rule(r"(?:exit(?:ed|ing)?(?: with)? (?:code|status)|exit code:?) ?'?[1-9]", 20, EXIT),
    Rule(r"returned (?:a )?non-zero exit status|Job failed|Finished: FAILURE", 20, EXIT),
    Rule(
        r"^make(?:\[\d+\])?: \*\*\* |did not complete successfully|ninja: build stopped", 15, ECHO
    ),
    Rule(
        r"error Command failed|Error: Process completed|npm ERR! (?:Exit status|code ELIFECYCLE)",
        15,
        ECHO,
    ),
    Rule(r"ERROR: failed to solve|error: could not compile|subprocess-exited-with-error", 25, ECHO),
    Rule(
        r"The process '.*' failed|failed with exit code|Process completed with exit code", 15, ECHO
    ),
    # Generic vocabulary, as whole words (not inside paths or identifiers such as errors.ts).
    Rule(rf"{_WORD_START}(?:ERROR|FATAL|Fatal){_WORD_END}", 45),
    Rule(rf"{_WORD_START}(?:Error|error|fatal){_WORD_END}", 30),
    Rule(rf"{_WORD_START}(?:failed|Failed|FAILED|failure|Failure|FAILURE){_WORD_END}", 30),
    Rule(r"\b(?:Could not|could not|Unable to|unable to|cannot|Cannot|couldn't|can't)\b", 25),
    Rule(r"\b(?:Unhandled|Uncaught|denied|Aborted|Killed)\b", 40),
    Rule(r"\b(?:[Tt]erminated|[Cc]ancel+ed|aborted!|lost communication)", 40),
    Rule(
        r"\b(?:[Ii]nvalid|not allowed|not valid|not of type|does not (?:exist|match|conform)"
        r"|[Rr]equired (?:property|field|input)|[Mm]issing|[Uu]nexpected|[Rr]efused|[Rr]ejected"
        r"|[Ff]orbidden|[Uu]nauthori[sz]ed|[Ee]xceeded|no such|[Nn]ot supported|[Vv]iolat\w*"
        r"|is not defined)\b",
        30,
    ),
)

_NEGATIVE: Final[tuple[Rule, ...]] = (
    Rule(r"(?i)\b0 (?:errors?|failed|failures?|problems?)\b|\bno (?:errors?|failures)\b", -60),
    Rule(r"(?i)\b(?:errors?|failures?|failed)[:=] ?0\b", -60),
    Rule(r"(?i)^\s*(?:warning\b|WARN\b|\[WARN(?:ING)?\])", -55),
    Rule(r"\S:\d+(?::\d+)?:? (?:- )?warning\b|\bwarning(?:\[\w+\])?: |\bWarning: ", -55),
    Rule(r"(?i)\bdeprecat", -35),
    Rule(r"\b(?:PASSED|PASS|passed|ok)\b|✓|✔|\bSuccess(?:fully)?\b|succeeded", -45, SUMMARY),
    Rule(r"(?i)\b(?:retry|retrying|will retry|attempt \d+)\b", -30),
    Rule(r"^\s*\[?(?:INFO|DEBUG|TRACE|NOTICE)\b|^\s*(?:info|debug|notice)\b", -40),
    Rule(r"^\s*(?:##\[command\]|\[command\]|\+ |>\s|\$ )", -70),
    # A later stage that did not run because of the failure: an echo, never the cause.
    Rule(r"skipped due to (?:an )?earlier failure", -60),
    Rule(r"(?i)\bignor(?:e|ed|ing)\b|\ballow(?:ed)?[-_ ]?fail|continue-on-error|\|\| true", -40),
)
# Penalties a real error line is exempt from: `E   DeprecationWarning: ...` in pytest is the
# error that failed the run, not a deprecation notice. A negative rule whose kind is set spares
# lines of that kind: "3 failed, 120 passed" is a summary, not a success message.
_EXEMPT_FROM_NOISE: Final[frozenset[str]] = frozenset({EXCEPTION, TRACEBACK, FAILED_TEST})


def _rule_set(rules: tuple[Rule, ...]) -> Any:
    """The rules' patterns as one set, called with a line encoded once: the indices of the
    rules found in it (a list, in no set order)."""
    options = re2.Options()
    options.max_mem = 64 << 20
    return set_match_function([rule.pattern for rule in rules], options)


_POSITIVE_MATCH: Final[Any] = _rule_set(_POSITIVE)
_NEGATIVE_MATCH: Final[Any] = _rule_set(_NEGATIVE)


class Score:
    # A plain class (not a frozen dataclass): mypyc compiles its `__init__`. Never changed.
    value: int
    kind: str

    def __init__(self, value: int, kind: str) -> None:
        self.value = value
        self.kind = kind


def score_line(text: str) -> Score:
    """Score one cleaned line. The kind is that of the strongest positive rule."""
    bonus = 0
    annotated = text.startswith("##[error]")
    if annotated:
        # GitHub annotated the line as an error; the marker itself is not part of the message.
        text, bonus = text[len("##[error]") :], 15
    elif text.startswith(("##[warning]", "##[notice]", "::warning", "::notice")):
        return Score(0, GENERIC)
    encoded = text.encode("utf-8")
    hits = _POSITIVE_MATCH(encoded)
    if not hits:
        return Score(STRONG, RUNNER) if annotated else Score(0, GENERIC)
    best, kind, total, echo = 0, GENERIC, 0, False
    first = len(_POSITIVE)
    for index in hits:
        rule = _POSITIVE[index]
        # Of equally strong rules the first declared decides, whatever order RE2 found them in.
        if rule.weight > best or (rule.weight == best and index < first):
            best, kind, first = rule.weight, rule.kind, index
        total += rule.weight
        echo = echo or rule.kind == ECHO
    if echo and kind == GENERIC:
        # "error Command failed ..." also contains the word error; it is still a wrapper's echo.
        kind = ECHO
    # The strongest rule decides; others add a little (an exception named in a FAILED line).
    value = best + bonus + min(20, (total - best) // 4)
    for index in _NEGATIVE_MATCH(encoded):
        rule = _NEGATIVE[index]
        if rule.kind == kind and rule.kind != GENERIC:
            continue
        if kind in _EXEMPT_FROM_NOISE and best >= STRONG and rule.weight > -60:
            continue
        value += rule.weight
    if kind == SUMMARY and value < KEEP:
        kind = GENERIC
    if annotated and value < STRONG and kind not in (ECHO, EXIT):
        # An error annotation without a tool's signature is the runner's own reason.
        return Score(STRONG, RUNNER)
    return Score(value, kind)


# After a candidate, a test marked as passing before any failure means the error was expected
# (a passing test printing a traceback on purpose, a retried download that then succeeded).
PASS_AFTER: Final[Any] = _compile(
    rb"\bPASSED\b|\bPASS\b|\.\.\. ok\b|\bok\s*$|Successfully |succeeded|" + "✓|✔".encode()
)
FAIL_AFTER: Final[Any] = _compile(rb"\bFAILED\b|\bFAIL\b|\bfailed\b|\bFailed\b|" + "✕|✗".encode())


def is_noise(text: str) -> bool:
    """A line that is never worth showing, not even as context (a warning, a passing test)."""
    if text.startswith(("##[warning]", "##[notice]", "::warning", "::notice")):
        return True
    return any(_NEGATIVE[i].weight <= -45 for i in _NEGATIVE_MATCH(text.encode("utf-8")))
