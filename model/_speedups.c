/* The arithmetic core of `model._fast_tfidf` and `model._inference` in C.
 *
 * Each function computes exactly what its numpy counterpart computes (the tests compare them
 * bit for bit); only the cost differs: the numpy code spends most of a prediction on the
 * per-call overhead of a few dozen small array operations.
 *
 *   char_ngram_features  the vocabulary features of the character n-grams of a text's padded
 *                        words (`CharNgramCounter.count` before counting), unsorted;
 *   count_features       sorted distinct features and how often each occurs (`_counted`);
 *   tfidf_values         a row's TF-IDF values (`tfidf_row`, sublinear tf and L2 norm as
 *                        scikit-learn computes them);
 *   linear_scores        the decision values of a linear model over rows of features, adding
 *                        the products in the order scipy's CSR product does.
 *
 * Floating-point: single precision where numpy works in float32, double where scikit-learn's
 * Cython does; built with -ffp-contract=off so that no multiply-add is fused.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

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

typedef struct {
    const uint64_t *slots;
    const int32_t *slot_features;
    uint64_t shift;
    const uint64_t *sorted_keys;
    const int32_t *sorted_features;
    Py_ssize_t n_sorted;
} KeyTable;

/* `_KeyTable.find` for one key: its feature, or -1 when the vocabulary does not hold it. */
static inline int32_t
find_key(const KeyTable *table, uint64_t key)
{
    uint64_t home = (key * HASH_MULTIPLIER) >> table->shift;
    uint64_t held = table->slots[home];
    if (held == key) {
        return table->slot_features[home];
    }
    if (held == 0 || table->n_sorted == 0) {
        return -1;
    }
    Py_ssize_t lo = 0, hi = table->n_sorted; /* lower bound, as np.searchsorted */
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (table->sorted_keys[mid] < key) {
            lo = mid + 1;
        }
        else {
            hi = mid;
        }
    }
    if (lo < table->n_sorted && table->sorted_keys[lo] == key) {
        return table->sorted_features[lo];
    }
    return -1;
}

static PyObject *
char_ngram_features(PyObject *self, PyObject *args)
{
    PyObject *text, *alphabet_obj, *slots_obj, *slot_features_obj, *sorted_keys_obj,
        *sorted_features_obj;
    int bits, min_n, max_n;
    unsigned long long shift;
    if (!PyArg_ParseTuple(args, "UOiiiOOKOO", &text, &alphabet_obj, &bits, &min_n, &max_n,
                          &slots_obj, &slot_features_obj, &shift, &sorted_keys_obj,
                          &sorted_features_obj)) {
        return NULL;
    }
    if (min_n < 2 || max_n < min_n || max_n > MAX_NGRAM || bits < 1 || bits * max_n > 63 ||
        shift < 1 || shift >= 64) {
        PyErr_SetString(PyExc_ValueError, "char_ngram_features: bad n-gram parameters");
        return NULL;
    }
    PyObject *result = NULL;
    Py_buffer alphabet, slots, slot_features, sorted_keys, sorted_features;
    if (get_buffer(alphabet_obj, &alphabet, 8, "alphabet") < 0) {
        return NULL;
    }
    if (get_buffer(slots_obj, &slots, 8, "slots") < 0) {
        goto release_alphabet;
    }
    if (get_buffer(slot_features_obj, &slot_features, 4, "slot_features") < 0) {
        goto release_slots;
    }
    if (get_buffer(sorted_keys_obj, &sorted_keys, 8, "sorted_keys") < 0) {
        goto release_slot_features;
    }
    if (get_buffer(sorted_features_obj, &sorted_features, 4, "sorted_features") < 0) {
        goto release_sorted_keys;
    }
    Py_ssize_t n_alphabet = alphabet.len / 8, n_slots = slots.len / 8;
    if (n_alphabet < 33 || slot_features.len / 4 != n_slots ||
        sorted_features.len / 4 != sorted_keys.len / 8 ||
        (uint64_t)n_slots != ((uint64_t)1 << (64 - shift))) {
        PyErr_SetString(PyExc_ValueError, "char_ngram_features: inconsistent tables");
        goto release_all;
    }
    KeyTable table = {slots.buf, slot_features.buf, (uint64_t)shift, sorted_keys.buf,
                      sorted_features.buf, sorted_keys.len / 8};
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
    uint64_t *digits = PyMem_Malloc((size_t)(length + 2) * sizeof(uint64_t));
    if (found == NULL || digits == NULL) {
        PyErr_NoMemory();
        goto free_scratch;
    }
    Py_ssize_t n_found = 0, i = 0;
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
                    int32_t feature = find_key(&table, key);
                    if (feature >= 0) {
                        found[n_found++] = feature;
                    }
                }
            }
        }
    }
    result = PyBytes_FromStringAndSize((const char *)found, n_found * (Py_ssize_t)sizeof(int32_t));
free_scratch:
    PyMem_Free(found);
    PyMem_Free(digits);
release_all:
    PyBuffer_Release(&sorted_features);
release_sorted_keys:
    PyBuffer_Release(&sorted_keys);
release_slot_features:
    PyBuffer_Release(&slot_features);
release_slots:
    PyBuffer_Release(&slots);
release_alphabet:
    PyBuffer_Release(&alphabet);
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

static PyObject *
count_features(PyObject *self, PyObject *arg)
{
    /* `arg`: bytes of int32 features, or a list of ints and Nones (Nones are skipped). */
    Py_ssize_t n = 0;
    uint32_t *values = NULL;
    if (PyList_Check(arg)) {
        Py_ssize_t size = PyList_GET_SIZE(arg);
        values = PyMem_Malloc((size_t)(size + 1) * sizeof(uint32_t));
        if (values == NULL) {
            return PyErr_NoMemory();
        }
        for (Py_ssize_t i = 0; i < size; i++) {
            PyObject *item = PyList_GET_ITEM(arg, i);
            if (item == Py_None) {
                continue;
            }
            long value = PyLong_AsLong(item);
            if (value == -1 && PyErr_Occurred()) {
                PyMem_Free(values);
                return NULL;
            }
            if (value < 0 || value > INT32_MAX) {
                PyMem_Free(values);
                PyErr_SetString(PyExc_ValueError, "count_features: feature out of range");
                return NULL;
            }
            values[n++] = (uint32_t)value;
        }
    }
    else {
        Py_buffer view;
        if (get_buffer(arg, &view, 4, "features") < 0) {
            return NULL;
        }
        n = view.len / 4;
        values = PyMem_Malloc((size_t)(n + 1) * sizeof(uint32_t));
        if (values == NULL) {
            PyBuffer_Release(&view);
            return PyErr_NoMemory();
        }
        memcpy(values, view.buf, (size_t)n * sizeof(uint32_t));
        PyBuffer_Release(&view);
        for (Py_ssize_t i = 0; i < n; i++) {
            if (values[i] > INT32_MAX) {
                PyMem_Free(values);
                PyErr_SetString(PyExc_ValueError, "count_features: feature out of range");
                return NULL;
            }
        }
    }
    uint32_t *scratch = PyMem_Malloc((size_t)(2 * n + 2) * sizeof(uint32_t));
    if (scratch == NULL) {
        PyMem_Free(values);
        return PyErr_NoMemory();
    }
    radix_sort(values, scratch, n);
    /* Distinct values into `scratch`, their counts after them. */
    uint32_t *distinct = scratch, *counts = scratch + n + 1;
    Py_ssize_t n_distinct = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (n_distinct > 0 && distinct[n_distinct - 1] == values[i]) {
            counts[n_distinct - 1]++;
        }
        else {
            distinct[n_distinct] = values[i];
            counts[n_distinct] = 1;
            n_distinct++;
        }
    }
    Py_ssize_t size = n_distinct * (Py_ssize_t)sizeof(uint32_t);
    PyObject *result = Py_BuildValue("(y#y#)", (const char *)distinct, size,
                                     (const char *)counts, size);
    PyMem_Free(values);
    PyMem_Free(scratch);
    return result;
}

/* ------------------------------------------------------------------ TF-IDF and scores */

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
    float *value = (float *)PyBytes_AS_STRING(result);
    for (Py_ssize_t j = 0; j < n; j++) {
        if (count[j] < 0 || (have_tf && count[j] >= n_tf)) {
            Py_CLEAR(result);
            result = Py_NewRef(Py_None);
            goto done;
        }
        if (have_idf && (index[j] < 0 || index[j] >= n_idf)) {
            Py_CLEAR(result);
            PyErr_SetString(PyExc_IndexError, "tfidf_values: feature beyond the idf vector");
            goto done;
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
linear_scores(PyObject *self, PyObject *args)
{
    /* (rows: list of (indices int32, values float32, offset), coef float32 [features, classes],
     * intercept float32 [classes]): for each row in turn and each of its features in order,
     * score += value * coef[offset + index]; then score + intercept. */
    PyObject *rows, *coef_obj, *intercept_obj;
    if (!PyArg_ParseTuple(args, "O!OO", &PyList_Type, &rows, &coef_obj, &intercept_obj)) {
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
    Py_ssize_t n_features = n_classes ? coef.len / 4 / n_classes : 0;
    if (n_classes == 0 || n_features * n_classes * 4 != coef.len) {
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
            const float *row = weights + feature * n_classes;
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

static PyMethodDef methods[] = {
    {"char_ngram_features", char_ngram_features, METH_VARARGS,
     "char_ngram_features(text, alphabet, bits, min_n, max_n, slots, slot_features, shift, "
     "sorted_keys, sorted_features) -> bytes of int32 features"},
    {"count_features", count_features, METH_O,
     "count_features(features) -> (sorted distinct int32 bytes, int32 count bytes)"},
    {"tfidf_values", tfidf_values, METH_VARARGS,
     "tfidf_values(indices, counts, tf, idf, l2) -> bytes of float32, or None"},
    {"linear_scores", linear_scores, METH_VARARGS,
     "linear_scores(rows, coef, intercept) -> bytes of float32"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "model._speedups", "The arithmetic core of the classifier, in C.", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    return PyModule_Create(&module);
}
