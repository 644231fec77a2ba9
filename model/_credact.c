/* `model.redact.redact_secrets` for ASCII text, without regular expressions.
 *
 * `redact_secrets` runs fourteen substitutions over every text the classifier reads; in Python
 * each rule whose hint occurs in the text is a regex scan of the whole text, tens of
 * microseconds per text in all. Here each rule of `redact._RULES` is a small matcher that finds, from a given
 * offset, the leftmost match of its pattern exactly as Python's regex engine would (greedy
 * quantifiers, backtracking, `\b`, IGNORECASE on ASCII letters), and `substitute` applies it
 * over the whole text like `pattern.subn`; the rules run in order, each on the output of the
 * previous one, so a `[REDACTED]` written by one rule is seen by the later ones.
 *
 * Every matcher is linear in the text: where a plain backtracking scan would read a run again
 * from each of its start positions, the matcher reasons once per run that all those starts give
 * the same result (see `model._runs` for the two run-anchored rules).
 *
 * `redact_secrets(text)` returns the redacted str, the same object when nothing is redacted,
 * or None when `text` is not ASCII (the caller then runs the Python rules).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#endif
#include <string.h>

#define REDACTED "[REDACTED]"
#define REDACTED_LEN (sizeof(REDACTED) - 1)
#define NOT_FOUND ((size_t)-1)

/* ------------------------------------------------------------------ character classes */

enum {
    C_WORD = 1,     /* \w: [A-Za-z0-9_] */
    C_SPACE = 2,    /* \s on ASCII: [ \t\n\v\f\r\x1c-\x1f] */
    C_ALNUM = 4,    /* [A-Za-z0-9] */
    C_LETTER = 8,   /* [A-Za-z] */
    C_UPPER_DIGIT = 16, /* [A-Z0-9] */
    C_SCHEME = 32,  /* [a-z0-9+.-] under IGNORECASE: a URL scheme's characters */
    C_NAME = 64,    /* [A-Za-z0-9_.-]: the name of an assignment */
    C_BEARER = 128, /* [A-Za-z0-9._~+/=-]: a bearer token */
};

static unsigned char char_class[256];

static void
init_classes(void)
{
    for (int c = 0; c < 256; c++) {
        unsigned char bits = 0;
        int upper = c >= 'A' && c <= 'Z', lower = c >= 'a' && c <= 'z';
        int digit = c >= '0' && c <= '9';
        if (upper || lower) {
            bits |= C_LETTER;
        }
        if (upper || lower || digit) {
            bits |= C_ALNUM | C_SCHEME | C_NAME | C_BEARER | C_WORD;
        }
        if (upper || digit) {
            bits |= C_UPPER_DIGIT;
        }
        if (c == '_') {
            bits |= C_WORD | C_NAME | C_BEARER;
        }
        if (c == '.' || c == '-') {
            bits |= C_SCHEME | C_NAME | C_BEARER;
        }
        if (c == '+') {
            bits |= C_SCHEME | C_BEARER;
        }
        if (c == '~' || c == '/' || c == '=') {
            bits |= C_BEARER;
        }
        if (c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f)) {
            bits |= C_SPACE;
        }
        char_class[c] = bits;
    }
}

#define IS(cls, c) ((char_class[(unsigned char)(c)] & (cls)) != 0)

/* The text a rule reads: its bytes and, for the case-insensitive rules, the same lowercased. */
typedef struct {
    const char *s;
    const char *low;
    size_t n;
} Text;

static inline int
is_word_at(const Text *t, size_t i)
{
    return i < t->n && IS(C_WORD, t->s[i]);
}

/* `\b` at offset `i`: a \w character on exactly one side (the text's ends are not \w). */
static inline int
boundary_at(const Text *t, size_t i)
{
    return (i > 0 && IS(C_WORD, t->s[i - 1])) != is_word_at(t, i);
}

/* `\b` before a \w character at `i`. */
static inline int
boundary_before(const Text *t, size_t i)
{
    return i == 0 || !IS(C_WORD, t->s[i - 1]);
}

static inline size_t
skip_class(const Text *t, size_t i, unsigned char cls)
{
    while (i < t->n && IS(cls, t->s[i])) {
        i++;
    }
    return i;
}

static inline int
starts_with(const char *s, size_t n, size_t i, const char *word, size_t len)
{
    return i <= n && n - i >= len && memcmp(s + i, word, len) == 0;
}

#define HAS(t, i, lit) starts_with((t)->s, (t)->n, (i), (lit), sizeof(lit) - 1)
#define HAS_FOLDED(t, i, lit) starts_with((t)->low, (t)->n, (i), (lit), sizeof(lit) - 1)

/* The first occurrence of `word` in `hay` at or after `from`, or NOT_FOUND. The search looks
 * for the pair of characters at `pair` in the word (chosen to be uncommon in logs), sixteen
 * positions at a time where SSE2 is available, then compares the whole word: the texts are
 * short, and most characters of a log are not the start of any rule's pattern. */
static size_t
find(const char *hay, size_t n, size_t from, const char *word, size_t len, size_t pair)
{
    if (from > n || n - from < len) {
        return NOT_FOUND;
    }
    if (len == 1) {
        const char *at = memchr(hay + from, word[0], n - from);
        return at == NULL ? NOT_FOUND : (size_t)(at - hay);
    }
    /* The pair's possible offsets are [i, last]; hay[last + 1] is inside the text. */
    size_t i = from + pair, last = n - len + pair;
    const char first = word[pair], second = word[pair + 1];
#if defined(__SSE2__) && defined(__GNUC__)
    const __m128i firsts = _mm_set1_epi8(first), seconds = _mm_set1_epi8(second);
    for (; i + 16 <= last + 1; i += 16) {
        __m128i here = _mm_loadu_si128((const __m128i *)(const void *)(hay + i));
        __m128i next = _mm_loadu_si128((const __m128i *)(const void *)(hay + i + 1));
        unsigned mask = (unsigned)_mm_movemask_epi8(
            _mm_and_si128(_mm_cmpeq_epi8(here, firsts), _mm_cmpeq_epi8(next, seconds)));
        for (; mask != 0; mask &= mask - 1) {
            size_t at = i + (size_t)__builtin_ctz(mask) - pair;
            if (memcmp(hay + at, word, len) == 0) {
                return at;
            }
        }
    }
#endif
    for (; i <= last; i++) {
        if (hay[i] == first && hay[i + 1] == second && memcmp(hay + i - pair, word, len) == 0) {
            return i - pair;
        }
    }
    return NOT_FOUND;
}

#define FIND(t, from, lit, pair) find((t)->s, (t)->n, (from), (lit), sizeof(lit) - 1, (pair))
#define FIND_FOLDED(t, from, lit, pair) \
    find((t)->low, (t)->n, (from), (lit), sizeof(lit) - 1, (pair))

/* ------------------------------------------------------------------ matches and substitution */

/* A match: [start, keep) is kept (the pattern's group 1, empty for rules without one), the
 * rest up to `end` is replaced. */
typedef struct {
    size_t start, keep, end;
} Match;

/* Finds the leftmost match starting at or after `from`; returns 0 when there is none. A rule
 * whose matcher keeps state between calls (the offsets already searched) gets it in `state`. */
typedef int (*Matcher)(const Text *t, size_t from, Match *m, void *state);

typedef struct {
    char *data;
    size_t len, cap;
} Buffer;

static int
append(Buffer *b, const char *data, size_t len)
{
    if (len == 0) {
        return 0; /* `data` may be NULL then */
    }
    if (len > b->cap - b->len) {
        size_t cap = b->cap ? b->cap : 256;
        while (len > cap - b->len) {
            if (cap > ((size_t)PY_SSIZE_T_MAX) / 2) {
                PyErr_NoMemory();
                return -1;
            }
            cap *= 2;
        }
        char *grown = PyMem_Realloc(b->data, cap);
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    return 0;
}

/* `pattern.subn(r"\1[REDACTED]" + suffix, text)` into `out`: the number of matches, -1 on
 * MemoryError. `out` is written only when there is a match. */
static Py_ssize_t
substitute(const Text *t, Matcher matcher, void *state, const char *suffix, Buffer *out)
{
    Py_ssize_t count = 0;
    size_t pos = 0;
    Match m;
    out->len = 0;
    while (pos <= t->n && matcher(t, pos, &m, state)) {
        if (append(out, t->s + pos, m.keep - pos) < 0 || append(out, REDACTED, REDACTED_LEN) < 0
            || append(out, suffix, strlen(suffix)) < 0) {
            return -1;
        }
        pos = m.end;
        count++;
    }
    if (count && append(out, t->s + pos, t->n - pos) < 0) {
        return -1;
    }
    return count;
}

/* ------------------------------------------------------------------ private key blocks */

/* `(?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----` at `i`: the end of the match, or NOT_FOUND.
 * The repetition takes whole words (a shorter word is followed by a letter, not a space), and
 * is greedy: of the word boundaries where `PRIVATE KEY...-----` follows, the last one wins. */
static size_t
key_label_end(const Text *t, size_t i)
{
    size_t found = NOT_FOUND;
    for (;;) {
        if (HAS(t, i, "PRIVATE KEY BLOCK-----")) {
            found = i + 22;
        }
        else if (HAS(t, i, "PRIVATE KEY-----")) {
            found = i + 16;
        }
        size_t word_end = skip_class(t, i, C_UPPER_DIGIT);
        if (word_end == i || word_end >= t->n || t->s[word_end] != ' ') {
            return found;
        }
        i = word_end + 1;
    }
}

/* `-----BEGIN <label>-----.*?(?:-----END <label>-----|\Z)` with DOTALL: the block runs to its
 * first END line, or to the end of the text. */
static int
match_private_key(const Text *t, size_t from, Match *m, void *state)
{
    for (size_t at = from; (at = FIND(t, at, "-----BEGIN ", 5)) != NOT_FOUND; at++) {
        size_t body = key_label_end(t, at + 11);
        if (body == NOT_FOUND) {
            continue;
        }
        size_t end = t->n;
        for (size_t e = body; (e = FIND(t, e, "-----END ", 5)) != NOT_FOUND; e++) {
            size_t label_end = key_label_end(t, e + 9);
            if (label_end != NOT_FOUND) {
                end = label_end;
                break;
            }
        }
        *m = (Match){at, at, end};
        return 1;
    }
    return 0;
}

static inline int
is_quote(char c)
{
    return c == '"' || c == '\'';
}

/* `\s*[=:]\s*["']?` (or `[:=]`) at `i`: the offset after it, or NOT_FOUND. The blanks and the
 * quote are taken whole: the rules' values cannot start with a blank or a quote, so giving one
 * back never helps. */
static size_t
separator_end(const Text *t, size_t i)
{
    i = skip_class(t, i, C_SPACE);
    if (i >= t->n || (t->s[i] != '=' && t->s[i] != ':')) {
        return NOT_FOUND;
    }
    i = skip_class(t, i + 1, C_SPACE);
    if (i < t->n && is_quote(t->s[i])) {
        i++;
    }
    return i;
}

/* ------------------------------------------------------------------ tokens with known prefixes */

/* `\b` + prefix + `[cls]{min,max}\b` where `cls` holds only \w characters: the run of `cls`
 * after the prefix is taken whole (a shorter run ends between two \w characters), its length
 * is checked and a \w character must not follow. Returns the end, or NOT_FOUND. */
static size_t
word_token_end(const Text *t, size_t run_start, unsigned char cls, size_t min, size_t max)
{
    size_t run_end = run_start; /* read at most max + 1 characters: more fail as well */
    while (run_end < t->n && run_end - run_start <= max && IS(cls, t->s[run_end])) {
        run_end++;
    }
    size_t len = run_end - run_start;
    if (len < min || len > max || is_word_at(t, run_end)) {
        return NOT_FOUND;
    }
    return run_end;
}

/* `\b(?:gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{22,255})\b`. Both prefixes hold
 * a `_`, which is rare in logs: the search finds it and looks back for the prefix (an `_` ends
 * at most one of them, and their order is that of their `_`). */
static int
match_github(const Text *t, size_t from, Match *m, void *state)
{
    for (size_t u = from; (u = FIND(t, u, "_", 0)) != NOT_FOUND; u++) {
        size_t at = NOT_FOUND, end = NOT_FOUND;
        /* `\b` first: a start inside a run of \w characters would read the run again. */
        if (u >= from + 3 && HAS(t, u - 3, "gh") && t->s[u - 1] != '\0'
            && strchr("pousr", t->s[u - 1]) != NULL && boundary_before(t, u - 3)) {
            at = u - 3;
            end = word_token_end(t, u + 1, C_ALNUM, 20, 255);
        }
        else if (u >= from + 6 && HAS(t, u - 6, "github_pat_") && boundary_before(t, u - 6)) {
            at = u - 6;
            end = word_token_end(t, u + 5, C_WORD, 22, 255);
        }
        if (end != NOT_FOUND) {
            *m = (Match){at, at, end};
            return 1;
        }
    }
    return 0;
}

/* `\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b` */
static int
match_aws_key_id(const Text *t, size_t from, Match *m, void *state)
{
    for (size_t at = from; (at = FIND(t, at, "A", 0)) != NOT_FOUND; at++) {
        if (!(HAS(t, at, "AKIA") || HAS(t, at, "ASIA") || HAS(t, at, "ABIA") || HAS(t, at, "ACCA"))
            || !boundary_before(t, at) || t->n - at < 20) {
            continue;
        }
        /* Sixteen characters of the class, then no \w character. */
        if (skip_class(t, at + 4, C_UPPER_DIGIT) >= at + 20 && !is_word_at(t, at + 20)) {
            *m = (Match){at, at, at + 20};
            return 1;
        }
    }
    return 0;
}

/* `(?i)(aws_secret_access_key\s*[=:]\s*["']?)[A-Za-z0-9/+=]{40}`: the blanks are taken whole
 * (one given back leaves a blank where `[=:]` or the secret must be) and so is the quote (without
 * it the secret would start with a quote). */
static int
match_aws_secret(const Text *t, size_t from, Match *m, void *state)
{
    size_t at = from;
    for (; (at = FIND_FOLDED(t, at, "aws_secret_access_key", 3)) != NOT_FOUND; at++) {
        size_t i = separator_end(t, at + 21);
        if (i == NOT_FOUND) {
            continue;
        }
        if (t->n - i < 40) {
            continue;
        }
        size_t k = 0;
        while (k < 40 && (IS(C_ALNUM, t->s[i + k]) || t->s[i + k] == '/' || t->s[i + k] == '+'
                          || t->s[i + k] == '=')) {
            k++;
        }
        if (k == 40) {
            *m = (Match){at, i, i + 40};
            return 1;
        }
    }
    return 0;
}

/* `[cls]{min,}\b` from `run_start`, where `cls` is \w plus `-` (or [A-Za-z0-9-]): greedy, so
 * the match ends at the last `\b` of the run at least `min` characters in. Sets `*run_end` to
 * the end of the run; returns the match's end or NOT_FOUND. */
static size_t
dashed_token_end(const Text *t, size_t run_start, int underscore, size_t min, size_t *run_end)
{
    size_t i = run_start;
    while (i < t->n && (IS(C_ALNUM, t->s[i]) || t->s[i] == '-' || (underscore && t->s[i] == '_'))) {
        i++;
    }
    *run_end = i;
    for (size_t end = i; end >= run_start + min && end > run_start; end--) {
        if (boundary_at(t, end)) {
            return end;
        }
    }
    return NOT_FOUND;
}

/* `\b` + prefix + `[cls]{min,}\b` (Slack, PyPI, GitLab). Every later start inside a run that
 * failed lies in the same run with a shorter part to search, so the scan goes on past it. */
static int
match_dashed_token(const Text *t, size_t from, Match *m, const char *prefix, size_t pair,
                   const char *letters, int underscore, size_t min)
{
    size_t prefix_len = strlen(prefix);
    size_t at = from;
    while ((at = find(t->s, t->n, at, prefix, prefix_len, pair)) != NOT_FOUND) {
        size_t run_start = at + prefix_len;
        if (letters != NULL) { /* Slack's `xox[abposr]-` */
            if (run_start + 1 >= t->n || strchr(letters, t->s[run_start]) == NULL
                || t->s[run_start] == '\0' || t->s[run_start + 1] != '-') {
                at++;
                continue;
            }
            run_start += 2;
        }
        if (!boundary_before(t, at)) {
            at++;
            continue;
        }
        size_t run_end;
        size_t end = dashed_token_end(t, run_start, underscore, min, &run_end);
        if (end != NOT_FOUND) {
            *m = (Match){at, at, end};
            return 1;
        }
        at = run_end;
    }
    return 0;
}

/* `\bxox[abposr]-[A-Za-z0-9-]{10,}\b` */
static int
match_slack(const Text *t, size_t from, Match *m, void *state)
{
    return match_dashed_token(t, from, m, "xox", 0, "abposr", 0, 10);
}

/* `\bpypi-[A-Za-z0-9_-]{50,}\b` */
static int
match_pypi(const Text *t, size_t from, Match *m, void *state)
{
    return match_dashed_token(t, from, m, "pypi-", 1, NULL, 1, 50);
}

/* `\bglpat-[A-Za-z0-9_-]{20,}\b` */
static int
match_gitlab(const Text *t, size_t from, Match *m, void *state)
{
    return match_dashed_token(t, from, m, "glpat-", 0, NULL, 1, 20);
}

/* `\bnpm_[A-Za-z0-9]{36}\b` */
static int
match_npm(const Text *t, size_t from, Match *m, void *state)
{
    for (size_t at = from; (at = FIND(t, at, "npm_", 2)) != NOT_FOUND; at++) {
        if (boundary_before(t, at) && word_token_end(t, at + 4, C_ALNUM, 36, 36) != NOT_FOUND) {
            *m = (Match){at, at, at + 40};
            return 1;
        }
    }
    return 0;
}

static inline int
is_dashed_word(char c)
{
    return IS(C_WORD, c) || c == '-';
}

/* `\bAIza[0-9A-Za-z_-]{35}\b` */
static int
match_google(const Text *t, size_t from, Match *m, void *state)
{
    for (size_t at = from; (at = FIND(t, at, "AIza", 2)) != NOT_FOUND; at++) {
        if (!boundary_before(t, at) || t->n - at < 39) {
            continue;
        }
        size_t k = 0;
        while (k < 35 && is_dashed_word(t->s[at + 4 + k])) {
            k++;
        }
        if (k == 35 && boundary_at(t, at + 39)) {
            *m = (Match){at, at, at + 39};
            return 1;
        }
    }
    return 0;
}

/* The end of a JWT segment `[A-Za-z0-9_-]{8,}` from `i` (taken whole: the next character must
 * be a `.` or nothing), or NOT_FOUND when shorter than 8. Sets `*run_end`. */
static size_t
jwt_segment_end(const Text *t, size_t i, size_t *run_end)
{
    size_t end = i;
    while (end < t->n && is_dashed_word(t->s[end])) {
        end++;
    }
    *run_end = end;
    return end - i >= 8 ? end : NOT_FOUND;
}

/* `\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`: the segments are taken
 * whole (none holds a `.`), so a start that fails makes every later start in its first
 * segment fail too: they share the rest. */
static int
match_jwt(const Text *t, size_t from, Match *m, void *state)
{
    size_t at = from;
    while ((at = FIND(t, at, "eyJ", 1)) != NOT_FOUND) {
        if (!boundary_before(t, at)) {
            at++;
            continue;
        }
        size_t first_end, run_end;
        size_t end = jwt_segment_end(t, at + 3, &first_end);
        if (end != NOT_FOUND && end < t->n && t->s[end] == '.' && HAS(t, end + 1, "eyJ")) {
            end = jwt_segment_end(t, end + 4, &run_end);
            if (end != NOT_FOUND && end < t->n && t->s[end] == '.') {
                end = jwt_segment_end(t, end + 1, &run_end);
                if (end != NOT_FOUND) {
                    *m = (Match){at, at, end};
                    return 1;
                }
            }
        }
        at = first_end;
    }
    return 0;
}

/* ------------------------------------------------------------------ headers */

/* [^\s"',;] */
static inline int
is_header_value(char c)
{
    return !IS(C_SPACE, c) && !is_quote(c) && c != ',' && c != ';';
}

/* `(?i)\b((?:proxy-)?authorization\s*[:=]\s*["']?)(?:[A-Za-z]+\s+)?[^\s"',;]+`: a scheme word
 * (`Bearer `) is skipped when a value follows its blanks; otherwise the value starts right
 * after the separator (letters are value characters too). */
static int
match_authorization(const Text *t, size_t from, Match *m, void *state)
{
    for (size_t at = from; (at = FIND_FOLDED(t, at, "authorization", 6)) != NOT_FOUND; at++) {
        size_t start = at;
        if (at >= from + 6 && HAS_FOLDED(t, at - 6, "proxy-") && boundary_before(t, at - 6)) {
            start = at - 6;
        }
        else if (!boundary_before(t, at)) {
            continue;
        }
        size_t value = separator_end(t, at + 13);
        if (value == NOT_FOUND || value >= t->n || !is_header_value(t->s[value])) {
            continue;
        }
        size_t letters_end = skip_class(t, value, C_LETTER);
        size_t blanks_end = skip_class(t, letters_end, C_SPACE);
        size_t token = value;
        if (letters_end > value && blanks_end > letters_end && blanks_end < t->n
            && is_header_value(t->s[blanks_end])) {
            token = blanks_end;
        }
        size_t end = token;
        while (end < t->n && is_header_value(t->s[end])) {
            end++;
        }
        *m = (Match){start, value, end};
        return 1;
    }
    return 0;
}

/* `(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]{12,}` */
static int
match_bearer(const Text *t, size_t from, Match *m, void *state)
{
    for (size_t at = from; (at = FIND_FOLDED(t, at, "bearer", 0)) != NOT_FOUND; at++) {
        if (!boundary_before(t, at)) {
            continue;
        }
        size_t value = skip_class(t, at + 6, C_SPACE);
        if (value == at + 6) {
            continue;
        }
        size_t end = skip_class(t, value, C_BEARER);
        if (end - value >= 12) {
            *m = (Match){at, value, end};
            return 1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ run-anchored rules */

/* `(?i)\b([a-z][a-z0-9+.-]*://[^\s:/@]+:)[^\s@/]+@`. A match's scheme is the whole run of
 * scheme characters before a `://`, from its first letter after a `\b`: every start in the run
 * shares the rest of the match, so the first one decides for the run. */
static int
match_url_credentials(const Text *t, size_t from, Match *m, void *state)
{
    for (size_t at = from; (at = FIND(t, at, "://", 0)) != NOT_FOUND; at++) {
        size_t first = at;
        while (first > from && IS(C_SCHEME, t->s[first - 1])) {
            first--;
        }
        size_t start = first;
        while (start < at && !(IS(C_LETTER, t->s[start]) && boundary_before(t, start))) {
            start++;
        }
        if (start == at) {
            continue;
        }
        size_t user_end = at + 3;
        while (user_end < t->n && !IS(C_SPACE, t->s[user_end]) && t->s[user_end] != ':'
               && t->s[user_end] != '/' && t->s[user_end] != '@') {
            user_end++;
        }
        if (user_end == at + 3 || user_end >= t->n || t->s[user_end] != ':') {
            continue;
        }
        size_t password_end = user_end + 1;
        while (password_end < t->n && !IS(C_SPACE, t->s[password_end])
               && t->s[password_end] != '/' && t->s[password_end] != '@') {
            password_end++;
        }
        if (password_end == user_end + 1 || password_end >= t->n || t->s[password_end] != '@') {
            continue;
        }
        *m = (Match){start, user_end + 1, password_end + 1};
        return 1;
    }
    return 0;
}

/* Every secret word holds one of these; a name without any holds no secret word. */
static const char *const SECRET_HINTS[] = {"pass", "pwd", "secret", "token", "key"};
static const size_t SECRET_HINT_PAIR[] = {2, 0, 2, 1, 0}; /* the searched pair of each */
#define N_SECRET_HINTS (sizeof(SECRET_HINTS) / sizeof(SECRET_HINTS[0]))

/* What the assignment matcher has searched: the next occurrence of each hint at or after
 * `searched[k]`, and the end of the last name tried (its runs are not read again). */
typedef struct {
    size_t next[N_SECRET_HINTS];
    size_t searched[N_SECRET_HINTS];
    size_t done;
} AssignmentState;

/* The first hint at or after `from`, or NOT_FOUND. `from` only grows between calls, so an
 * occurrence found from an earlier offset is still the first one until `from` passes it. */
static size_t
next_secret_hint(const Text *t, AssignmentState *st, size_t from)
{
    size_t best = NOT_FOUND;
    for (size_t k = 0; k < N_SECRET_HINTS; k++) {
        if (st->searched[k] > from || (st->next[k] != NOT_FOUND && st->next[k] < from)) {
            st->searched[k] = from;
            st->next[k] = find(t->low, t->n, from, SECRET_HINTS[k], strlen(SECRET_HINTS[k]),
                               SECRET_HINT_PAIR[k]);
        }
        if (st->next[k] < best) {
            best = st->next[k];
        }
    }
    return best;
}

/* `head[_-]?tail` (or just `head` when `tail` is empty) at `i` of the folded name ending at
 * `end`. */
static int
word_at(const Text *t, size_t i, size_t end, const char *head, const char *tail)
{
    size_t h = strlen(head), k = strlen(tail);
    if (end - i < h || memcmp(t->low + i, head, h) != 0) {
        return 0;
    }
    i += h;
    if (k == 0) {
        return 1;
    }
    if (i < end && (t->low[i] == '_' || t->low[i] == '-') && end - i - 1 >= k
        && memcmp(t->low + i + 1, tail, k) == 0) {
        return 1;
    }
    return end - i >= k && memcmp(t->low + i, tail, k) == 0;
}

/* `password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|
 * client[_-]?secret` somewhere in the folded name [i, end). */
static int
has_secret_word(const Text *t, size_t i, size_t end)
{
    for (; i < end; i++) {
        switch (t->low[i]) {
        case 'p':
            if (word_at(t, i, end, "password", "") || word_at(t, i, end, "passwd", "")
                || word_at(t, i, end, "pwd", "")
                || word_at(t, i, end, "private", "key")) {
                return 1;
            }
            break;
        case 's':
            if (word_at(t, i, end, "secret", "")) {
                return 1;
            }
            break;
        case 't':
            if (word_at(t, i, end, "token", "")) {
                return 1;
            }
            break;
        case 'a':
            if (word_at(t, i, end, "api", "key") || word_at(t, i, end, "access", "key")) {
                return 1;
            }
            break;
        case 'c':
            if (word_at(t, i, end, "client", "secret")) {
                return 1;
            }
            break;
        default:
            break;
        }
    }
    return 0;
}

/* [^\s"',;&] */
static inline int
is_assigned_value(char c)
{
    return is_header_value(c) && c != '&';
}

/* `(?i)\b([A-Za-z0-9_.-]*(?:<secret word>)[A-Za-z0-9_.-]*\s*[=:]\s*["']?)(?!\*\*\*)
 * (?!\[REDACTED\])[^\s"',;&]{4,}`. The name is the whole run of name characters from its start
 * (`\s*[=:]` cannot follow a name character), so every start in a run shares the rest of the
 * match and the run's first start decides for it: the run is tried once, found from a hint. */
static int
match_assignment(const Text *t, size_t from, Match *m, void *state)
{
    AssignmentState *st = state;
    size_t floor = from > st->done ? from : st->done;
    size_t at;
    while ((at = next_secret_hint(t, st, floor)) != NOT_FOUND) {
        size_t first = at;
        while (first > floor && IS(C_NAME, t->s[first - 1])) {
            first--;
        }
        size_t name_end = skip_class(t, at, C_NAME);
        st->done = floor = name_end;
        size_t start = first;
        while (start < name_end && !boundary_at(t, start)) {
            start++;
        }
        if (start == name_end || !has_secret_word(t, start, name_end)) {
            continue;
        }
        size_t value = separator_end(t, name_end);
        if (value == NOT_FOUND || HAS(t, value, "***") || HAS_FOLDED(t, value, "[redacted]")) {
            continue;
        }
        size_t end = value;
        while (end < t->n && is_assigned_value(t->s[end])) {
            end++;
        }
        if (end - value >= 4) {
            *m = (Match){start, value, end};
            return 1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ the rules in order */

typedef struct {
    Matcher matcher;
    int insensitive; /* reads the folded text */
    const char *suffix;
} Rule;

static const Rule RULES[] = {
    {match_private_key, 0, ""},
    {match_github, 0, ""},
    {match_aws_key_id, 0, ""},
    {match_aws_secret, 1, ""},
    {match_slack, 0, ""},
    {match_npm, 0, ""},
    {match_pypi, 0, ""},
    {match_gitlab, 0, ""},
    {match_google, 0, ""},
    {match_jwt, 0, ""},
    {match_authorization, 1, ""},
    {match_bearer, 1, ""},
    {match_url_credentials, 0, "@"},
    {match_assignment, 1, ""},
};
#define N_RULES (sizeof(RULES) / sizeof(RULES[0]))

/* `low` = `s` lowercased. Eight characters at a time: for an ASCII byte b, b + 0x3f has its high
 * bit set from 'A' on and b + 0x25 from past 'Z' on (no carry out of the byte), so their xor
 * marks the capitals, and the marker shifted to 0x20 lowercases them. */
static int
fold(Buffer *low, const char *s, size_t n)
{
    low->len = 0;
    if (append(low, s, n) < 0) {
        return -1;
    }
    char *data = low->data;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, data + i, 8);
        uint64_t capitals = ((w + 0x3f3f3f3f3f3f3f3fULL) ^ (w + 0x2525252525252525ULL))
                            & 0x8080808080808080ULL;
        w |= capitals >> 2;
        memcpy(data + i, &w, 8);
    }
    for (; i < n; i++) {
        if (data[i] >= 'A' && data[i] <= 'Z') {
            data[i] = (char)(data[i] + ('a' - 'A'));
        }
    }
    return 0;
}

static PyObject *
redact_secrets(PyObject *module, PyObject *arg)
{
    if (!PyUnicode_Check(arg)) {
        PyErr_Format(PyExc_TypeError, "redact_secrets() argument must be str, not %.100s",
                     Py_TYPE(arg)->tp_name);
        return NULL;
    }
    if (!PyUnicode_IS_ASCII(arg)) {
        Py_RETURN_NONE;
    }
    Buffer current = {NULL, 0, 0}, next = {NULL, 0, 0}, low = {NULL, 0, 0};
    Text t = {(const char *)PyUnicode_1BYTE_DATA(arg), NULL, (size_t)PyUnicode_GET_LENGTH(arg)};
    int changed = 0, folded = 0;
    PyObject *result = NULL;
    for (size_t r = 0; r < N_RULES; r++) {
        if (RULES[r].insensitive && !folded) {
            if (fold(&low, t.s, t.n) < 0) {
                goto done;
            }
            t.low = low.data;
            folded = 1;
        }
        AssignmentState state;
        for (size_t k = 0; k < N_SECRET_HINTS; k++) {
            state.next[k] = NOT_FOUND;
            state.searched[k] = NOT_FOUND; /* not searched yet */
        }
        state.done = 0;
        Py_ssize_t count = substitute(&t, RULES[r].matcher, &state, RULES[r].suffix, &next);
        if (count < 0) {
            goto done;
        }
        if (count > 0) {
            Buffer swap = current;
            current = next;
            next = swap;
            t.s = current.data;
            t.n = current.len;
            t.low = NULL;
            folded = 0;
            changed = 1;
        }
    }
    if (!changed) {
        Py_INCREF(arg);
        result = arg;
        goto done;
    }
    if (t.n > (size_t)PY_SSIZE_T_MAX) {
        PyErr_NoMemory();
        goto done;
    }
    result = PyUnicode_New((Py_ssize_t)t.n, 127);
    if (result != NULL) {
        memcpy(PyUnicode_1BYTE_DATA(result), t.s, t.n);
    }
done:
    PyMem_Free(current.data);
    PyMem_Free(next.data);
    PyMem_Free(low.data);
    return result;
}

static PyMethodDef methods[] = {
    {"redact_secrets", redact_secrets, METH_O,
     "redact_secrets(text, /)\n--\n\n`model.redact.redact_secrets` for an ASCII str; None for "
     "any other str."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_credact",
    "`model.redact.redact_secrets` in C for ASCII text.", -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__credact(void)
{
    init_classes();
    return PyModule_Create(&module);
}
