/* `shape_key` for ASCII text: the same string as `model._normalize.shape_key`.

A line's shape is the line with the details that differ between echoes of one message taken
out: quoted values, tokens holding a path separator and numbers each become `#`, runs of three
or more equal ruler characters (`_=-.*#~+`) become three, whitespace is collapsed to single
spaces and the result is lowercased. The Python code computes it with two regular-expression
substitutions and a split/join; this module computes the same string in one linear pass over
the text (two when it holds a ruler run), which matters because the shape of every candidate
line of a log is taken.

The noise substitution replaces the leftmost-first matches of

    '[^']*'|"[^"]*"|`[^`]*`|\S*[/\\]\S*|[0-9a-fA-F]*\d[0-9a-fA-F.:]*

and, on ASCII text, each alternative tried at a position `i` reduces to:

* a quoted value: the text from `i` through the next equal quote, when there is one;
* a token with a separator: `\S*` takes the whole rest of the token, then backtracks to its last
  separator, so the match is `i` to the token's end when a `/` or `\` lies in `[i, token end)`;
* a number: `[0-9a-fA-F]*` takes the run of hex digits from `i`, then backtracks to its last
  decimal digit, so there is a match when that run holds a decimal digit, and it ends where the
  run of `[0-9a-fA-F.:]` from `i` ends (whichever digit `\d` took, the rest of the run follows).

Tried naively these would reread a long token or hex run from each of its characters
(quadratic). The scanner remembers, for the token and the hex run it is inside, where they end
and where their last separator or digit is: both stay valid until the position passes the end,
so every character is read a bounded number of times. A quote's partner is sought with one
`memchr`: a found one ends the match, and a quote without a partner is the last of its kind, so
at most three searches fail.

Any other input (not ASCII) gives None: the caller then runs the Python code.
*/
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

/* Character classes, one bit each, looked up in `char_class` (filled at module load). */
enum {
    SPACE = 1,       /* Python's `\s` and `str.split()` whitespace within ASCII, with \x1c-\x1f */
    DIGIT = 2,       /* `\d` on ASCII */
    HEX = 4,         /* `[0-9a-fA-F]` */
    NUMBER_TAIL = 8, /* `[0-9a-fA-F.:]`: what may follow the digit of a number */
    SEPARATOR = 16,  /* `[/\\]` */
    RULER = 32,      /* `[_=\-.*#~+]` */
    QUOTE = 64,      /* ' " ` */
};

static unsigned char char_class[256];

static void
mark(const char *chars, unsigned char flag)
{
    for (; *chars; chars++) {
        char_class[(unsigned char)*chars] |= flag;
    }
}

static void
init_char_classes(void)
{
    mark(" \t\n\v\f\r\x1c\x1d\x1e\x1f", SPACE);
    mark("0123456789", DIGIT | HEX | NUMBER_TAIL);
    mark("abcdefABCDEF", HEX | NUMBER_TAIL);
    mark(".:", NUMBER_TAIL);
    mark("/\\", SEPARATOR);
    mark("_=-.*#~+", RULER);
    mark("'\"`", QUOTE);
}

static int
is(unsigned char c, unsigned char flag)
{
    return (char_class[c] & flag) != 0;
}

/* ---- ruler runs: `([_=\-.*#~+])\1{2,}` -> `\1\1\1` ---- */

static int
has_ruler_run(const unsigned char *text, Py_ssize_t length)
{
    for (Py_ssize_t i = 0; i + 2 < length; i++) {
        if (is(text[i], RULER) && text[i + 1] == text[i] && text[i + 2] == text[i]) {
            return 1;
        }
    }
    return 0;
}

/* Copies `text` to `out`, keeping the first three characters of each run of one ruler
   character. Returns the length written (at most `length`). */
static Py_ssize_t
collapse_ruler_runs(const unsigned char *text, Py_ssize_t length, unsigned char *out)
{
    Py_ssize_t written = 0;
    for (Py_ssize_t i = 0; i < length; i++) {
        unsigned char c = text[i];
        int fourth_or_later = i >= 3 && text[i - 1] == c && text[i - 2] == c && text[i - 3] == c;
        if (!(fourth_or_later && is(c, RULER))) {
            out[written++] = c;
        }
    }
    return written;
}

/* ---- output: whitespace collapsed to single spaces, stripped, lowercased ---- */

typedef struct {
    unsigned char *data; /* room for as many bytes as the text has */
    Py_ssize_t length;
    int space_pending; /* whitespace seen since the last character written */
} Output;

static void
output_char(Output *out, unsigned char c)
{
    if (is(c, SPACE)) {
        /* Leading whitespace is dropped; trailing whitespace is never flushed. */
        out->space_pending = out->length > 0;
        return;
    }
    if (out->space_pending) {
        out->data[out->length++] = ' ';
        out->space_pending = 0;
    }
    out->data[out->length++] = (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* ---- noise: quoted values, tokens with a separator, numbers -> `#` ---- */

typedef struct {
    const unsigned char *text;
    Py_ssize_t length;
    /* The token (non-whitespace run) last measured: where it ends and where its last separator
       is (-1 if none). Valid for every position before `token_end` that was inside it. */
    Py_ssize_t token_end;
    Py_ssize_t token_last_separator;
    /* The same for the run of hex digits last measured and its last decimal digit. */
    Py_ssize_t hex_end;
    Py_ssize_t hex_last_digit;
} Scanner;

/* `'[^']*'` (and the same for " and `) at `start`, which holds the quote: the end of the match,
   or -1. */
static Py_ssize_t
match_quoted(Scanner *scan, Py_ssize_t start)
{
    const unsigned char *closing =
        memchr(scan->text + start + 1, scan->text[start], (size_t)(scan->length - start - 1));
    return closing == NULL ? -1 : closing - scan->text + 1;
}

/* `\S*[/\\]\S*` at `start`: the end of the token when a separator lies in the token from
   `start` on, else -1. */
static Py_ssize_t
match_token_with_separator(Scanner *scan, Py_ssize_t start)
{
    if (is(scan->text[start], SPACE)) {
        return -1;
    }
    if (start >= scan->token_end) {
        Py_ssize_t end = start;
        Py_ssize_t last_separator = -1;
        while (end < scan->length && !is(scan->text[end], SPACE)) {
            if (is(scan->text[end], SEPARATOR)) {
                last_separator = end;
            }
            end++;
        }
        scan->token_end = end;
        scan->token_last_separator = last_separator;
    }
    return scan->token_last_separator >= start ? scan->token_end : -1;
}

/* `[0-9a-fA-F]*\d[0-9a-fA-F.:]*` at `start`: when the hex run from `start` holds a decimal
   digit, the end of the `[0-9a-fA-F.:]` run from `start`; else -1. */
static Py_ssize_t
match_number(Scanner *scan, Py_ssize_t start)
{
    if (!is(scan->text[start], HEX)) {
        return -1;
    }
    if (start >= scan->hex_end) {
        Py_ssize_t end = start;
        Py_ssize_t last_digit = -1;
        while (end < scan->length && is(scan->text[end], HEX)) {
            if (is(scan->text[end], DIGIT)) {
                last_digit = end;
            }
            end++;
        }
        scan->hex_end = end;
        scan->hex_last_digit = last_digit;
    }
    if (scan->hex_last_digit < start) {
        return -1;
    }
    Py_ssize_t end = scan->hex_end;
    while (end < scan->length && is(scan->text[end], NUMBER_TAIL)) {
        end++;
    }
    return end;
}

/* Writes the shape of `text` to `out`: noise replaced, whitespace collapsed, lowercased. */
static void
write_shape(const unsigned char *text, Py_ssize_t length, Output *out)
{
    Scanner scan = {text, length, 0, -1, 0, -1};
    Py_ssize_t i = 0;
    while (i < length) {
        Py_ssize_t end = -1;
        if (is(text[i], QUOTE)) {
            end = match_quoted(&scan, i);
        }
        if (end < 0) {
            end = match_token_with_separator(&scan, i);
        }
        if (end < 0) {
            end = match_number(&scan, i);
        }
        if (end < 0) {
            output_char(out, text[i]);
            i++;
        }
        else {
            output_char(out, '#');
            i = end;
        }
    }
}

static PyObject *
shape_key(PyObject *module, PyObject *arg)
{
    if (!PyUnicode_Check(arg)) {
        PyErr_Format(PyExc_TypeError, "shape_key() argument must be str, not %.200s",
                     Py_TYPE(arg)->tp_name);
        return NULL;
    }
    if (!PyUnicode_IS_ASCII(arg)) {
        Py_RETURN_NONE;
    }
    const unsigned char *text = PyUnicode_1BYTE_DATA(arg);
    Py_ssize_t length = PyUnicode_GET_LENGTH(arg);

    /* Every step only shortens the text, so one buffer of the text's size holds the result;
       the ruler pass needs a second one. */
    unsigned char *buffer = PyMem_Malloc((size_t)length + 1);
    if (buffer == NULL) {
        return PyErr_NoMemory();
    }
    unsigned char *collapsed = NULL;
    if (has_ruler_run(text, length)) {
        collapsed = PyMem_Malloc((size_t)length + 1);
        if (collapsed == NULL) {
            PyMem_Free(buffer);
            return PyErr_NoMemory();
        }
        length = collapse_ruler_runs(text, length, collapsed);
        text = collapsed;
    }
    Output out = {buffer, 0, 0};
    write_shape(text, length, &out);
    PyMem_Free(collapsed);

    PyObject *result = PyUnicode_New(out.length, 127);
    if (result != NULL) {
        memcpy(PyUnicode_1BYTE_DATA(result), out.data, (size_t)out.length);
    }
    PyMem_Free(buffer);
    return result;
}

static PyMethodDef methods[] = {
    {"shape_key", shape_key, METH_O,
     "shape_key(text, /)\n--\n\n"
     "The shape key of an ASCII str (see model._normalize.shape_key); None for other text."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    "_cshape",
    "shape_key for ASCII text, the same as model._normalize.shape_key.",
    -1,
    methods,
    NULL,
    NULL,
    NULL,
    NULL,
};

PyMODINIT_FUNC
PyInit__cshape(void)
{
    init_char_classes();
    return PyModule_Create(&module);
}
