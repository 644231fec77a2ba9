/* The arithmetic core of `model._fast_tfidf` and `model._inference` in C.
 *
 * Each function computes exactly what its numpy counterpart computes (the tests compare them
 * bit for bit); only the cost differs: the numpy code spends most of a prediction on the
 * per-call overhead of a few dozen small array operations.
 *
 *   char_ngram_features  the vocabulary features of the character n-grams of a text's padded
 *                        words (`CharNgramCounter.count` before counting), unsorted;
 *   word_features        the vocabulary features of the tokens of `_features.TOKEN_PATTERN`
 *                        in an ASCII text (`WordCounter.count` before counting), in token
 *                        order;
 *   count_features       sorted distinct features and how often each occurs (`_counted`);
 *   tfidf_values         a row's TF-IDF values (`tfidf_row`, sublinear tf and L2 norm as
 *                        scikit-learn computes them);
 *   tfidf_features       count_features then tfidf_values in one call: a text's features to
 *                        its TF-IDF row, with no arrays in between (the prediction path);
 *   linear_scores        the decision values of a linear model over rows of features, adding
 *                        the products in the order scipy's CSR product does;
 *   temperature_softmax  the calibrated probabilities of decision values (temperature scaling,
 *                        softmax, clipping, mean), all but the exponential, which stays numpy's.
 *
 * Floating-point: single precision where numpy works in float32, double where scikit-learn's
 * Cython does; built with -ffp-contract=off so that no multiply-add is fused.
 *
 * The byte searches of the log scanner (model/_scan.py, model/_lines.py) sit here too:
 *
 *   count_newlines       `block.count(b"\n", lo, hi)`, many bytes at a time (CPython counts a
 *                        single byte one byte at a time);
 *   find_bytes           `block.find(needle, lo, hi)` with the C library's `memmem`;
 *   find_newline, rfind_newline, after_newlines, before_newlines
 *                        the scanner's line-break searches, without `bytes.find`'s tuple
 *                        parsing and method lookup.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* memmem (pyconfig.h defines it as well on Linux) */
#endif
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif
/* A 32-byte newline count for CPUs that have AVX2, chosen at run time: the build targets plain
 * x86-64. */
#if defined(__GNUC__) && defined(__x86_64__)
#define HAVE_AVX2_COUNT 1
#include <immintrin.h>
#endif
/* The C libraries known to declare `memmem` (glibc with _GNU_SOURCE, the BSDs, macOS, musl). */
#if defined(__GLIBC__) || defined(__APPLE__) || defined(__FreeBSD__) || defined(__NetBSD__) || \
    defined(__OpenBSD__) || defined(__linux__)
#define HAVE_MEMMEM 1
#endif
/* And `memrchr` (not macOS's). */
#if defined(__GLIBC__) || defined(__linux__) || defined(__FreeBSD__) || defined(__NetBSD__) || \
    defined(__OpenBSD__)
#define HAVE_MEMRCHR 1
#endif

#define HASH_MULTIPLIER 0x9E3779B97F4A7C15ULL /* `_KeyTable._MULTIPLIER` */
#define MAX_NGRAM 16

/* A C-contiguous buffer of items of `itemsize` bytes (or raw bytes of a multiple of it). */
static int
get_buffer(PyObject *obj, Py_buffer *view, Py_ssize_t itemsize, const char *name)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS) < 0) {
        return -1;
    }
    if ((view->itemsize != itemsize && view->itemsize != 1) || view->len % itemsize != 0) {
        PyErr_Format(PyExc_TypeError, "%s: expected items of %zd bytes", name, itemsize);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ character n-grams */

/* `_KeyTable`: slots of (key, feature) as two uint64, `mask + 1` of them, a power of two. */
typedef struct {
    const uint64_t *entries;
    uint64_t shift;
    uint64_t mask;
} KeyTable;

/* `_KeyTable.find` for one key: its feature, or -1 when the vocabulary does not hold it. The
 * probe stops at the key or at a free slot; the table always has one, but a broken table
 * (all slots full) is walked once around, never forever. */
static inline int32_t
find_key(const KeyTable *table, uint64_t key)
{
    uint64_t slot = (key * HASH_MULTIPLIER) >> table->shift;
    for (uint64_t probes = 0; probes <= table->mask; probes++) {
        uint64_t held = table->entries[2 * slot];
        if (held == key) {
            return (int32_t)table->entries[2 * slot + 1];
        }
        if (held == 0) {
            return -1;
        }
        slot = (slot + 1) & table->mask;
    }
    return -1;
}

static PyObject *
char_ngram_features(PyObject *self, PyObject *args)
{
    PyObject *text, *alphabet_obj, *entries_obj;
    int bits, min_n, max_n;
    unsigned long long shift;
    if (!PyArg_ParseTuple(args, "UOiiiOK", &text, &alphabet_obj, &bits, &min_n, &max_n,
                          &entries_obj, &shift)) {
        return NULL;
    }
    if (min_n < 2 || max_n < min_n || max_n > MAX_NGRAM || bits < 1 || bits * max_n > 63 ||
        shift < 1 || shift >= 64) {
        PyErr_SetString(PyExc_ValueError, "char_ngram_features: bad n-gram parameters");
        return NULL;
    }
    PyObject *result = NULL;
    Py_buffer alphabet, entries;
    if (get_buffer(alphabet_obj, &alphabet, 8, "alphabet") < 0) {
        return NULL;
    }
    if (get_buffer(entries_obj, &entries, 8, "entries") < 0) {
        goto release_alphabet;
    }
    Py_ssize_t n_alphabet = alphabet.len / 8, n_slots = entries.len / 16;
    if (n_alphabet < 33 || entries.len % 16 != 0 ||
        (uint64_t)n_slots != ((uint64_t)1 << (64 - shift))) {
        PyErr_SetString(PyExc_ValueError, "char_ngram_features: inconsistent tables");
        goto release_all;
    }
    KeyTable table = {entries.buf, (uint64_t)shift, (uint64_t)n_slots - 1};
    const uint64_t *digit_of = alphabet.buf; /* code point -> alphabet index; last: "other" */
    Py_ssize_t top = n_alphabet - 1;
    uint64_t space = digit_of[32];

    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    /* A padded word w gives at most len(w) + 1 windows of each length (min_n >= 2), and the
     * words with one separator each fit in the text: length + 1 windows per length at most. */
    Py_ssize_t capacity = (length + 2) * (Py_ssize_t)(max_n - min_n + 1) + 1;
    int32_t *found = PyMem_Malloc((size_t)capacity * sizeof(int32_t));
    uint64_t *keys = PyMem_Malloc((size_t)capacity * sizeof(uint64_t));
    uint64_t *digits = PyMem_Malloc((size_t)(length + 2) * sizeof(uint64_t));
    if (found == NULL || keys == NULL || digits == NULL) {
        PyErr_NoMemory();
        goto free_scratch;
    }
    /* Two passes: every key first, with a prefetch of its slot, then the lookups in the same
     * order. The table (megabytes) is mostly out of the caches when a request starts, and its
     * slots are random: fetched together, the misses overlap instead of coming one by one. */
    Py_ssize_t n_keys = 0, n_found = 0, i = 0;
    while (i < length) {
        /* A word is a maximal run of characters that are not whitespace (as str.split). */
        while (i < length && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) {
            i++;
        }
        if (i >= length) {
            break;
        }
        Py_ssize_t start = i;
        while (i < length && !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) {
            i++;
        }
        Py_ssize_t padded = i - start + 2;
        if (padded < min_n) {
            continue; /* a whole short padded word: the caller looks it up */
        }
        digits[0] = space;
        for (Py_ssize_t j = start; j < i; j++) {
            Py_UCS4 point = PyUnicode_READ(kind, data, j);
            digits[j - start + 1] = digit_of[(Py_ssize_t)point < top ? (Py_ssize_t)point : top];
        }
        digits[padded - 1] = space;
        for (Py_ssize_t p = 0; p + min_n <= padded; p++) {
            uint64_t key = 0;
            Py_ssize_t longest = padded - p < max_n ? padded - p : max_n;
            for (Py_ssize_t n = 1; n <= longest; n++) {
                key = (key << bits) | digits[p + n - 1];
                if (n >= min_n) {
                    keys[n_keys++] = key;
                    __builtin_prefetch(&table.entries[2 * ((key * HASH_MULTIPLIER) >> shift)]);
                }
            }
        }
    }
    for (Py_ssize_t k = 0; k < n_keys; k++) {
        int32_t feature = find_key(&table, keys[k]);
        if (feature >= 0) {
            found[n_found++] = feature;
        }
    }
    result = PyBytes_FromStringAndSize((const char *)found, n_found * (Py_ssize_t)sizeof(int32_t));
free_scratch:
    PyMem_Free(found);
    PyMem_Free(keys);
    PyMem_Free(digits);
release_all:
    PyBuffer_Release(&entries);
release_alphabet:
    PyBuffer_Release(&alphabet);
    return result;
}

/* ------------------------------------------------------------------ word tokens */

/* The tokens of `model._features.TOKEN_PATTERN`,
 *
 *     <[a-z]+>  |  [a-z_][a-z0-9_]*(?:[.:\-][a-z0-9_]+)*  |  [a-z]*\d+[a-z0-9]*  |  [!*#=^~]{2,}
 *
 * as `re.findall` reads them from ASCII text: at each position the first alternative that
 * matches there wins, and the scan resumes after it (or one character further on when none
 * does). Which alternative can match is decided by the character at the position:
 *
 *   '<'            a placeholder, when letters and then '>' follow; otherwise no token starts
 *                  here (the letters after it then start a name);
 *   [a-z_]         a name: the second alternative always matches there (so the third never
 *                  starts at a letter). Its greedy repetitions take a separator only when a
 *                  word character follows it, and nothing after the group can force a shorter
 *                  match, so the longest such match is the one `re` returns;
 *   [0-9]          a number: `[a-z]*` matches nothing (a letter would have started a name),
 *                  then the digits and letters after them, which never include '_';
 *   [!*#=^~]       a run of two or more of these marks.
 *
 * Each function returns the length of the token starting at `p`, 0 when none does. Every
 * character is read at most twice (a failed placeholder's letters are read again as a name),
 * so the scan is linear in the text. */

static inline int
is_lower(unsigned char c)
{
    return c >= 'a' && c <= 'z';
}

static inline int
is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static inline int
is_word_char(unsigned char c) /* [a-z0-9_] */
{
    return is_lower(c) || is_digit(c) || c == '_';
}

static inline int
is_mark(unsigned char c) /* [!*#=^~] */
{
    return c == '!' || c == '*' || c == '#' || c == '=' || c == '^' || c == '~';
}

static Py_ssize_t
placeholder_length(const unsigned char *s, Py_ssize_t p, Py_ssize_t n)
{
    Py_ssize_t q = p + 1;
    while (q < n && is_lower(s[q])) {
        q++;
    }
    if (q == p + 1 || q >= n || s[q] != '>') {
        return 0;
    }
    return q + 1 - p;
}

static Py_ssize_t
name_length(const unsigned char *s, Py_ssize_t p, Py_ssize_t n)
{
    Py_ssize_t q = p + 1;
    while (q < n && is_word_char(s[q])) {
        q++;
    }
    /* (?:[.:\-][a-z0-9_]+)*: a separator belongs to the name only with a word after it. */
    while (q + 1 < n && (s[q] == '.' || s[q] == ':' || s[q] == '-') && is_word_char(s[q + 1])) {
        q += 2;
        while (q < n && is_word_char(s[q])) {
            q++;
        }
    }
    return q - p;
}

static Py_ssize_t
number_length(const unsigned char *s, Py_ssize_t p, Py_ssize_t n)
{
    Py_ssize_t q = p + 1;
    while (q < n && (is_lower(s[q]) || is_digit(s[q]))) {
        q++;
    }
    return q - p;
}

static Py_ssize_t
marks_length(const unsigned char *s, Py_ssize_t p, Py_ssize_t n)
{
    Py_ssize_t q = p + 1;
    while (q < n && is_mark(s[q])) {
        q++;
    }
    return q - p >= 2 ? q - p : 0;
}

static Py_ssize_t
token_length(const unsigned char *s, Py_ssize_t p, Py_ssize_t n)
{
    unsigned char c = s[p];
    if (c == '<') {
        return placeholder_length(s, p, n);
    }
    if (is_lower(c) || c == '_') {
        return name_length(s, p, n);
    }
    if (is_digit(c)) {
        return number_length(s, p, n);
    }
    if (is_mark(c)) {
        return marks_length(s, p, n);
    }
    return 0;
}

/* The vocabulary's feature for an ASCII token: 1 and `*feature` when it holds the token, 0
 * when it does not (or maps it to None, which the counting skips too), -1 on error. */
static int
lookup_token(PyObject *vocabulary, const unsigned char *token, Py_ssize_t length,
             int32_t *feature)
{
    PyObject *key = PyUnicode_New(length, 127);
    if (key == NULL) {
        return -1;
    }
    memcpy(PyUnicode_1BYTE_DATA(key), token, (size_t)length);
    PyObject *value = PyDict_GetItemWithError(vocabulary, key); /* borrowed */
    Py_DECREF(key);
    if (value == NULL) {
        return PyErr_Occurred() ? -1 : 0;
    }
    if (value == Py_None) {
        return 0;
    }
    /* Fitted vocabularies hold Python ints or numpy integers (PyLong_AsLong takes both, the
     * latter through __index__, Python code that must not free the borrowed value). */
    Py_INCREF(value);
    long index = PyLong_AsLong(value);
    Py_DECREF(value);
    if (index == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (index < 0 || index > INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "word_features: feature out of range");
        return -1;
    }
    *feature = (int32_t)index;
    return 1;
}

static PyObject *
word_features(PyObject *self, PyObject *args)
{
    /* (text, vocabulary dict) -> bytes of the int32 features of the text's tokens found in the
     * vocabulary, in token order; None when the text is not ASCII (the caller uses `re`). */
    PyObject *text, *vocabulary;
    if (!PyArg_ParseTuple(args, "UO!", &text, &PyDict_Type, &vocabulary)) {
        return NULL;
    }
    if (!PyUnicode_IS_ASCII(text)) {
        Py_RETURN_NONE;
    }
    const unsigned char *s = PyUnicode_1BYTE_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    /* Tokens do not overlap and are not empty: at most one per character. */
    int32_t *found = PyMem_Malloc((size_t)(n + 1) * sizeof(int32_t));
    if (found == NULL) {
        return PyErr_NoMemory();
    }
    Py_ssize_t n_found = 0, p = 0;
    while (p < n) {
        Py_ssize_t length = token_length(s, p, n);
        if (length == 0) {
            p++;
            continue;
        }
        int held = lookup_token(vocabulary, s + p, length, &found[n_found]);
        if (held < 0) {
            PyMem_Free(found);
            return NULL;
        }
        n_found += held;
        p += length;
    }
    PyObject *result =
        PyBytes_FromStringAndSize((const char *)found, n_found * (Py_ssize_t)sizeof(int32_t));
    PyMem_Free(found);
    return result;
}

/* ------------------------------------------------------------------ counting */

/* Sort non-negative 31-bit values: least significant digit first, 11 bits a pass; a pass whose
 * digit is the same for every value is skipped. */
static void
radix_sort(uint32_t *values, uint32_t *scratch, Py_ssize_t n)
{
    uint32_t largest = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        largest = values[i] > largest ? values[i] : largest;
    }
    Py_ssize_t histogram[2048];
    for (int shift = 0; shift < 32 && (largest >> shift) != 0; shift += 11) {
        memset(histogram, 0, sizeof(histogram));
        for (Py_ssize_t i = 0; i < n; i++) {
            histogram[(values[i] >> shift) & 2047]++;
        }
        Py_ssize_t total = 0;
        for (int b = 0; b < 2048; b++) {
            Py_ssize_t count = histogram[b];
            histogram[b] = total;
            total += count;
        }
        for (Py_ssize_t i = 0; i < n; i++) {
            scratch[histogram[(values[i] >> shift) & 2047]++] = values[i];
        }
        memcpy(values, scratch, (size_t)n * sizeof(uint32_t));
    }
}

/* The sorted distinct features of `arg` (bytes of int32 features, or a list of ints and Nones,
 * the Nones skipped) and how often each occurs. On success `*block` holds both runs (free it
 * with PyMem_Free): `*distinct` and `*counts`, `*n_distinct` items each. */
static int
counted_features(PyObject *arg, uint32_t **block, uint32_t **distinct, uint32_t **counts,
                 Py_ssize_t *n_distinct)
{
    Py_ssize_t n = 0;
    uint32_t *values = NULL;
    if (PyList_Check(arg)) {
        Py_ssize_t size = PyList_GET_SIZE(arg);
        values = PyMem_Malloc((size_t)(size + 1) * sizeof(uint32_t));
        if (values == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        for (Py_ssize_t i = 0; i < size; i++) {
            PyObject *item = PyList_GET_ITEM(arg, i);
            if (item == Py_None) {
                continue;
            }
            long value = PyLong_AsLong(item);
            if (value == -1 && PyErr_Occurred()) {
                PyMem_Free(values);
                return -1;
            }
            if (value < 0 || value > INT32_MAX) {
                PyMem_Free(values);
                PyErr_SetString(PyExc_ValueError, "count_features: feature out of range");
                return -1;
            }
            values[n++] = (uint32_t)value;
        }
    }
    else {
        Py_buffer view;
        if (get_buffer(arg, &view, 4, "features") < 0) {
            return -1;
        }
        n = view.len / 4;
        values = PyMem_Malloc((size_t)(n + 1) * sizeof(uint32_t));
        if (values == NULL) {
            PyBuffer_Release(&view);
            PyErr_NoMemory();
            return -1;
        }
        memcpy(values, view.buf, (size_t)n * sizeof(uint32_t));
        PyBuffer_Release(&view);
        for (Py_ssize_t i = 0; i < n; i++) {
            if (values[i] > INT32_MAX) {
                PyMem_Free(values);
                PyErr_SetString(PyExc_ValueError, "count_features: feature out of range");
                return -1;
            }
        }
    }
    uint32_t *scratch = PyMem_Malloc((size_t)(2 * n + 2) * sizeof(uint32_t));
    if (scratch == NULL) {
        PyMem_Free(values);
        PyErr_NoMemory();
        return -1;
    }
    radix_sort(values, scratch, n);
    /* Distinct values into `scratch`, their counts after them. */
    uint32_t *first = scratch, *times = scratch + n + 1;
    Py_ssize_t found = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (found > 0 && first[found - 1] == values[i]) {
            times[found - 1]++;
        }
        else {
            first[found] = values[i];
            times[found] = 1;
            found++;
        }
    }
    PyMem_Free(values);
    *block = scratch;
    *distinct = first;
    *counts = times;
    *n_distinct = found;
    return 0;
}

static PyObject *
count_features(PyObject *self, PyObject *arg)
{
    /* `arg`: bytes of int32 features, or a list of ints and Nones (Nones are skipped). */
    uint32_t *block, *distinct, *counts;
    Py_ssize_t n_distinct;
    if (counted_features(arg, &block, &distinct, &counts, &n_distinct) < 0) {
        return NULL;
    }
    Py_ssize_t size = n_distinct * (Py_ssize_t)sizeof(uint32_t);
    PyObject *result = Py_BuildValue("(y#y#)", (const char *)distinct, size,
                                     (const char *)counts, size);
    PyMem_Free(block);
    return result;
}

/* ------------------------------------------------------------------ TF-IDF and scores */

/* The outcomes of `weigh_row`. */
enum { WEIGHED = 0, BEYOND_TF_TABLE = 1, BEYOND_IDF = -1 };

/* A row's TF-IDF values into `value`: tf[count] (the count itself without a table) times
 * idf[index] (1 without idf), then the row divided by its L2 norm when `l2`. BEYOND_TF_TABLE
 * when a count is not in the table (the caller computes that row otherwise); BEYOND_IDF, with
 * an IndexError set, when a feature is not in the idf vector. */
static int
weigh_row(const int32_t *index, const int32_t *count, Py_ssize_t n, int have_tf,
          const float *tf_of, Py_ssize_t n_tf, int have_idf, const float *idf_of,
          Py_ssize_t n_idf, int l2, float *value)
{
    for (Py_ssize_t j = 0; j < n; j++) {
        if (count[j] < 0 || (have_tf && count[j] >= n_tf)) {
            return BEYOND_TF_TABLE;
        }
        if (have_idf && (index[j] < 0 || index[j] >= n_idf)) {
            PyErr_SetString(PyExc_IndexError, "tfidf_values: feature beyond the idf vector");
            return BEYOND_IDF;
        }
        float v = have_tf ? tf_of[count[j]] : (float)count[j];
        value[j] = have_idf ? v * idf_of[index[j]] : v;
    }
    if (l2) { /* `inplace_csr_row_normalize_l2`: float squares summed in double */
        double sum = 0.0;
        for (Py_ssize_t j = 0; j < n; j++) {
            sum += (double)(value[j] * value[j]);
        }
        if (sum != 0.0) {
            sum = sqrt(sum);
            for (Py_ssize_t j = 0; j < n; j++) {
                value[j] = (float)((double)value[j] / sum);
            }
        }
    }
    return WEIGHED;
}

static PyObject *
tfidf_values(PyObject *self, PyObject *args)
{
    /* (indices int32, counts int32, tf float32 or None, idf float32 or None, l2: bool):
     * tf[count] (else the count) times idf[index], then the row divided by its L2 norm.
     * Returns None when a count is beyond the tf table (the caller computes that row). */
    PyObject *indices_obj, *counts_obj, *tf_obj, *idf_obj;
    int l2;
    if (!PyArg_ParseTuple(args, "OOOOp", &indices_obj, &counts_obj, &tf_obj, &idf_obj, &l2)) {
        return NULL;
    }
    Py_buffer indices, counts, tf = {0}, idf = {0};
    PyObject *result = NULL;
    if (get_buffer(indices_obj, &indices, 4, "indices") < 0) {
        return NULL;
    }
    if (get_buffer(counts_obj, &counts, 4, "counts") < 0) {
        PyBuffer_Release(&indices);
        return NULL;
    }
    int have_tf = tf_obj != Py_None, have_idf = idf_obj != Py_None;
    if (have_tf && get_buffer(tf_obj, &tf, 4, "tf") < 0) {
        have_tf = 0;
        goto done;
    }
    if (have_idf && get_buffer(idf_obj, &idf, 4, "idf") < 0) {
        have_idf = 0;
        goto done;
    }
    Py_ssize_t n = indices.len / 4;
    if (counts.len / 4 != n) {
        PyErr_SetString(PyExc_ValueError, "tfidf_values: indices and counts differ in length");
        goto done;
    }
    const int32_t *index = indices.buf, *count = counts.buf;
    const float *tf_of = have_tf ? tf.buf : NULL, *idf_of = have_idf ? idf.buf : NULL;
    Py_ssize_t n_tf = have_tf ? tf.len / 4 : 0, n_idf = have_idf ? idf.len / 4 : 0;
    result = PyBytes_FromStringAndSize(NULL, n * (Py_ssize_t)sizeof(float));
    if (result == NULL) {
        goto done;
    }
    switch (weigh_row(index, count, n, have_tf, tf_of, n_tf, have_idf, idf_of, n_idf, l2,
                      (float *)PyBytes_AS_STRING(result))) {
    case BEYOND_TF_TABLE:
        Py_SETREF(result, Py_NewRef(Py_None));
        break;
    case BEYOND_IDF:
        Py_CLEAR(result);
        break;
    }
done:
    if (have_idf) {
        PyBuffer_Release(&idf);
    }
    if (have_tf) {
        PyBuffer_Release(&tf);
    }
    PyBuffer_Release(&counts);
    PyBuffer_Release(&indices);
    return result;
}

static PyObject *
tfidf_features(PyObject *self, PyObject *args)
{
    /* (features, tf float32 or None, idf float32 or None, l2: bool): `count_features` then
     * `tfidf_values` in one call, (sorted distinct int32 bytes, float32 value bytes), or None
     * when a count is beyond the tf table (the caller computes that row). */
    PyObject *features_obj, *tf_obj, *idf_obj;
    int l2;
    if (!PyArg_ParseTuple(args, "OOOp", &features_obj, &tf_obj, &idf_obj, &l2)) {
        return NULL;
    }
    Py_buffer tf = {0}, idf = {0};
    int have_tf = tf_obj != Py_None, have_idf = idf_obj != Py_None;
    if (have_tf && get_buffer(tf_obj, &tf, 4, "tf") < 0) {
        return NULL;
    }
    if (have_idf && get_buffer(idf_obj, &idf, 4, "idf") < 0) {
        if (have_tf) {
            PyBuffer_Release(&tf);
        }
        return NULL;
    }
    PyObject *result = NULL, *indices = NULL, *values = NULL;
    uint32_t *block = NULL, *distinct, *counts;
    Py_ssize_t n;
    if (counted_features(features_obj, &block, &distinct, &counts, &n) < 0) {
        goto done;
    }
    indices = PyBytes_FromStringAndSize((const char *)distinct, n * (Py_ssize_t)sizeof(int32_t));
    values = PyBytes_FromStringAndSize(NULL, n * (Py_ssize_t)sizeof(float));
    if (indices == NULL || values == NULL) {
        goto done;
    }
    switch (weigh_row((const int32_t *)distinct, (const int32_t *)counts, n, have_tf,
                      have_tf ? tf.buf : NULL, have_tf ? tf.len / 4 : 0, have_idf,
                      have_idf ? idf.buf : NULL, have_idf ? idf.len / 4 : 0, l2,
                      (float *)PyBytes_AS_STRING(values))) {
    case WEIGHED:
        result = PyTuple_Pack(2, indices, values);
        break;
    case BEYOND_TF_TABLE:
        result = Py_NewRef(Py_None);
        break;
    }
done:
    Py_XDECREF(values);
    Py_XDECREF(indices);
    PyMem_Free(block);
    if (have_idf) {
        PyBuffer_Release(&idf);
    }
    if (have_tf) {
        PyBuffer_Release(&tf);
    }
    return result;
}

#define ROW_PREFETCH_AHEAD 8

static PyObject *
linear_scores(PyObject *self, PyObject *args)
{
    /* (rows: list of (indices int32, values float32, offset), coef float32 [features, width],
     * intercept float32 [classes], width = classes): for each row in turn and each of its
     * features in order, score += value * coef[offset + index][:classes]; then score +
     * intercept. A width above the number of classes pads each row (to a cache line). */
    PyObject *rows, *coef_obj, *intercept_obj;
    Py_ssize_t width = -1;
    if (!PyArg_ParseTuple(args, "O!OO|n", &PyList_Type, &rows, &coef_obj, &intercept_obj,
                          &width)) {
        return NULL;
    }
    Py_buffer coef, intercept;
    if (get_buffer(coef_obj, &coef, 4, "coef") < 0) {
        return NULL;
    }
    if (get_buffer(intercept_obj, &intercept, 4, "intercept") < 0) {
        PyBuffer_Release(&coef);
        return NULL;
    }
    PyObject *result = NULL;
    Py_ssize_t n_classes = intercept.len / 4;
    width = width < 0 ? n_classes : width;
    Py_ssize_t n_features = n_classes && width >= n_classes ? coef.len / 4 / width : 0;
    if (n_classes == 0 || width < n_classes || n_features * width * 4 != coef.len) {
        PyErr_SetString(PyExc_ValueError, "linear_scores: coef is not features x classes");
        goto release;
    }
    result = PyBytes_FromStringAndSize(NULL, n_classes * (Py_ssize_t)sizeof(float));
    if (result == NULL) {
        goto release;
    }
    float *score = (float *)PyBytes_AS_STRING(result);
    const float *weights = coef.buf, *bias = intercept.buf;
    for (Py_ssize_t k = 0; k < n_classes; k++) {
        score[k] = 0.0f;
    }
    for (Py_ssize_t r = 0; r < PyList_GET_SIZE(rows); r++) {
        PyObject *indices_obj, *values_obj;
        Py_ssize_t offset;
        if (!PyArg_ParseTuple(PyList_GET_ITEM(rows, r), "OOn", &indices_obj, &values_obj,
                              &offset)) {
            Py_CLEAR(result);
            goto release;
        }
        Py_buffer indices, values;
        if (get_buffer(indices_obj, &indices, 4, "indices") < 0) {
            Py_CLEAR(result);
            goto release;
        }
        if (get_buffer(values_obj, &values, 4, "values") < 0) {
            PyBuffer_Release(&indices);
            Py_CLEAR(result);
            goto release;
        }
        Py_ssize_t n = indices.len / 4;
        const int32_t *index = indices.buf;
        const float *value = values.buf;
        int bad = values.len / 4 != n;
        for (Py_ssize_t j = 0; j < n && !bad; j++) {
            Py_ssize_t feature = offset + index[j];
            if (index[j] < 0 || feature < 0 || feature >= n_features) {
                bad = 1;
                break;
            }
            /* The rows are scattered over megabytes: ask for one a few rows ahead, so that its
             * miss overlaps the sums of the rows before it. */
            if (j + ROW_PREFETCH_AHEAD < n) {
                Py_ssize_t ahead = offset + index[j + ROW_PREFETCH_AHEAD];
                if (ahead >= 0 && ahead < n_features) {
                    __builtin_prefetch(weights + ahead * width);
                }
            }
            const float *row = weights + feature * width;
            float v = value[j];
            for (Py_ssize_t k = 0; k < n_classes; k++) {
                score[k] += row[k] * v;
            }
        }
        PyBuffer_Release(&values);
        PyBuffer_Release(&indices);
        if (bad) {
            Py_CLEAR(result);
            PyErr_SetString(PyExc_IndexError, "linear_scores: a row does not fit coef");
            goto release;
        }
    }
    for (Py_ssize_t k = 0; k < n_classes; k++) {
        score[k] = score[k] + bias[k];
    }
release:
    PyBuffer_Release(&intercept);
    PyBuffer_Release(&coef);
    return result;
}

/* ------------------------------------------------------------------ temperature softmax */

/* `_LinearTemperature.proba` for decision values that are not probabilities: numpy's
 *
 *     scaled = beta_ * decisions; scaled -= max(scaled, axis=1); exp(scaled);
 *     scaled /= sum(scaled, axis=1); clip to 1 what lies in (1, 1 + 1e-5]; 0 + scaled, / 1
 *
 * with every step but the exponential done here, in the dtype numpy does it in. The
 * exponential stays numpy's own (its SIMD code need not round as the C library's `exp`
 * does): the caller passes `numpy.exp`, called once on the whole scaled array. */

/* numpy's pairwise summation of a contiguous run (`pairwise_sum` in its loops_utils.h.src),
 * which `np.sum(..., axis=1)` applies to each row of a C-contiguous array and adds to its
 * initial 0: fewer than 8 items are added in order to 0; up to 128 go into eight interleaved
 * partial sums, combined as ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)), and then the
 * items past the last multiple of 8 in order; longer runs are split in two, the first part a
 * multiple of 8 long. The accumulators have the item type: a float32 row is summed in float32. */
#define DEFINE_PAIRWISE_SUM(name, type)                                                    \
    static type name(const type *item, Py_ssize_t n)                                       \
    {                                                                                      \
        if (n < 8) {                                                                       \
            type sum = 0;                                                                  \
            for (Py_ssize_t i = 0; i < n; i++) {                                           \
                sum += item[i];                                                            \
            }                                                                              \
            return sum;                                                                    \
        }                                                                                  \
        if (n <= 128) {                                                                    \
            type r[8];                                                                     \
            for (int k = 0; k < 8; k++) {                                                  \
                r[k] = item[k];                                                            \
            }                                                                              \
            Py_ssize_t i;                                                                  \
            for (i = 8; i < n - n % 8; i += 8) {                                           \
                for (int k = 0; k < 8; k++) {                                              \
                    r[k] += item[i + k];                                                   \
                }                                                                          \
            }                                                                              \
            type sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7])); \
            for (; i < n; i++) {                                                           \
                sum += item[i];                                                            \
            }                                                                              \
            return sum;                                                                    \
        }                                                                                  \
        Py_ssize_t half = n / 2;                                                           \
        half -= half % 8;                                                                  \
        return name(item, half) + name(item + half, n - half);                             \
    }

DEFINE_PAIRWISE_SUM(pairwise_sum_f32, float)
DEFINE_PAIRWISE_SUM(pairwise_sum_f64, double)

/* The row sum `np.sum(..., axis=1)` gives: the reduction's initial 0 plus the pairwise sum. */
static float
row_sum_f32(const float *row, Py_ssize_t n)
{
    return 0.0f + pairwise_sum_f32(row, n);
}

static double
row_sum_f64(const double *row, Py_ssize_t n)
{
    return 0.0 + pairwise_sum_f64(row, n);
}

/* A C-contiguous 2-D buffer of float32 or float64 items; sets `*is_double` to say which. */
static int
get_float_matrix(PyObject *obj, Py_buffer *view, int writable, const char *name, int *is_double)
{
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, view, flags) < 0) {
        return -1;
    }
    const char *format = view->format != NULL ? view->format : "B";
    int is_float = strcmp(format, "f") == 0 && view->itemsize == 4;
    *is_double = strcmp(format, "d") == 0 && view->itemsize == 8;
    if (view->ndim != 2 || !(is_float || *is_double)) {
        PyErr_Format(PyExc_TypeError, "%s: expected a C-contiguous 2-D float32 or float64 array",
                     name);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* The test before the softmax: all values in [0, 1] (a NaN is not) and every row sum
 * `np.isclose` to 1 in the decisions' own dtype: |sum - 1| <= atol + rtol * |1| (the tolerances
 * cast to that dtype, the sum computed in it) or sum == 1. The sums of values in [0, 1] are
 * finite, so `isclose`'s test that 1 is finite adds nothing. */
static int
looks_like_probabilities(const Py_buffer *decisions, Py_ssize_t rows, Py_ssize_t cols,
                         int is_double)
{
    Py_ssize_t size = rows * cols;
    const float *f32 = decisions->buf;
    const double *f64 = decisions->buf;
    for (Py_ssize_t i = 0; i < size; i++) {
        double value = is_double ? f64[i] : (double)f32[i];
        if (!(value >= 0.0 && value <= 1.0)) {
            return 0;
        }
    }
    static const float tolerance_f32 = (float)1e-8 + (float)1e-5 * 1.0f;
    static const double tolerance_f64 = 1e-8 + 1e-5 * 1.0;
    for (Py_ssize_t r = 0; r < rows; r++) {
        if (is_double) {
            double sum = row_sum_f64(f64 + r * cols, cols);
            if (!(fabs(sum - 1.0) <= tolerance_f64 || sum == 1.0)) {
                return 0;
            }
        }
        else {
            float sum = row_sum_f32(f32 + r * cols, cols);
            if (!(fabsf(sum - 1.0f) <= tolerance_f32 || sum == 1.0f)) {
                return 0;
            }
        }
    }
    return 1;
}

/* `beta * decisions` minus each row's maximum, into `scaled` (float32: the product of float32
 * numbers rounded once to float32, as numpy's float32 multiply). Returns 0, leaving the rest
 * to numpy, when a row holds a NaN or its maximum is infinite: the row's probabilities are
 * then NaN, and which NaN numpy's reductions and arithmetic pass on is not specified. A
 * finite maximum makes every difference a number <= 0 or -inf, whose exponential lies in
 * [0, 1]; the maximum's own is exactly 1 whichever sign its zero has. */
#define DEFINE_SCALE_ROWS(name, type)                                                      \
    static int name(const Py_buffer *decisions, int decisions_double, type beta,          \
                    type *scaled, Py_ssize_t rows, Py_ssize_t cols)                        \
    {                                                                                      \
        const float *f32 = decisions->buf;                                                 \
        const double *f64 = decisions->buf;                                                \
        for (Py_ssize_t r = 0; r < rows; r++) {                                            \
            type *row = scaled + r * cols;                                                 \
            int has_nan = 0;                                                               \
            type largest = 0;                                                              \
            for (Py_ssize_t j = 0; j < cols; j++) {                                        \
                Py_ssize_t i = r * cols + j;                                               \
                type value = decisions_double ? (type)f64[i] : (type)f32[i];               \
                row[j] = beta * value;                                                     \
                has_nan |= isnan(row[j]);                                                  \
                largest = (j == 0 || row[j] > largest) ? row[j] : largest;                 \
            }                                                                              \
            if (has_nan || isinf(largest)) {                                               \
                return 0;                                                                  \
            }                                                                              \
            for (Py_ssize_t j = 0; j < cols; j++) {                                        \
                row[j] -= largest;                                                         \
            }                                                                              \
        }                                                                                  \
        return 1;                                                                          \
    }

DEFINE_SCALE_ROWS(scale_rows_f32, float)
DEFINE_SCALE_ROWS(scale_rows_f64, double)

/* Each exponential divided by its row's sum; what lies in (1, 1 + 1e-5] set to 1 (the bound
 * a Python float, cast to the array's dtype by the comparison), which never happens here since
 * a rounded sum of non-negative numbers is no smaller than any of them; then the mean over the
 * one calibrated classifier: 0 + p in float64, divided by 1 (exact, left out). `out` may be
 * `exps` itself (float64). */
#define DEFINE_NORMALIZE_ROWS(name, type, row_sum)                                         \
    static void name(const type *exps, double *out, Py_ssize_t rows, Py_ssize_t cols)     \
    {                                                                                      \
        const type clip_bound = (type)(1.0 + 1e-5);                                        \
        for (Py_ssize_t r = 0; r < rows; r++) {                                            \
            const type *row = exps + r * cols;                                             \
            type sum = row_sum(row, cols);                                                 \
            for (Py_ssize_t j = 0; j < cols; j++) {                                        \
                type p = row[j] / sum;                                                     \
                if (p > (type)1.0 && p <= clip_bound) {                                    \
                    p = (type)1.0;                                                         \
                }                                                                          \
                out[r * cols + j] = 0.0 + (double)p;                                       \
            }                                                                              \
        }                                                                                  \
    }

DEFINE_NORMALIZE_ROWS(normalize_rows_f32, float, row_sum_f32)
DEFINE_NORMALIZE_ROWS(normalize_rows_f64, double, row_sum_f64)

static PyObject *
temperature_softmax(PyObject *self, PyObject *args)
{
    /* (decisions, beta: float, exp, scaled, out): `decisions` a C-contiguous 2-D float32 or
     * float64 array; `scaled` a writable one of its shape in the dtype of numpy's
     * `beta * decisions`; `out` a writable float64 one of that shape (may be `scaled`).
     * Returns True with the probabilities in `out`; False, with `out` unspecified, when numpy
     * must compute them: the decisions look like probabilities (the calibrator then takes
     * their logarithms), a row's softmax would hold NaN, or the array is empty. */
    PyObject *decisions_obj, *exp, *scaled_obj, *out_obj;
    double beta;
    if (!PyArg_ParseTuple(args, "OdOOO", &decisions_obj, &beta, &exp, &scaled_obj, &out_obj)) {
        return NULL;
    }
    Py_buffer decisions, scaled, out;
    int decisions_double, scaled_double, out_double;
    if (get_float_matrix(decisions_obj, &decisions, 0, "decisions", &decisions_double) < 0) {
        return NULL;
    }
    if (get_float_matrix(scaled_obj, &scaled, 1, "scaled", &scaled_double) < 0) {
        PyBuffer_Release(&decisions);
        return NULL;
    }
    if (get_float_matrix(out_obj, &out, 1, "out", &out_double) < 0) {
        PyBuffer_Release(&scaled);
        PyBuffer_Release(&decisions);
        return NULL;
    }
    PyObject *result = NULL;
    Py_ssize_t rows = decisions.shape[0], cols = decisions.shape[1];
    if (scaled.shape[0] != rows || scaled.shape[1] != cols || out.shape[0] != rows ||
        out.shape[1] != cols) {
        PyErr_SetString(PyExc_ValueError, "temperature_softmax: arrays of different shapes");
        goto release_all;
    }
    if (!out_double || (decisions_double && !scaled_double)) {
        PyErr_SetString(PyExc_TypeError,
                        "temperature_softmax: out must be float64, scaled at least as wide as "
                        "decisions");
        goto release_all;
    }
    if (rows == 0 || cols == 0 ||
        looks_like_probabilities(&decisions, rows, cols, decisions_double)) {
        result = Py_NewRef(Py_False);
        goto release_all;
    }
    int finite = scaled_double
                     ? scale_rows_f64(&decisions, decisions_double, beta, scaled.buf, rows, cols)
                     : scale_rows_f32(&decisions, decisions_double, (float)beta, scaled.buf,
                                      rows, cols);
    PyBuffer_Release(&decisions);
    if (!finite) {
        result = Py_NewRef(Py_False);
        goto release_outputs;
    }
    /* The buffers of `scaled` and `out` stay exported: numpy cannot resize them meanwhile. */
    PyObject *returned = PyObject_CallFunctionObjArgs(exp, scaled_obj, scaled_obj, NULL);
    if (returned == NULL) {
        goto release_outputs;
    }
    Py_DECREF(returned);
    if (scaled_double) {
        normalize_rows_f64(scaled.buf, out.buf, rows, cols);
    }
    else {
        normalize_rows_f32(scaled.buf, out.buf, rows, cols);
    }
    result = Py_NewRef(Py_True);
    goto release_outputs;
release_all:
    PyBuffer_Release(&decisions);
release_outputs:
    PyBuffer_Release(&out);
    PyBuffer_Release(&scaled);
    return result;
}

/* ------------------------------------------------------------------ byte search */

/* `block.count(b"\n", lo, hi)` and `block.find(needle, lo, hi)` for the log scanner. The
 * block is a bytes object (read directly) or any object exporting a buffer (read as raw
 * bytes); `lo` and `hi` are any integers, read and clipped exactly as the bytes methods read
 * theirs: beyond the range of Py_ssize_t they saturate, a negative one counts from the end,
 * then both are clipped to [0, len] (`lo` only from below: a `lo` past `hi` finds nothing). */

typedef struct {
    const unsigned char *bytes;
    Py_ssize_t len;
    Py_buffer view; /* held only when `obj` is not a bytes object */
    int has_view;
} ByteSpan;

static int
get_span(PyObject *obj, ByteSpan *span)
{
    if (PyBytes_Check(obj)) {
        span->bytes = (const unsigned char *)PyBytes_AS_STRING(obj);
        span->len = PyBytes_GET_SIZE(obj);
        span->has_view = 0;
        return 0;
    }
    if (PyObject_GetBuffer(obj, &span->view, PyBUF_SIMPLE) < 0) {
        return -1;
    }
    span->bytes = (const unsigned char *)span->view.buf;
    span->len = span->view.len;
    span->has_view = 1;
    return 0;
}

static void
release_span(ByteSpan *span)
{
    if (span->has_view) {
        PyBuffer_Release(&span->view);
    }
}

/* A slice bound as `bytes.count` reads it (`_PyEval_SliceIndex`): an integer, or an object with
 * `__index__`, saturated to the range of Py_ssize_t. */
static int
slice_bound(PyObject *obj, Py_ssize_t *out)
{
    Py_ssize_t value = PyNumber_AsSsize_t(obj, NULL);
    if (value == -1 && PyErr_Occurred()) {
        return -1;
    }
    *out = value;
    return 0;
}

/* CPython's ADJUST_INDICES (Objects/bytes_methods.c): afterwards 0 <= hi <= len and lo >= 0. */
static void
clip_bounds(Py_ssize_t *lo, Py_ssize_t *hi, Py_ssize_t len)
{
    if (*hi > len) {
        *hi = len;
    }
    else if (*hi < 0) {
        *hi += len;
        if (*hi < 0) {
            *hi = 0;
        }
    }
    if (*lo < 0) {
        *lo += len;
        if (*lo < 0) {
            *lo = 0;
        }
    }
}

/* The arguments (block, [needle,] lo, hi): the spans and the clipped bounds. */
static int
parse_search_args(PyObject *const *args, Py_ssize_t nargs, Py_ssize_t expected,
                  const char *name, ByteSpan *block, ByteSpan *needle, Py_ssize_t *lo,
                  Py_ssize_t *hi)
{
    if (nargs != expected) {
        PyErr_Format(PyExc_TypeError, "%s expected %zd arguments, got %zd", name, expected,
                     nargs);
        return -1;
    }
    if (slice_bound(args[nargs - 2], lo) < 0 || slice_bound(args[nargs - 1], hi) < 0) {
        return -1;
    }
    if (get_span(args[0], block) < 0) {
        return -1;
    }
    if (needle != NULL && get_span(args[1], needle) < 0) {
        release_span(block);
        return -1;
    }
    clip_bounds(lo, hi, block->len);
    return 0;
}

/* Occurrences of `c` in p[0:n], one byte at a time: the bytes the wide passes leave over. */
static Py_ssize_t
count_byte_scalar(const unsigned char *p, Py_ssize_t n, unsigned char c)
{
    Py_ssize_t count = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        count += p[i] == c;
    }
    return count;
}

/* The wide passes compare many bytes at once and add each comparison's 0 or 1 per byte lane
 * to an 8-bit counter; after at most 255 rounds (a counter's limit) the lanes are summed into
 * the total. `*done` is where the byte-wise rest starts. */
#define MAX_ROUNDS 255

#ifdef __SSE2__
static Py_ssize_t
count_byte_sse2(const unsigned char *p, Py_ssize_t n, unsigned char c, Py_ssize_t *done)
{
    const __m128i wanted = _mm_set1_epi8((char)c), zero = _mm_setzero_si128();
    __m128i total = zero; /* two 64-bit sums */
    Py_ssize_t i = 0;
    while (n - i >= 16) {
        Py_ssize_t rounds = (n - i) / 16;
        __m128i lanes = zero;
        if (rounds > MAX_ROUNDS) {
            rounds = MAX_ROUNDS;
        }
        for (Py_ssize_t r = 0; r < rounds; r++, i += 16) {
            __m128i bytes = _mm_loadu_si128((const __m128i *)(p + i));
            /* A match compares to all ones (-1): subtracting it adds one. */
            lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(bytes, wanted));
        }
        total = _mm_add_epi64(total, _mm_sad_epu8(lanes, zero));
    }
    uint64_t sums[2];
    _mm_storeu_si128((__m128i *)sums, total);
    *done = i;
    return (Py_ssize_t)(sums[0] + sums[1]);
}
#endif

#ifdef HAVE_AVX2_COUNT
__attribute__((target("avx2"))) static Py_ssize_t
count_byte_avx2(const unsigned char *p, Py_ssize_t n, unsigned char c, Py_ssize_t *done)
{
    const __m256i wanted = _mm256_set1_epi8((char)c), zero = _mm256_setzero_si256();
    __m256i total = zero; /* four 64-bit sums */
    Py_ssize_t i = 0;
    while (n - i >= 32) {
        Py_ssize_t rounds = (n - i) / 32;
        __m256i lanes = zero;
        if (rounds > MAX_ROUNDS) {
            rounds = MAX_ROUNDS;
        }
        for (Py_ssize_t r = 0; r < rounds; r++, i += 32) {
            __m256i bytes = _mm256_loadu_si256((const __m256i *)(p + i));
            lanes = _mm256_sub_epi8(lanes, _mm256_cmpeq_epi8(bytes, wanted));
        }
        total = _mm256_add_epi64(total, _mm256_sad_epu8(lanes, zero));
    }
    uint64_t sums[4];
    _mm256_storeu_si256((__m256i *)sums, total);
    *done = i;
    return (Py_ssize_t)(sums[0] + sums[1] + sums[2] + sums[3]);
}

static int cpu_has_avx2;
#endif

/* Occurrences of `c` in p[0:n]: 32 bytes at a time where the CPU has AVX2, then 16 with SSE2,
 * then one at a time. */
static Py_ssize_t
count_byte(const unsigned char *p, Py_ssize_t n, unsigned char c, int use_avx2)
{
    Py_ssize_t count = 0, done = 0;
    (void)use_avx2; /* unused where there is no AVX2 pass */
#ifdef HAVE_AVX2_COUNT
    if (use_avx2 && cpu_has_avx2) {
        count += count_byte_avx2(p, n, c, &done);
    }
#endif
#ifdef __SSE2__
    {
        Py_ssize_t more;
        count += count_byte_sse2(p + done, n - done, c, &more);
        done += more;
    }
#endif
    return count + count_byte_scalar(p + done, n - done, c);
}

static PyObject *
count_newlines_in(PyObject *const *args, Py_ssize_t nargs, int use_avx2)
{
    ByteSpan block;
    Py_ssize_t lo, hi, count = 0;
    if (parse_search_args(args, nargs, 3, "count_newlines", &block, NULL, &lo, &hi) < 0) {
        return NULL;
    }
    if (lo < hi) {
        count = count_byte(block.bytes + lo, hi - lo, '\n', use_avx2);
    }
    release_span(&block);
    return PyLong_FromSsize_t(count);
}

static PyObject *
count_newlines(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    return count_newlines_in(args, nargs, 1);
}

/* The same without the AVX2 pass, so that the 16-byte pass is tested on any CPU. */
static PyObject *
count_newlines_without_avx2(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    return count_newlines_in(args, nargs, 0);
}

/* Offset of the first `needle` (m > 0 bytes) in hay[0:n], or -1. */
static Py_ssize_t
find_in(const unsigned char *hay, Py_ssize_t n, const unsigned char *needle, Py_ssize_t m)
{
#ifdef HAVE_MEMMEM
    const unsigned char *found = memmem(hay, (size_t)n, needle, (size_t)m);
    return found == NULL ? -1 : found - hay;
#else
    /* Each place holding the needle's first byte (found with memchr) is compared in full. */
    const unsigned char *p = hay, *last = hay + (n - m);
    while (p <= last) {
        p = memchr(p, needle[0], (size_t)(last - p) + 1);
        if (p == NULL) {
            return -1;
        }
        if (memcmp(p, needle, (size_t)m) == 0) {
            return p - hay;
        }
        p++;
    }
    return -1;
#endif
}

static PyObject *
find_bytes(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    ByteSpan block, needle;
    Py_ssize_t lo, hi, found;
    if (parse_search_args(args, nargs, 4, "find_bytes", &block, &needle, &lo, &hi) < 0) {
        return NULL;
    }
    if (hi - lo < needle.len) {
        found = -1; /* also when `lo` is past `hi` */
    }
    else if (needle.len == 0) {
        found = lo;
    }
    else {
        found = find_in(block.bytes + lo, hi - lo, needle.bytes, needle.len);
        if (found >= 0) {
            found += lo;
        }
    }
    release_span(&needle);
    release_span(&block);
    return PyLong_FromSsize_t(found);
}

/* The line-break searches the scanner makes around every line it reads. `bytes.find` and
 * `bytes.rfind` parse their arguments as a tuple and look the method up on each call; these take
 * them directly. The bounds are clipped as the bytes methods clip them. */

/* Offset of the last '\n' in p[lo:hi], or -1. */
static Py_ssize_t
last_newline(const unsigned char *p, Py_ssize_t lo, Py_ssize_t hi)
{
    if (lo >= hi) {
        return -1;
    }
#ifdef HAVE_MEMRCHR
    const unsigned char *found = memrchr(p + lo, '\n', (size_t)(hi - lo));
    return found == NULL ? -1 : found - p;
#else
    for (Py_ssize_t i = hi - 1; i >= lo; i--) {
        if (p[i] == '\n') {
            return i;
        }
    }
    return -1;
#endif
}

/* Offset of the first '\n' in p[lo:hi], or -1. */
static Py_ssize_t
first_newline(const unsigned char *p, Py_ssize_t lo, Py_ssize_t hi)
{
    if (lo >= hi) {
        return -1;
    }
    const unsigned char *found = memchr(p + lo, '\n', (size_t)(hi - lo));
    return found == NULL ? -1 : found - p;
}

/* `search` (one of the two above) over block[lo:hi] of the arguments (block, lo, hi). */
static PyObject *
newline_search(PyObject *const *args, Py_ssize_t nargs, const char *name,
               Py_ssize_t (*search)(const unsigned char *, Py_ssize_t, Py_ssize_t))
{
    ByteSpan block;
    Py_ssize_t lo, hi, found;
    if (parse_search_args(args, nargs, 3, name, &block, NULL, &lo, &hi) < 0) {
        return NULL;
    }
    found = search(block.bytes, lo, hi);
    release_span(&block);
    return PyLong_FromSsize_t(found);
}

static PyObject *
find_newline(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    return newline_search(args, nargs, "find_newline", first_newline);
}

static PyObject *
rfind_newline(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    return newline_search(args, nargs, "rfind_newline", last_newline);
}

/* The arguments (block, lo, hi, count) of the two searches below; count must be >= 1. */
static int
parse_count_args(PyObject *const *args, Py_ssize_t nargs, const char *name, ByteSpan *block,
                 Py_ssize_t *lo, Py_ssize_t *hi, Py_ssize_t *count)
{
    if (nargs != 4) {
        PyErr_Format(PyExc_TypeError, "%s expected 4 arguments, got %zd", name, nargs);
        return -1;
    }
    if (slice_bound(args[3], count) < 0) {
        return -1;
    }
    if (*count < 1) {
        PyErr_Format(PyExc_ValueError, "%s: count must be at least 1", name);
        return -1;
    }
    return parse_search_args(args, nargs - 1, 3, name, block, NULL, lo, hi);
}

/* Offset just past the count-th '\n' of p[lo:hi], or -1 when it holds fewer. */
static PyObject *
after_newlines(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    ByteSpan block;
    Py_ssize_t lo, hi, count, pos;
    if (parse_count_args(args, nargs, "after_newlines", &block, &lo, &hi, &count) < 0) {
        return NULL;
    }
    pos = lo;
    for (Py_ssize_t i = 0; i < count; i++) {
        Py_ssize_t found = first_newline(block.bytes, pos, hi);
        if (found < 0) {
            pos = -1;
            break;
        }
        pos = found + 1;
    }
    release_span(&block);
    return PyLong_FromSsize_t(pos);
}

/* Offset of the count-th '\n' of p[lo:hi] counted from its end, or -1 when it holds fewer. */
static PyObject *
before_newlines(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    ByteSpan block;
    Py_ssize_t lo, hi, count, end, found = -1;
    if (parse_count_args(args, nargs, "before_newlines", &block, &lo, &hi, &count) < 0) {
        return NULL;
    }
    end = hi;
    for (Py_ssize_t i = 0; i < count; i++) {
        found = last_newline(block.bytes, lo, end);
        if (found < 0) {
            break;
        }
        end = found;
    }
    release_span(&block);
    return PyLong_FromSsize_t(found);
}

static PyMethodDef methods[] = {
    {"char_ngram_features", char_ngram_features, METH_VARARGS,
     "char_ngram_features(text, alphabet, bits, min_n, max_n, entries, shift) -> bytes of int32 "
     "features"},
    {"word_features", word_features, METH_VARARGS,
     "word_features(text, vocabulary) -> bytes of int32 features, or None for non-ASCII text"},
    {"count_features", count_features, METH_O,
     "count_features(features) -> (sorted distinct int32 bytes, int32 count bytes)"},
    {"tfidf_values", tfidf_values, METH_VARARGS,
     "tfidf_values(indices, counts, tf, idf, l2) -> bytes of float32, or None"},
    {"tfidf_features", tfidf_features, METH_VARARGS,
     "tfidf_features(features, tf, idf, l2) -> (sorted distinct int32 bytes, float32 bytes), "
     "or None"},
    {"linear_scores", linear_scores, METH_VARARGS,
     "linear_scores(rows, coef, intercept[, width]) -> bytes of float32"},
    {"temperature_softmax", temperature_softmax, METH_VARARGS,
     "temperature_softmax(decisions, beta, exp, scaled, out) -> True, or False to use numpy"},
    {"count_newlines", (PyCFunction)(void (*)(void))count_newlines, METH_FASTCALL,
     "count_newlines(block, lo, hi, /)\n--\n\n"
     "`block.count(b\"\\n\", lo, hi)` for a bytes-like `block` and integer bounds."},
    {"_count_newlines_without_avx2", (PyCFunction)(void (*)(void))count_newlines_without_avx2,
     METH_FASTCALL,
     "_count_newlines_without_avx2(block, lo, hi, /)\n--\n\n"
     "`count_newlines` with the 16-byte and byte-wise passes only (for tests)."},
    {"find_newline", (PyCFunction)(void (*)(void))find_newline, METH_FASTCALL,
     "find_newline(block, lo, hi, /)\n--\n\n`block.find(b\"\\n\", lo, hi)`."},
    {"rfind_newline", (PyCFunction)(void (*)(void))rfind_newline, METH_FASTCALL,
     "rfind_newline(block, lo, hi, /)\n--\n\n`block.rfind(b\"\\n\", lo, hi)`."},
    {"after_newlines", (PyCFunction)(void (*)(void))after_newlines, METH_FASTCALL,
     "after_newlines(block, lo, hi, count, /)\n--\n\n"
     "Offset just past the count-th newline of block[lo:hi], or -1 when it holds fewer."},
    {"before_newlines", (PyCFunction)(void (*)(void))before_newlines, METH_FASTCALL,
     "before_newlines(block, lo, hi, count, /)\n--\n\n"
     "Offset of the count-th newline of block[lo:hi] counted from its end, or -1."},
    {"find_bytes", (PyCFunction)(void (*)(void))find_bytes, METH_FASTCALL,
     "find_bytes(block, needle, lo, hi, /)\n--\n\n"
     "`block.find(needle, lo, hi)` for bytes-like `block` and `needle` and integer bounds."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "model._speedups", "The arithmetic core of the classifier, in C.", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
#ifdef HAVE_AVX2_COUNT
    __builtin_cpu_init();
    cpu_has_avx2 = __builtin_cpu_supports("avx2");
#endif
    return PyModule_Create(&module);
}
