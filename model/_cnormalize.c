/* `normalize_text` for ASCII text: the same string as `model._normalize.normalize_text`.

normalize_text(text) -> str | None

The Python code masks run-specific details (URLs, timestamps, UUIDs, IP addresses, paths,
versions, sizes, durations, hex ids, numbers) with ten regular-expression substitutions, each
applied to the output of the previous one, then collapses whitespace and lowercases. It runs on
every feature text and fingerprint input, so its cost is paid on each classification. Here each
substitution is one function that reads a buffer and writes the rewritten text to another, in
the same order; a pass that finds nothing leaves the text as it is.

Each pass finds the matches Python's `re.sub` finds: scanning left to right, trying the
pattern's alternatives, optional parts and repetitions in the order the regex engine does
(greedy first, then backtracking), and resuming after each match. Where the engine would
backtrack into a run of digits, the shorter choices are skipped when they cannot succeed (the
character after them is a digit, which neither a `\b` nor any of the literals that follow
accepts); the comment at each pass says which. On ASCII text `\d` is [0-9], `\w` is
[A-Za-z0-9_], `\s` is [ \t\n\v\f\r\x1c-\x1f], and `\b` lies between a `\w` character and a
non-`\w` character or an edge of the text.

Every pass runs in linear time: a pattern tried from each character of a long run would reread
the rest of the run each time (quadratic, as the Python code's comments explain), so the passes
either try a run once or remember where it ends. Most passes also skip straight to a character
that each of their matches holds at a known place (a digit, a `-`, a separator, `://`), of
which a text holds few: the time goes into those places rather than into every character.

Text that is not ASCII gives None: the caller then runs the Python code.
*/
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* ---- characters ---------------------------------------------------------------------------- */

/* What each character is, for the character classes of the patterns (one table look-up per
 * test); filled in when the module loads. */
enum {
    DIGIT = 1 << 0,    /* \d */
    ALPHA = 1 << 1,    /* [A-Za-z] */
    WORD = 1 << 2,     /* \w */
    HEX = 1 << 3,      /* [0-9a-fA-F] */
    SPACE = 1 << 4,    /* \s */
    SCHEME = 1 << 5,   /* [a-zA-Z0-9+.-]: a URL scheme */
    USERINFO = 1 << 6, /* [^\s/@:]: a URL's user part */
    HOST = 1 << 7,     /* [^\s/:?#'"<>()]: a URL's host */
    URL_REST = 1 << 8, /* [^\s'"<>()]: the rest of a URL */
    NAME = 1 << 9,     /* [\w.@+~-]: a path component */
    VERSION_SUFFIX = 1 << 10, /* [0-9A-Za-z.-] */
    BRACKET = 1 << 11,        /* [ */
    PARENTHESIS = 1 << 12,    /* ( */
    SEPARATOR = 1 << 13,      /* [/\\] */
};

static uint16_t CLASSES[256];

/* `c` is one of the characters of `set` (never the string's terminating NUL). */
static inline int
one_of(int c, const char *set)
{
    return c > 0 && strchr(set, c) != NULL;
}

static void
init_classes(void)
{
    for (int c = 0; c < 256; c++) {
        int digit = c >= '0' && c <= '9';
        int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        int word = digit || alpha || c == '_';
        int space = c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
        int classes = 0;
        classes |= digit ? DIGIT : 0;
        classes |= alpha ? ALPHA : 0;
        classes |= word ? WORD : 0;
        classes |= digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ? HEX : 0;
        classes |= space ? SPACE : 0;
        classes |= digit || alpha || one_of(c, "+.-") ? SCHEME : 0;
        classes |= !space && !one_of(c, "/@:") ? USERINFO : 0;
        classes |= !space && !one_of(c, "/:?#'\"<>()") ? HOST : 0;
        classes |= !space && !one_of(c, "'\"<>()") ? URL_REST : 0;
        classes |= word || one_of(c, ".@+~-") ? NAME : 0;
        classes |= digit || alpha || one_of(c, ".-") ? VERSION_SUFFIX : 0;
        classes |= c == '[' ? BRACKET : 0;
        classes |= c == '(' ? PARENTHESIS : 0;
        classes |= c == '/' || c == '\\' ? SEPARATOR : 0;
        CLASSES[c] = (uint16_t)classes;
    }
}

/* Classes take an int so that `at` can return -1 past either end of the text: -1 belongs to no
 * class, which is how an edge of the text behaves for `\b` and every character test. */
static inline int
has_class(int c, int classes)
{
    return c >= 0 && (CLASSES[c & 0xff] & classes) != 0;
}

static inline int
is_digit(int c)
{
    return has_class(c, DIGIT);
}

static inline int
is_alpha(int c)
{
    return has_class(c, ALPHA);
}

static inline int
is_word(int c)
{
    return has_class(c, WORD);
}

static inline int
is_hex(int c)
{
    return has_class(c, HEX);
}

static inline int
is_space(int c)
{
    return has_class(c, SPACE);
}

static inline int
lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* The character at `i`, or -1 past the end. */
static inline int
at(const unsigned char *t, size_t n, size_t i)
{
    return i < n ? t[i] : -1;
}

/* `\b` at `i`. */
static inline int
boundary(const unsigned char *t, size_t n, size_t i)
{
    return (i > 0 && is_word(t[i - 1])) != (i < n && is_word(t[i]));
}

/* `\b` before a `\w` character at `i`: the preceding character is not a `\w` one. */
static inline int
starts_word(const unsigned char *t, size_t i)
{
    return i == 0 || !is_word(t[i - 1]);
}

static size_t
digits_end(const unsigned char *t, size_t n, size_t i)
{
    while (i < n && is_digit(t[i])) {
        i++;
    }
    return i;
}

static size_t
hex_end(const unsigned char *t, size_t n, size_t i)
{
    while (i < n && is_hex(t[i])) {
        i++;
    }
    return i;
}

/* `\d{count}` at `i`. */
static int
digits_at(const unsigned char *t, size_t n, size_t i, size_t count)
{
    if (i > n || n - i < count) {
        return 0;
    }
    for (size_t k = 0; k < count; k++) {
        if (!is_digit(t[i + k])) {
            return 0;
        }
    }
    return 1;
}

static int
hex_at(const unsigned char *t, size_t n, size_t i, size_t count)
{
    if (i > n || n - i < count) {
        return 0;
    }
    for (size_t k = 0; k < count; k++) {
        if (!is_hex(t[i + k])) {
            return 0;
        }
    }
    return 1;
}

static inline int
bytes_at(const unsigned char *t, size_t n, size_t i, const char *bytes, size_t len)
{
    return i <= n && n - i >= len && memcmp(t + i, bytes, len) == 0;
}

/* A case-insensitive (ASCII) `bytes` at `i`. */
static int
folded_bytes_at(const unsigned char *t, size_t n, size_t i, const char *bytes, size_t len)
{
    if (i > n || n - i < len) {
        return 0;
    }
    for (size_t k = 0; k < len; k++) {
        if (lower(t[i + k]) != lower((unsigned char)bytes[k])) {
            return 0;
        }
    }
    return 1;
}

/* The string literal `literal` at `i`, case-sensitive or not. */
#define LITERAL_AT(t, n, i, literal) bytes_at(t, n, i, literal, sizeof(literal) - 1)
#define FOLDED_LITERAL_AT(t, n, i, literal) folded_bytes_at(t, n, i, literal, sizeof(literal) - 1)

/* ---- output -------------------------------------------------------------------------------- */

typedef struct {
    unsigned char *data;
    size_t len;
    size_t cap;
} Buffer;

static int
buffer_reserve(Buffer *buffer, size_t extra)
{
    if (extra > (size_t)PY_SSIZE_T_MAX - buffer->len) {
        PyErr_NoMemory();
        return -1;
    }
    size_t need = buffer->len + extra;
    if (need <= buffer->cap) {
        return 0;
    }
    size_t cap = buffer->cap ? buffer->cap : 256;
    while (cap < need) {
        cap = cap > (size_t)PY_SSIZE_T_MAX / 2 ? need : cap * 2;
    }
    unsigned char *data = PyMem_Realloc(buffer->data, cap);
    if (data == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    buffer->data = data;
    buffer->cap = cap;
    return 0;
}

static int
buffer_append(Buffer *buffer, const void *bytes, size_t len)
{
    if (len == 0) {
        return 0;
    }
    if (buffer_reserve(buffer, len) < 0) {
        return -1;
    }
    memcpy(buffer->data + buffer->len, bytes, len);
    buffer->len += len;
    return 0;
}

static int
buffer_append_literal(Buffer *buffer, const char *literal)
{
    return buffer_append(buffer, literal, strlen(literal));
}

/* A substitution in progress: the text up to `copied` is in `out`, with its matches replaced. */
typedef struct {
    const unsigned char *text;
    size_t copied;
    size_t matches;
    Buffer *out;
} Rewrite;

/* Copies the text before a match at `start`; the caller appends the replacement, then calls
 * `rewrite_skip` with the match's end. */
static int
rewrite_begin(Rewrite *rewrite, size_t start)
{
    rewrite->matches++;
    return buffer_append(rewrite->out, rewrite->text + rewrite->copied, start - rewrite->copied);
}

static void
rewrite_skip(Rewrite *rewrite, size_t end)
{
    rewrite->copied = end;
}

static int
rewrite_replace(Rewrite *rewrite, size_t start, size_t end, const char *replacement)
{
    if (rewrite_begin(rewrite, start) < 0 ||
        buffer_append_literal(rewrite->out, replacement) < 0) {
        return -1;
    }
    rewrite_skip(rewrite, end);
    return 0;
}

/* 1 when the text changed (the rewritten text is in `out`), 0 when nothing matched (`out` is
 * left empty and the text is unchanged), -1 on error. */
static int
rewrite_finish(Rewrite *rewrite, size_t n)
{
    if (rewrite->matches == 0) {
        return 0;
    }
    if (buffer_append(rewrite->out, rewrite->text + rewrite->copied, n - rewrite->copied) < 0) {
        return -1;
    }
    return 1;
}

/* A pass: reads `t[:n]`, writes the substituted text to `out`; returns as `rewrite_finish`. */
typedef int (*Pass)(const unsigned char *t, size_t n, Buffer *out);

/* A pass whose matches are found by `match(t, n, i)`, which returns the end of the match at `i`
 * (or 0 for none), each replaced with `replacement`. */
typedef size_t (*Matcher)(const unsigned char *t, size_t n, size_t i);

/* The matches of a pattern that starts with `\b` and a digit, or with `\b`, the letter `prefix`
 * (-1 for none) and a digit, or with a character of the classes `other_starts`. Text holds few
 * of these characters: the scan skips from one to the next. */
static int
replace_number_matches(const unsigned char *t, size_t n, Buffer *out, Matcher match,
                       const char *replacement, int prefix, int other_starts)
{
    Rewrite rewrite = {t, 0, 0, out};
    int starts = DIGIT | other_starts;
    size_t i = 0;
    for (;;) {
        while (i < n && !(CLASSES[t[i]] & starts)) {
            i++;
        }
        if (i >= n) {
            break;
        }
        size_t start = i;
        if (is_digit(t[i]) && !starts_word(t, i)) {
            /* `i > 0` here; the prefix must lie after the last match. */
            if (t[i - 1] != prefix || i - 1 < rewrite.copied || !starts_word(t, i - 1)) {
                i++;
                continue;
            }
            start = i - 1;
        }
        size_t end = match(t, n, start);
        if (end > start) {
            if (rewrite_replace(&rewrite, start, end, replacement) < 0) {
                return -1;
            }
            i = end;
        }
        else {
            i++;
        }
    }
    return rewrite_finish(&rewrite, n);
}

/* ---- URLs ---------------------------------------------------------------------------------- */
/* \b[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^\s/@:]+@)?([^\s/:?#'\"<>()]+)[^\s'\"<>()]*
 * replaced with `<url:` + the lowercased host (group 1) + `>`.
 *
 * The scheme's run ends where the run of scheme characters ends (`:` is not one of them), so a
 * match starting anywhere in a run needs `://` right after the run, and every start in the run
 * has the same rest: the run is tried once, from its first start (a letter after a non-`\w`
 * character). A match ends at whitespace, a quote, `<>()` or the end, none of them scheme
 * characters: the next run begins after it. */

static inline int
is_scheme(int c)
{
    return has_class(c, SCHEME);
}

static inline int
is_userinfo(int c)
{
    return has_class(c, USERINFO);
}

static inline int
is_host(int c)
{
    return has_class(c, HOST);
}

static inline int
is_url_rest(int c)
{
    return has_class(c, URL_REST);
}

/* The host's start after `://` at `after`: after `user@` when that is followed by a host
 * character, else right after `://` (the optional user part backtracked), else none (0). */
static size_t
url_host(const unsigned char *t, size_t n, size_t after)
{
    size_t user_end = after;
    while (user_end < n && is_userinfo(t[user_end])) {
        user_end++;
    }
    if (user_end > after && at(t, n, user_end) == '@' && is_host(at(t, n, user_end + 1))) {
        return user_end + 1;
    }
    return is_host(at(t, n, after)) ? after : 0;
}

/* Whether `t` holds `://` (most texts hold no URL). */
static int
holds_scheme_separator(const unsigned char *t, size_t n)
{
    for (const unsigned char *colon = memchr(t, ':', n); colon != NULL;
         colon = memchr(colon + 1, ':', n - (size_t)(colon + 1 - t))) {
        if (LITERAL_AT(t, n, (size_t)(colon - t), "://")) {
            return 1;
        }
    }
    return 0;
}

static int
url_pass(const unsigned char *t, size_t n, Buffer *out)
{
    if (n == 0 || !holds_scheme_separator(t, n)) {
        return 0;
    }
    Rewrite rewrite = {t, 0, 0, out};
    size_t i = 0;
    while (i < n) {
        if (!is_scheme(t[i])) {
            i++;
            continue;
        }
        size_t run_end = i;
        while (run_end < n && is_scheme(t[run_end])) {
            run_end++;
        }
        if (!LITERAL_AT(t, n, run_end, "://")) {
            i = run_end;
            continue;
        }
        size_t start = i;
        while (start < run_end && !(is_alpha(t[start]) && starts_word(t, start))) {
            start++;
        }
        size_t host = start < run_end ? url_host(t, n, run_end + 3) : 0;
        if (host == 0) {
            i = run_end;
            continue;
        }
        size_t host_end = host;
        while (host_end < n && is_host(t[host_end])) {
            host_end++;
        }
        size_t end = host_end;
        while (end < n && is_url_rest(t[end])) {
            end++;
        }
        if (rewrite_begin(&rewrite, start) < 0 || buffer_append_literal(out, "<url:") < 0 ||
            buffer_reserve(out, host_end - host + 1) < 0) {
            return -1;
        }
        for (size_t k = host; k < host_end; k++) {
            out->data[out->len++] = (unsigned char)lower(t[k]);
        }
        out->data[out->len++] = '>';
        rewrite_skip(&rewrite, end);
        i = end;
    }
    return rewrite_finish(&rewrite, n);
}

/* ---- timestamps ---------------------------------------------------------------------------- */
/* \b\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?\b
 * |\b\d\d:\d\d:\d\d(?:[.,]\d+)?\b
 *
 * The candidate ends are tried in the engine's order; the first followed by `\b` wins. A
 * fraction shorter than its run of digits is followed by a digit, which neither `\b` nor a
 * zone accepts: only the whole run is tried. */

/* The end of `Z|[+-]\d\d:?\d\d` at `i`, or 0. At most one of `Z`, `+hh:mm` and `+hhmm` fits. */
static size_t
zone_end(const unsigned char *t, size_t n, size_t i)
{
    int c = at(t, n, i);
    if (c == 'Z') {
        return i + 1;
    }
    if ((c == '+' || c == '-') && digits_at(t, n, i + 1, 2)) {
        if (at(t, n, i + 3) == ':' && digits_at(t, n, i + 4, 2)) {
            return i + 6;
        }
        if (digits_at(t, n, i + 3, 2)) {
            return i + 5;
        }
    }
    return 0;
}

/* The end of `[.,]\d+` at `i`, or 0. */
static size_t
fraction_end(const unsigned char *t, size_t n, size_t i)
{
    int c = at(t, n, i);
    if ((c == '.' || c == ',') && is_digit(at(t, n, i + 1))) {
        return digits_end(t, n, i + 1);
    }
    return 0;
}

static size_t
timestamp_match(const unsigned char *t, size_t n, size_t i)
{
    if (!is_digit(t[i]) || !starts_word(t, i)) {
        return 0;
    }
    if (digits_at(t, n, i, 4) && at(t, n, i + 4) == '-' && digits_at(t, n, i + 5, 2) &&
        at(t, n, i + 7) == '-' && digits_at(t, n, i + 8, 2)) {
        size_t date_end = i + 10;
        int sep = at(t, n, date_end);
        if ((sep == 'T' || sep == ' ') && digits_at(t, n, date_end + 1, 2) &&
            at(t, n, date_end + 3) == ':' && digits_at(t, n, date_end + 4, 2)) {
            /* The time's possible ends, longest first: seconds with a fraction, seconds, hh:mm;
             * each with a zone, then without. */
            size_t minutes_end = date_end + 6;
            size_t ends[3];
            int count = 0;
            if (at(t, n, minutes_end) == ':' && digits_at(t, n, minutes_end + 1, 2)) {
                size_t seconds_end = minutes_end + 3;
                size_t fraction = fraction_end(t, n, seconds_end);
                if (fraction) {
                    ends[count++] = fraction;
                }
                ends[count++] = seconds_end;
            }
            ends[count++] = minutes_end;
            for (int k = 0; k < count; k++) {
                size_t zone = zone_end(t, n, ends[k]);
                if (zone && boundary(t, n, zone)) {
                    return zone;
                }
                if (boundary(t, n, ends[k])) {
                    return ends[k];
                }
            }
        }
        if (boundary(t, n, date_end)) {
            return date_end;
        }
    }
    if (digits_at(t, n, i, 2) && at(t, n, i + 2) == ':' && digits_at(t, n, i + 3, 2) &&
        at(t, n, i + 5) == ':' && digits_at(t, n, i + 6, 2)) {
        size_t seconds_end = i + 8;
        size_t fraction = fraction_end(t, n, seconds_end);
        if (fraction && boundary(t, n, fraction)) {
            return fraction;
        }
        if (boundary(t, n, seconds_end)) {
            return seconds_end;
        }
    }
    return 0;
}

static int
timestamp_pass(const unsigned char *t, size_t n, Buffer *out)
{
    return replace_number_matches(t, n, out, timestamp_match, "<ts>", -1, 0);
}

/* ---- UUIDs --------------------------------------------------------------------------------- */
/* \b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b: fixed
 * length, nothing to backtrack. */

static size_t
uuid_match(const unsigned char *t, size_t n, size_t i)
{
    if (!is_hex(t[i]) || !starts_word(t, i)) {
        return 0;
    }
    static const size_t groups[] = {8, 4, 4, 4, 12};
    size_t p = i;
    for (size_t g = 0; g < 5; g++) {
        if (g > 0) {
            if (at(t, n, p) != '-') {
                return 0;
            }
            p++;
        }
        if (!hex_at(t, n, p, groups[g])) {
            return 0;
        }
        p += groups[g];
    }
    return boundary(t, n, p) ? p : 0;
}

/* A match has its first `-` eight characters after its start: each `-` is tried once. */
static int
uuid_pass(const unsigned char *t, size_t n, Buffer *out)
{
    Rewrite rewrite = {t, 0, 0, out};
    const unsigned char *dash = n ? memchr(t, '-', n) : NULL;
    while (dash != NULL) {
        size_t at_dash = (size_t)(dash - t);
        size_t next = at_dash + 1;
        if (at_dash >= rewrite.copied + 8) {
            size_t start = at_dash - 8;
            size_t end = uuid_match(t, n, start);
            if (end > start) {
                if (rewrite_replace(&rewrite, start, end, "<uuid>") < 0) {
                    return -1;
                }
                next = end;
            }
        }
        dash = next < n ? memchr(t + next, '-', n - next) : NULL;
    }
    return rewrite_finish(&rewrite, n);
}

/* ---- IP addresses -------------------------------------------------------------------------- */
/* \b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b|\[[0-9a-fA-F:]*::[0-9a-fA-F:]*\]
 *
 * A `\d{1,3}` shorter than its run of digits is followed by a digit, which neither `.`, `:`
 * nor `\b` accepts: each octet is a whole run of one to three digits (a longer run matches no
 * way), and a port is a whole run. In the bracketed form the first `[0-9a-fA-F:]*` backtracks
 * to the last `::` of the run and the second one takes the rest of the run, so it matches when
 * the run holds `::` and `]` follows it. */

static inline int
is_hex_or_colon(int c)
{
    return is_hex(c) || c == ':';
}

static size_t
ipv6_match(const unsigned char *t, size_t n, size_t i)
{
    size_t p = i + 1;
    int double_colon = 0;
    while (p < n && is_hex_or_colon(t[p])) {
        if (t[p] == ':' && p > i + 1 && t[p - 1] == ':') {
            double_colon = 1;
        }
        p++;
    }
    return double_colon && at(t, n, p) == ']' ? p + 1 : 0;
}

static size_t
ipv4_match(const unsigned char *t, size_t n, size_t i)
{
    size_t p = i;
    for (int octet = 0; octet < 4; octet++) {
        size_t end = digits_end(t, n, p);
        if (end == p || end - p > 3) {
            return 0;
        }
        if (octet == 3) {
            p = end;
            break;
        }
        if (at(t, n, end) != '.') {
            return 0;
        }
        p = end + 1;
    }
    if (at(t, n, p) == ':' && is_digit(at(t, n, p + 1))) {
        size_t port_end = digits_end(t, n, p + 1);
        if (boundary(t, n, port_end)) {
            return port_end;
        }
    }
    return boundary(t, n, p) ? p : 0;
}

static size_t
ip_match(const unsigned char *t, size_t n, size_t i)
{
    if (t[i] == '[') {
        return ipv6_match(t, n, i);
    }
    if (is_digit(t[i]) && starts_word(t, i)) {
        return ipv4_match(t, n, i);
    }
    return 0;
}

static int
ip_pass(const unsigned char *t, size_t n, Buffer *out)
{
    return replace_number_matches(t, n, out, ip_match, "<ip>", -1, BRACKET);
}

/* ---- paths --------------------------------------------------------------------------------- */
/* `_mask_paths`: in each whitespace-separated token that holds a `/` or `\`, taken as a string
 * of its own, the matches of
 *
 *   (?<![\w>])(?:[A-Za-z]:\\|~?/|\.{1,2}/)?(?:[\w.@+~-]+[/\\])+([\w.@+~-]*)
 *   |(?<![\w>])(?:[A-Za-z]:\\|/)([\w.@+~-]+)(?=$|[\s:'\"),;\]])
 *
 * are replaced by `_mask_path`: `<tmp>` or `<path>`, then `/` and the last component unless it
 * is empty or (under a temporary directory) looks random.
 *
 * Name characters are not separators, so `[\w.@+~-]+[/\\]` takes a whole run of them and needs
 * a separator after it; nothing after the repetition can fail, so it repeats as often as it can
 * and the last component is the whole run after it. The optional prefix is tried alternative by
 * alternative, then left out (`./x` matches as `.` `/` `x` when `./` then `x/` fails). A token
 * like `-a-a-a...:` would have its run of name characters read again from each start: the run's
 * end is remembered. */

static inline int
is_name(int c)
{
    return has_class(c, NAME);
}

static inline int
is_separator(int c)
{
    return has_class(c, SEPARATOR);
}

/* Where the run of name characters from `i` ends; runs are maximal, so every position of the
 * run last read shares its end. */
typedef struct {
    size_t start;
    size_t end;
    int known;
} NameRun;

static size_t
name_end(const unsigned char *tok, size_t m, size_t i, NameRun *run)
{
    if (run->known && run->start <= i && i <= run->end) {
        return run->end;
    }
    size_t end = i;
    while (end < m && is_name(tok[end])) {
        end++;
    }
    run->start = i;
    run->end = end;
    run->known = 1;
    return end;
}

typedef struct {
    size_t end;
    size_t last_start; /* the last component: tok[last_start:last_end] */
    size_t last_end;
} PathMatch;

/* `(?:[\w.@+~-]+[/\\])+([\w.@+~-]*)` at `p`. */
static int
path_components(const unsigned char *tok, size_t m, size_t p, NameRun *run, PathMatch *found)
{
    int directories = 0;
    for (;;) {
        size_t end = name_end(tok, m, p, run);
        if (end == p || !is_separator(at(tok, m, end))) {
            break;
        }
        p = end + 1;
        directories++;
    }
    if (!directories) {
        return 0;
    }
    found->last_start = p;
    found->last_end = found->end = name_end(tok, m, p, run);
    return 1;
}

static inline int
drive_at(const unsigned char *tok, size_t m, size_t i)
{
    return is_alpha(at(tok, m, i)) && at(tok, m, i + 1) == ':' && at(tok, m, i + 2) == '\\';
}

static int
path_match(const unsigned char *tok, size_t m, size_t i, NameRun *run, PathMatch *found)
{
    if (i > 0 && (is_word(tok[i - 1]) || tok[i - 1] == '>')) {
        return 0;
    }
    /* First alternative: the prefix's options in the engine's order (they exclude each other
     * by their first character), then no prefix. */
    size_t prefix = 0;
    if (drive_at(tok, m, i)) {
        prefix = 3;
    }
    else if (LITERAL_AT(tok, m, i, "~/")) {
        prefix = 2;
    }
    else if (tok[i] == '/') {
        prefix = 1;
    }
    else if (LITERAL_AT(tok, m, i, "../")) {
        prefix = 3;
    }
    else if (LITERAL_AT(tok, m, i, "./")) {
        prefix = 2;
    }
    if (prefix && path_components(tok, m, i + prefix, run, found)) {
        return 1;
    }
    if (path_components(tok, m, i, run, found)) {
        return 1;
    }
    /* Second alternative: a drive or `/`, one component, then the end of the token or one of
     * `:'"),;]` (the lookahead's whitespace cannot occur inside a token). `[\w.@+~-]+` is not
     * followed by a name character when shorter than its run, so only the whole run fits. */
    size_t start;
    if (drive_at(tok, m, i)) {
        start = i + 3;
    }
    else if (tok[i] == '/') {
        start = i + 1;
    }
    else {
        return 0;
    }
    size_t end = name_end(tok, m, start, run);
    if (end == start || (end < m && !one_of(tok[end], ":'\"),;]"))) {
        return 0;
    }
    found->end = found->last_end = end;
    found->last_start = start;
    return 1;
}

/* `_TEMP_DIR.match(path)`, case-insensitive. */
static int
is_temp_dir(const unsigned char *path, size_t len)
{
    if (path[0] == '/' &&
        (FOLDED_LITERAL_AT(path, len, 0, "/tmp/") ||
         FOLDED_LITERAL_AT(path, len, 0, "/var/folders/") ||
         FOLDED_LITERAL_AT(path, len, 0, "/private/var/") ||
         FOLDED_LITERAL_AT(path, len, 0, "/home/runner/work/_temp/") ||
         FOLDED_LITERAL_AT(path, len, 0, "/dev/shm/"))) {
        return 1;
    }
    /* `[A-Za-z]:\\.*\\Temp\\`: `\Temp\` anywhere after the drive (`.*` starts after its `\`);
     * `.*` then `/AppData/Local/Temp/`: anywhere. A token holds no newline for `.` to stop at. */
    int drive = drive_at(path, len, 0);
    for (size_t i = 0; i < len; i++) {
        if (path[i] == '\\' && drive && i >= 3 && FOLDED_LITERAL_AT(path, len, i, "\\temp\\")) {
            return 1;
        }
        if (path[i] == '/' && FOLDED_LITERAL_AT(path, len, i, "/appdata/local/temp/")) {
            return 1;
        }
    }
    return 0;
}

/* `_RANDOM_NAME.match(name)`: only `[\w-]` characters, at least one digit (the optional
 * prefixes are made of `[\w-]` characters themselves). */
static int
is_random_name(const unsigned char *name, size_t len)
{
    int digit = 0;
    for (size_t i = 0; i < len; i++) {
        if (!is_word(name[i]) && name[i] != '-') {
            return 0;
        }
        digit |= is_digit(name[i]);
    }
    return digit;
}

static int
mask_paths_in_token(const unsigned char *t, size_t start, size_t m, Rewrite *rewrite)
{
    const unsigned char *tok = t + start;
    NameRun run = {0, 0, 0};
    size_t i = 0;
    while (i < m) {
        PathMatch found;
        if (!path_match(tok, m, i, &run, &found)) {
            i++;
            continue;
        }
        size_t last_len = found.last_end - found.last_start;
        int temp = is_temp_dir(tok + i, found.end - i);
        if (rewrite_begin(rewrite, start + i) < 0 ||
            buffer_append_literal(rewrite->out, temp ? "<tmp>" : "<path>") < 0) {
            return -1;
        }
        if (last_len && !(temp && is_random_name(tok + found.last_start, last_len))) {
            if (buffer_append_literal(rewrite->out, "/") < 0 ||
                buffer_append(rewrite->out, tok + found.last_start, last_len) < 0) {
                return -1;
            }
        }
        rewrite_skip(rewrite, start + found.end);
        i = found.end;
    }
    return 0;
}

static int
path_pass(const unsigned char *t, size_t n, Buffer *out)
{
    Rewrite rewrite = {t, 0, 0, out};
    size_t token_end = 0; /* the tokens before it are done */
    size_t i = 0;
    for (;;) {
        while (i < n && !is_separator(t[i])) {
            i++;
        }
        if (i >= n) {
            break;
        }
        size_t start = i;
        while (start > token_end && !is_space(t[start - 1])) {
            start--;
        }
        token_end = i;
        while (token_end < n && !is_space(t[token_end])) {
            token_end++;
        }
        if (mask_paths_in_token(t, start, token_end - start, &rewrite) < 0) {
            return -1;
        }
        i = token_end;
    }
    return rewrite_finish(&rewrite, n);
}

/* ---- versions ------------------------------------------------------------------------------ */
/* \bv?\d+(?:\.\d+){1,3}(?:[-+][0-9A-Za-z.-]+)?\b
 *
 * A `\d+` shorter than its run is followed by a digit, which neither `.`, `[-+]` nor `\b`
 * accepts: each number is its whole run. The engine tries the most `.\d+` parts first (up to
 * three), each with the suffix (its `[0-9A-Za-z.-]+` longest first, down to one character) and
 * then without it, the first end followed by `\b` winning. With fewer parts than were read a
 * `.` follows, so no suffix fits, and `\b` holds there after a digit. The suffix's run ends
 * where the match may continue: the match ends at the run's last `\b`, and the rest of the run
 * (all `\w` or all not) cannot start a version. */

static inline int
is_suffix(int c)
{
    return has_class(c, VERSION_SUFFIX);
}

static size_t
version_match(const unsigned char *t, size_t n, size_t i)
{
    if (!starts_word(t, i)) {
        return 0;
    }
    size_t p = i;
    if (t[p] == 'v') {
        p++;
    }
    if (!is_digit(at(t, n, p))) {
        return 0;
    }
    p = digits_end(t, n, p);
    size_t part_ends[3];
    int parts = 0;
    while (parts < 3 && at(t, n, p) == '.' && is_digit(at(t, n, p + 1))) {
        p = digits_end(t, n, p + 1);
        part_ends[parts++] = p;
    }
    for (int k = parts - 1; k >= 0; k--) {
        size_t end = part_ends[k];
        int c = at(t, n, end);
        if ((c == '-' || c == '+') && is_suffix(at(t, n, end + 1))) {
            size_t suffix_end = end + 1;
            while (suffix_end < n && is_suffix(t[suffix_end])) {
                suffix_end++;
            }
            for (size_t e = suffix_end; e >= end + 2; e--) {
                if (boundary(t, n, e)) {
                    return e;
                }
            }
        }
        if (boundary(t, n, end)) {
            return end;
        }
    }
    return 0;
}

static int
version_pass(const unsigned char *t, size_t n, Buffer *out)
{
    return replace_number_matches(t, n, out, version_match, "<ver>", 'v', 0);
}

/* ---- sizes and durations ------------------------------------------------------------------- */
/* Both start with \b\d+(?:\.\d+)?\s?, then a unit followed by \b. A number shorter than its
 * run, a number without its fraction (`.` follows) or no space where there is one (the space
 * follows) leaves a character that no unit starts with: each part is taken whole and the units
 * are tried in the order of the alternation. */

/* Where the unit starts after the number at `i`, or 0 when `i` does not start a number. */
static size_t
unit_start(const unsigned char *t, size_t n, size_t i)
{
    if (!is_digit(t[i]) || !starts_word(t, i)) {
        return 0;
    }
    size_t p = digits_end(t, n, i);
    if (at(t, n, p) == '.' && is_digit(at(t, n, p + 1))) {
        p = digits_end(t, n, p + 1);
    }
    if (is_space(at(t, n, p))) {
        p++;
    }
    return p;
}

typedef struct {
    const char *text;
    size_t len;
} Unit;

#define UNIT(text) {text, sizeof(text) - 1}

/* The end of the first of `units` (in order) at `u` followed by `\b`, or 0. */
static size_t
unit_end(const unsigned char *t, size_t n, size_t u, const Unit *units, size_t count)
{
    if (!is_alpha(at(t, n, u))) {
        return 0;
    }
    for (size_t k = 0; k < count; k++) {
        if (bytes_at(t, n, u, units[k].text, units[k].len) && boundary(t, n, u + units[k].len)) {
            return u + units[k].len;
        }
    }
    return 0;
}

/* (?:[KMGTP]i?B|[kKMGT]b|bytes?|B), spelled out in the engine's order. */
static const Unit SIZE_UNITS[] = {
    UNIT("KiB"), UNIT("KB"), UNIT("MiB"), UNIT("MB"), UNIT("GiB"), UNIT("GB"),
    UNIT("TiB"), UNIT("TB"), UNIT("PiB"), UNIT("PB"),
    UNIT("kb"), UNIT("Kb"), UNIT("Mb"), UNIT("Gb"), UNIT("Tb"),
    UNIT("bytes"), UNIT("byte"),
    UNIT("B"),
};

static size_t
size_match(const unsigned char *t, size_t n, size_t i)
{
    size_t u = unit_start(t, n, i);
    return u ? unit_end(t, n, u, SIZE_UNITS, sizeof SIZE_UNITS / sizeof SIZE_UNITS[0]) : 0;
}

static int
size_pass(const unsigned char *t, size_t n, Buffer *out)
{
    return replace_number_matches(t, n, out, size_match, "<size>", -1, 0);
}

/* (?:ms|µs|us|ns|s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?) without `µs`, which ASCII
 * text cannot hold; optional letters longest first. */
static const Unit DURATION_UNITS[] = {
    UNIT("ms"), UNIT("us"), UNIT("ns"), UNIT("s"), UNIT("sec"), UNIT("secs"),
    UNIT("seconds"), UNIT("second"), UNIT("m"), UNIT("min"), UNIT("mins"),
    UNIT("minutes"), UNIT("minute"), UNIT("h"), UNIT("hours"), UNIT("hour"),
};

/* \(\d+:\d\d(?::\d\d)?\): the `\d+` is its whole run (`:` must follow). */
static size_t
clock_match(const unsigned char *t, size_t n, size_t i)
{
    size_t p = digits_end(t, n, i + 1);
    if (p == i + 1 || at(t, n, p) != ':' || !digits_at(t, n, p + 1, 2)) {
        return 0;
    }
    p += 3;
    if (at(t, n, p) == ':' && digits_at(t, n, p + 1, 2) && at(t, n, p + 3) == ')') {
        return p + 4;
    }
    return at(t, n, p) == ')' ? p + 1 : 0;
}

static size_t
duration_match(const unsigned char *t, size_t n, size_t i)
{
    if (t[i] == '(') {
        return clock_match(t, n, i);
    }
    size_t u = unit_start(t, n, i);
    return u ? unit_end(t, n, u, DURATION_UNITS,
                        sizeof DURATION_UNITS / sizeof DURATION_UNITS[0])
             : 0;
}

static int
duration_pass(const unsigned char *t, size_t n, Buffer *out)
{
    return replace_number_matches(t, n, out, duration_match, "<dur>", -1, PARENTHESIS);
}

/* ---- hex ----------------------------------------------------------------------------------- */
/* \b0x[0-9a-fA-F]+\b|\b(?=[0-9a-fA-F]*\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{7,}\b
 *
 * Shorter than its run, a hex run is followed by a hex digit and `\b` fails: each alternative
 * needs its whole run followed by `\b`. The lookaheads ask for a digit and a letter within the
 * run starting at the match. */

static size_t
hex_match(const unsigned char *t, size_t n, size_t i)
{
    if (!is_hex(t[i]) || !starts_word(t, i)) {
        return 0;
    }
    if (t[i] == '0' && at(t, n, i + 1) == 'x' && is_hex(at(t, n, i + 2))) {
        size_t end = hex_end(t, n, i + 2);
        if (boundary(t, n, end)) {
            return end;
        }
    }
    size_t end = hex_end(t, n, i);
    if (end - i < 7 || !boundary(t, n, end)) {
        return 0;
    }
    int digit = 0, letter = 0;
    for (size_t k = i; k < end; k++) {
        digit |= is_digit(t[k]);
        letter |= !is_digit(t[k]);
    }
    return digit && letter ? end : 0;
}

/* A match is a whole run of `\w` characters (from a `\b` to a `\b`) and holds a digit (the `0`
 * of `0x`, or the one the lookahead asks for): each run that holds a digit is tried once, from
 * its start. */
static int
hex_pass(const unsigned char *t, size_t n, Buffer *out)
{
    Rewrite rewrite = {t, 0, 0, out};
    size_t i = 0;
    for (;;) {
        while (i < n && !is_digit(t[i])) {
            i++;
        }
        if (i >= n) {
            break;
        }
        size_t start = i;
        while (start > rewrite.copied && is_word(t[start - 1])) {
            start--;
        }
        size_t end = hex_match(t, n, start);
        if (end > start) {
            if (rewrite_replace(&rewrite, start, end, "<hex>") < 0) {
                return -1;
            }
            i = end;
        }
        else {
            while (i < n && is_word(t[i])) {
                i++;
            }
        }
    }
    return rewrite_finish(&rewrite, n);
}

/* ---- numbers ------------------------------------------------------------------------------- */

/* \d+, inside words too. */
static int
number_pass(const unsigned char *t, size_t n, Buffer *out)
{
    Rewrite rewrite = {t, 0, 0, out};
    for (size_t i = 0; i < n; i++) {
        if (is_digit(t[i])) {
            size_t end = digits_end(t, n, i);
            if (rewrite_replace(&rewrite, i, end, "<n>") < 0) {
                return -1;
            }
            i = end;
        }
    }
    return rewrite_finish(&rewrite, n);
}

/* ---- the whole normalisation --------------------------------------------------------------- */

static const Pass PASSES[] = {
    url_pass,     timestamp_pass, uuid_pass, ip_pass,  path_pass,
    version_pass, size_pass,      duration_pass, hex_pass, number_pass,
};

/* `" ".join(text.split()).lower()` as a new str; `scratch` holds it on the way. */
static PyObject *
collapsed_lowercase(const unsigned char *t, size_t n, Buffer *scratch)
{
    scratch->len = 0;
    if (buffer_reserve(scratch, n) < 0) {
        return NULL;
    }
    unsigned char *out = scratch->data;
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_space(t[i])) {
            if (len > 0 && is_space(t[i - 1])) {
                out[len++] = ' ';
            }
            out[len++] = (unsigned char)lower(t[i]);
        }
    }
    PyObject *result = PyUnicode_New((Py_ssize_t)len, 127);
    if (result != NULL && len > 0) {
        memcpy(PyUnicode_1BYTE_DATA(result), out, len);
    }
    return result;
}

static PyObject *
normalize_text(PyObject *module, PyObject *arg)
{
    if (!PyUnicode_Check(arg)) {
        PyErr_Format(PyExc_TypeError, "normalize_text: expected str, got %.100s",
                     Py_TYPE(arg)->tp_name);
        return NULL;
    }
    if (!PyUnicode_IS_ASCII(arg)) {
        Py_RETURN_NONE;
    }
    const unsigned char *text = PyUnicode_1BYTE_DATA(arg);
    size_t len = (size_t)PyUnicode_GET_LENGTH(arg);
    /* The current text is the argument until a pass changes it, then one of two buffers that
     * the passes write to in turn. */
    Buffer current = {NULL, 0, 0}, next = {NULL, 0, 0};
    PyObject *result = NULL;
    for (size_t k = 0; k < sizeof PASSES / sizeof PASSES[0]; k++) {
        next.len = 0;
        int changed = PASSES[k](text, len, &next);
        if (changed < 0) {
            goto done;
        }
        if (changed) {
            Buffer written = next;
            next = current;
            current = written;
            text = current.data;
            len = current.len;
        }
    }
    result = collapsed_lowercase(text, len, &next);
done:
    PyMem_Free(current.data);
    PyMem_Free(next.data);
    return result;
}

static PyMethodDef methods[] = {
    {"normalize_text", normalize_text, METH_O,
     "normalize_text(text, /)\n--\n\n`model._normalize.normalize_text` for an ASCII str; None "
     "for any other str."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    "_cnormalize",
    "`model._normalize.normalize_text` in C for ASCII text.",
    -1,
    methods,
    NULL,
    NULL,
    NULL,
    NULL,
};

PyMODINIT_FUNC
PyInit__cnormalize(void)
{
    init_classes();
    return PyModule_Create(&module);
}
