/* `clean_line` (model/_logtext.py) for ASCII lines, in one pass per step instead of a regular
 * expression each.
 *
 * A log line is cleaned every time the extractor reads it or shows it as context: a few dozen
 * times per log. Each step below does what its counterpart in `clean_line` does, for text whose
 * characters are all ASCII (the common case); for any other text `clean_line` returns None and
 * the Python function runs (it alone knows the BOM, U+009B and replacement characters).
 *
 *   1. the line terminator (CR and LF at the end) goes;
 *   2. a GitHub timestamp prefix (29 characters with `T`, `Z` and a space where it has them)
 *      goes, else a timestamp prefix matched by `_TIMESTAMP_PREFIX` at the start;
 *   3. GitLab section markers (`_GITLAB_SECTION`) go, wherever they are;
 *   4. ANSI escape sequences (`_ANSI`) go;
 *   5. a line holding CRs keeps its last segment that is not blank, without a timestamp prefix;
 *   6. control characters other than tab, LF and CR (`_CONTROL`) go, then trailing whitespace.
 *
 * Whitespace is what Python's `str.strip` strips in ASCII: space, \t \n \v \f \r and the four
 * separators \x1c-\x1f.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#define IS_DIGIT(c) ((c) >= '0' && (c) <= '9')

static inline int
is_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

/* Length of `_TIMESTAMP_PREFIX`'s match at the start of s[0:n], or 0 when it does not match.
 * Every optional part of the pattern is followed only by optional parts (or by a literal no
 * optional part can start with), so the greedy choice at each part is the one the regular
 * expression engine settles on. */
static Py_ssize_t
digits_at(const unsigned char *s, Py_ssize_t n, Py_ssize_t at, Py_ssize_t count)
{
    /* 1 when s[at:at+count] are all digits. */
    if (at + count > n) {
        return 0;
    }
    for (Py_ssize_t i = at; i < at + count; i++) {
        if (!IS_DIGIT(s[i])) {
            return 0;
        }
    }
    return 1;
}

static Py_ssize_t
fraction(const unsigned char *s, Py_ssize_t n, Py_ssize_t at, int comma)
{
    /* `(?:[.,]\d+)?` (or `(?:\.\d+)?` without `comma`) at `at`: where it ends. */
    if (at + 1 < n && (s[at] == '.' || (comma && s[at] == ',')) && IS_DIGIT(s[at + 1])) {
        at += 2;
        while (at < n && IS_DIGIT(s[at])) {
            at++;
        }
    }
    return at;
}

static int
date_at(const unsigned char *s, Py_ssize_t n, Py_ssize_t at)
{
    /* `\d{4}-\d\d-\d\d` at `at`. */
    return digits_at(s, n, at, 4) && at + 4 < n && s[at + 4] == '-' && digits_at(s, n, at + 5, 2)
           && at + 7 < n && s[at + 7] == '-' && digits_at(s, n, at + 8, 2);
}

static int
clock_at(const unsigned char *s, Py_ssize_t n, Py_ssize_t at)
{
    /* `\d\d:\d\d:\d\d` at `at`. */
    return digits_at(s, n, at, 2) && at + 2 < n && s[at + 2] == ':' && digits_at(s, n, at + 3, 2)
           && at + 5 < n && s[at + 5] == ':' && digits_at(s, n, at + 6, 2);
}

static Py_ssize_t
timestamp_prefix(const unsigned char *s, Py_ssize_t n)
{
    Py_ssize_t at;
    /* `\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)? ?` */
    if (date_at(s, n, 0) && n > 10 && s[10] == 'T' && clock_at(s, n, 11)) {
        at = fraction(s, n, 19, 1);
        if (at < n && s[at] == 'Z') {
            at++;
        }
        else if (at < n && (s[at] == '+' || s[at] == '-') && digits_at(s, n, at + 1, 2)) {
            if (at + 3 < n && s[at + 3] == ':' && digits_at(s, n, at + 4, 2)) {
                at += 6;
            }
            else if (digits_at(s, n, at + 3, 2)) {
                at += 5;
            }
        }
        if (at < n && s[at] == ' ') {
            at++;
        }
        return at;
    }
    if (n == 0 || s[0] != '[') {
        return 0;
    }
    /* `\[\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?Z?\] ?` */
    if (date_at(s, n, 1) && n > 11 && (s[11] == 'T' || s[11] == ' ') && clock_at(s, n, 12)) {
        at = fraction(s, n, 20, 1);
        if (at < n && s[at] == 'Z') {
            at++;
        }
        if (at < n && s[at] == ']') {
            at++;
            if (at < n && s[at] == ' ') {
                at++;
            }
            return at;
        }
    }
    /* `\[\d\d:\d\d:\d\d(?:\.\d+)?\] ` */
    if (clock_at(s, n, 1)) {
        at = fraction(s, n, 9, 0);
        if (at + 1 < n && s[at] == ']' && s[at + 1] == ' ') {
            return at + 2;
        }
    }
    return 0;
}

/* Length of `_GITLAB_SECTION`'s match at s[at:n] (`section_(start|end):\d+:[A-Za-z0-9_.-]+`
 * and an optional `[...]`), or 0. */
static Py_ssize_t
gitlab_section(const unsigned char *s, Py_ssize_t n, Py_ssize_t at)
{
    Py_ssize_t p = at + 8; /* past "section_" */
    if (n - at < 8 || memcmp(s + at, "section_", 8) != 0) {
        return 0;
    }
    if (n - p >= 6 && memcmp(s + p, "start:", 6) == 0) {
        p += 6;
    }
    else if (n - p >= 4 && memcmp(s + p, "end:", 4) == 0) {
        p += 4;
    }
    else {
        return 0;
    }
    Py_ssize_t digits = p;
    while (p < n && IS_DIGIT(s[p])) {
        p++;
    }
    if (p == digits || p >= n || s[p] != ':') {
        return 0;
    }
    p++;
    Py_ssize_t name = p;
    while (p < n && (Py_ISALNUM(s[p]) || s[p] == '_' || s[p] == '.' || s[p] == '-')) {
        p++;
    }
    if (p == name) {
        return 0;
    }
    if (p < n && s[p] == '[') {
        const unsigned char *close = memchr(s + p + 1, ']', (size_t)(n - p - 1));
        if (close != NULL) {
            p = close - s + 1;
        }
    }
    return p - at;
}

/* Length of `_ANSI`'s match at s[at:n] (s[at] is ESC), or 0. The character classes of each
 * alternative are disjoint from what follows them, so no backtracking can find another match. */
static Py_ssize_t
ansi_sequence(const unsigned char *s, Py_ssize_t n, Py_ssize_t at)
{
    Py_ssize_t p = at + 1;
    if (p >= n) {
        return 0;
    }
    if (s[p] == '[') { /* CSI: `\x1b\[[0-?]*[ -/]*[@-~]` */
        p++;
        while (p < n && s[p] >= 0x30 && s[p] <= 0x3f) {
            p++;
        }
        while (p < n && s[p] >= 0x20 && s[p] <= 0x2f) {
            p++;
        }
        return (p < n && s[p] >= 0x40 && s[p] <= 0x7e) ? p + 1 - at : 0;
    }
    if (s[p] == ']') { /* OSC: `\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)` */
        p++;
        while (p < n && s[p] != 0x07 && s[p] != 0x1b) {
            p++;
        }
        if (p < n && s[p] == 0x07) {
            return p + 1 - at;
        }
        if (p + 1 < n && s[p] == 0x1b && s[p + 1] == '\\') {
            return p + 2 - at;
        }
        return 2; /* no OSC: the third alternative, ESC and `]` (in `[\\-_]`), matches */
    }
    /* `\x1b[@-Z\\-_]` */
    return ((s[p] >= 0x40 && s[p] <= 0x5a) || (s[p] >= 0x5c && s[p] <= 0x5f)) ? 2 : 0;
}

static inline int
is_control(unsigned char c)
{
    /* `[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]` */
    return c <= 0x08 || c == 0x0b || c == 0x0c || (c >= 0x0e && c <= 0x1f) || c == 0x7f;
}

/* Remove every match found by `match_at` (called where s[i] == first) from buf[0:*n]. */
static void
remove_matches(unsigned char *buf, Py_ssize_t *n,
               Py_ssize_t (*match_at)(const unsigned char *, Py_ssize_t, Py_ssize_t),
               unsigned char first)
{
    Py_ssize_t r = 0, w = 0, len = *n;
    while (r < len) {
        if (buf[r] == first) {
            Py_ssize_t m = match_at(buf, len, r);
            if (m > 0) {
                r += m;
                continue;
            }
        }
        buf[w++] = buf[r++];
    }
    *n = w;
}

static int
contains(const unsigned char *s, Py_ssize_t n, const char *needle, Py_ssize_t k)
{
    for (Py_ssize_t i = 0; i + k <= n; i++) {
        if (s[i] == (unsigned char)needle[0] && memcmp(s + i, needle, (size_t)k) == 0) {
            return 1;
        }
    }
    return 0;
}

static PyObject *
clean(const unsigned char *src, Py_ssize_t n)
{
    while (n > 0 && (src[n - 1] == '\r' || src[n - 1] == '\n')) {
        n--;
    }
    Py_ssize_t start = 0;
    if (n > 29 && src[10] == 'T' && src[27] == 'Z' && src[28] == ' ') {
        start = 29; /* the GitHub prefix, by far the most common */
    }
    else if (n > 0 && (IS_DIGIT(src[0]) || src[0] == '[')) {
        start = timestamp_prefix(src, n);
    }
    src += start;
    n -= start;
    unsigned char *buf = PyMem_Malloc(n > 0 ? (size_t)n : 1);
    if (buf == NULL) {
        return PyErr_NoMemory();
    }
    memcpy(buf, src, (size_t)n);
    if (contains(buf, n, "section_", 8)) {
        remove_matches(buf, &n, gitlab_section, 's');
    }
    if (memchr(buf, 0x1b, (size_t)n) != NULL) {
        remove_matches(buf, &n, ansi_sequence, 0x1b);
    }
    unsigned char *text = buf;
    if (memchr(buf, '\r', (size_t)n) != NULL) {
        /* The last segment between CRs that is not blank, else nothing. */
        Py_ssize_t end = n, seg_start = 0, seg_end = 0;
        int found = 0;
        while (end >= 0 && !found) {
            Py_ssize_t begin = end;
            while (begin > 0 && buf[begin - 1] != '\r') {
                begin--;
            }
            for (Py_ssize_t i = begin; i < end; i++) {
                if (!is_space(buf[i])) {
                    found = 1;
                    seg_start = begin;
                    seg_end = end;
                    break;
                }
            }
            end = begin - 1;
        }
        if (found) {
            text = buf + seg_start;
            n = seg_end - seg_start;
            Py_ssize_t skip = (n > 0 && (IS_DIGIT(text[0]) || text[0] == '[')) ? timestamp_prefix(text, n) : 0;
            text += skip;
            n -= skip;
        }
        else {
            n = 0;
        }
    }
    Py_ssize_t w = 0;
    for (Py_ssize_t r = 0; r < n; r++) {
        if (!is_control(text[r])) {
            text[w++] = text[r];
        }
    }
    n = w;
    while (n > 0 && is_space(text[n - 1])) {
        n--;
    }
    PyObject *out = PyUnicode_New(n, 127);
    if (out != NULL) {
        memcpy(PyUnicode_1BYTE_DATA(out), text, (size_t)n);
    }
    PyMem_Free(buf);
    return out;
}

static PyObject *
clean_line(PyObject *module, PyObject *raw)
{
    if (PyBytes_Check(raw)) {
        const unsigned char *s = (const unsigned char *)PyBytes_AS_STRING(raw);
        Py_ssize_t n = PyBytes_GET_SIZE(raw);
        for (Py_ssize_t i = 0; i < n; i++) {
            if (s[i] >= 0x80) {
                Py_RETURN_NONE;
            }
        }
        return clean(s, n);
    }
    if (PyUnicode_Check(raw)) {
        if (!PyUnicode_IS_ASCII(raw)) {
            Py_RETURN_NONE;
        }
        return clean(PyUnicode_1BYTE_DATA(raw), PyUnicode_GET_LENGTH(raw));
    }
    PyErr_Format(PyExc_TypeError, "clean_line: expected bytes or str, not %.100s",
                 Py_TYPE(raw)->tp_name);
    return NULL;
}

static PyMethodDef methods[] = {
    {"clean_line", clean_line, METH_O,
     "`clean_line` of an ASCII line (bytes or str); None for any other line."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_cclean", "`clean_line` for ASCII lines.", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__cclean(void)
{
    return PyModule_Create(&module);
}
