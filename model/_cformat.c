/*
 * Which CI system wrote a log, from its first bytes: the probes of `_FORMAT_PROBES` in
 * model/_logtext.py, without a regular-expression engine.
 *
 * `format_index(head)` returns the index in `_FORMAT_PROBES` of the first probe (in the
 * tuple's order) that matches anywhere in `head`, or -1 when none does: exactly what the re2
 * set over the same bytes reports. Every alternative of every probe starts with a fixed byte
 * or contains one at a fixed offset (the "anchor"), so one pass finds the positions holding an
 * anchor byte, many bytes at a time, and only there compares the literal. Format detection runs
 * once per log over up to 64 KB, and most bytes are no anchor at all, so the pass costs a
 * fraction of the automaton's byte-by-byte walk. The pass takes 32 bytes at a time where the
 * CPU has AVX2 (and there also requires the byte after the anchor to fit), else 16 with SSE2,
 * and the last few bytes one at a time.
 *
 * The probes only contain ASCII literals, `\d` (ASCII digits), `[A-Z]` and the UTF-8 BOM
 * (EF BB BF), and re2 scans for an unanchored match with a loop over any byte: bytes that are
 * not valid UTF-8 neither match nor hide a literal, so the input is plain bytes here too.
 * `(?m:^)` holds at the start of the input and right after a '\n' (not after '\r').
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif
/* A 32-byte pass for CPUs that have AVX2, chosen at run time: the build targets plain x86-64. */
#if defined(__GNUC__) && defined(__x86_64__)
#define HAVE_AVX2_PASS 1
#include <immintrin.h>
#endif

/* Indices in `_FORMAT_PROBES`; the lowest index found anywhere wins. */
enum {
    PROBE_AZURE = 0,
    PROBE_GITLAB = 1,
    PROBE_JENKINS = 2,
    PROBE_CIRCLECI = 3,
    PROBE_GITHUB = 4,
    PROBE_NONE = 5,
};

/* Does the `avail` bytes at `p` start with the string literal `lit`? */
#define STARTS_WITH(p, avail, lit) \
    ((avail) >= (Py_ssize_t)(sizeof(lit) - 1) && memcmp((p), (lit), sizeof(lit) - 1) == 0)

static int
is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* `##\[section\](?:Starting|Finishing): |##vso\[` (azure), `#!/bin/(?:ba)?sh -eo pipefail`
 * (circleci) and `##\[(?:group|endgroup|error|warning|notice|command)\]` (github). */
static int
probe_hash(const unsigned char *p, Py_ssize_t avail)
{
    if (STARTS_WITH(p, avail, "##[")) {
        const unsigned char *q = p + 3;
        Py_ssize_t rest = avail - 3;
        if (STARTS_WITH(q, rest, "section]Starting: ") ||
            STARTS_WITH(q, rest, "section]Finishing: "))
            return PROBE_AZURE;
        if (STARTS_WITH(q, rest, "group]") || STARTS_WITH(q, rest, "endgroup]") ||
            STARTS_WITH(q, rest, "error]") || STARTS_WITH(q, rest, "warning]") ||
            STARTS_WITH(q, rest, "notice]") || STARTS_WITH(q, rest, "command]"))
            return PROBE_GITHUB;
        return PROBE_NONE;
    }
    if (STARTS_WITH(p, avail, "##vso["))
        return PROBE_AZURE;
    if (STARTS_WITH(p, avail, "#!/bin/")) {
        const unsigned char *q = p + 7;
        Py_ssize_t rest = avail - 7;
        if (STARTS_WITH(q, rest, "sh -eo pipefail") || STARTS_WITH(q, rest, "bash -eo pipefail"))
            return PROBE_CIRCLECI;
    }
    return PROBE_NONE;
}

/* `section_start:\d+:` (gitlab), `p` at its first byte. The digit run after one occurrence
 * cannot hold another occurrence, so each digit is looked at once: linear. */
static int
probe_section_start(const unsigned char *p, Py_ssize_t avail)
{
    Py_ssize_t k = sizeof("section_start:") - 1;
    Py_ssize_t first_digit = k;
    if (!STARTS_WITH(p, avail, "section_start:"))
        return PROBE_NONE;
    while (k < avail && is_digit(p[k]))
        k++;
    return (k > first_digit && k < avail && p[k] == ':') ? PROBE_GITLAB : PROBE_NONE;
}

/* `Started by (?:user|an SCM|timer|upstream)` (jenkins). */
static int
probe_started_by(const unsigned char *p, Py_ssize_t avail)
{
    const unsigned char *q;
    Py_ssize_t rest;
    if (!STARTS_WITH(p, avail, "Started by "))
        return PROBE_NONE;
    q = p + 11;
    rest = avail - 11;
    if (STARTS_WITH(q, rest, "user") || STARTS_WITH(q, rest, "an SCM") ||
        STARTS_WITH(q, rest, "timer") || STARTS_WITH(q, rest, "upstream"))
        return PROBE_JENKINS;
    return PROBE_NONE;
}

/* `Finished: [A-Z]{4,}` (jenkins): four uppercase ASCII letters are enough. */
static int
probe_finished(const unsigned char *p, Py_ssize_t avail)
{
    Py_ssize_t k;
    if (!STARTS_WITH(p, avail, "Finished: ") || avail < 14)
        return PROBE_NONE;
    for (k = 10; k < 14; k++)
        if (p[k] < 'A' || p[k] > 'Z')
            return PROBE_NONE;
    return PROBE_JENKINS;
}

/* `(?m:^)(?:\xEF\xBB\xBF)?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z ` (github), `p` at the start
 * of a line. A BOM is skipped once; without one, a line starting EF cannot match either. */
static int
probe_timestamp_line(const unsigned char *p, Py_ssize_t avail)
{
    /* 'd' stands for one ASCII digit, every other byte for itself. */
    static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddddddZ ";
    const Py_ssize_t length = sizeof(shape) - 1;
    Py_ssize_t k;
    if (STARTS_WITH(p, avail, "\xEF\xBB\xBF")) {
        p += 3;
        avail -= 3;
    }
    if (avail < length)
        return PROBE_NONE;
    for (k = 0; k < length; k++) {
        if (shape[k] == 'd' ? !is_digit(p[k]) : p[k] != (unsigned char)shape[k])
            return PROBE_NONE;
    }
    return PROBE_GITHUB;
}

/* The probe whose alternative begins (or, for `section_start:`, has its anchor) at `text[i]`,
 * or PROBE_NONE. Only the anchor bytes listed in `is_anchor` can answer anything else.
 * Line starts are not looked at once a probe before GitHub's has been found (`best`): in a
 * GitHub log every line starts with the timestamp, and checking each again would be waste. */
static int
probe_at(const unsigned char *text, Py_ssize_t n, Py_ssize_t i, int best)
{
    const unsigned char *p = text + i;
    Py_ssize_t avail = n - i;
    switch (*p) {
    case '#':
        return probe_hash(p, avail);
    case '_': /* the eighth byte of `section_start:`, rarer in logs than its 's' */
        return i >= 7 ? probe_section_start(p - 7, avail + 7) : PROBE_NONE;
    case '[':
        return STARTS_WITH(p, avail, "[Pipeline] ") ? PROBE_JENKINS : PROBE_NONE;
    case 'R':
        return STARTS_WITH(p, avail, "Running with gitlab-runner") ? PROBE_GITLAB : PROBE_NONE;
    case 'E':
        if (STARTS_WITH(p, avail, "ERROR: Job failed"))
            return PROBE_GITLAB;
        return STARTS_WITH(p, avail, "Exited with code exit status") ? PROBE_CIRCLECI : PROBE_NONE;
    case 'S':
        return probe_started_by(p, avail);
    case 'F':
        return probe_finished(p, avail);
    case 'C':
        return STARTS_WITH(p, avail, "CircleCI") ? PROBE_CIRCLECI : PROBE_NONE;
    case '\n':
        return best > PROBE_GITHUB ? probe_timestamp_line(p + 1, avail - 1) : PROBE_NONE;
    default:
        return PROBE_NONE;
    }
}

static const unsigned char is_anchor[256] = {
    ['#'] = 1, ['_'] = 1, ['['] = 1, ['R'] = 1, ['E'] = 1,
    ['S'] = 1, ['F'] = 1, ['C'] = 1, ['\n'] = 1,
};

/* Positions [start, n) one byte at a time; returns the lowest probe found below `best`. */
static int
scan_bytes(const unsigned char *text, Py_ssize_t n, Py_ssize_t start, int best)
{
    Py_ssize_t i;
    for (i = start; i < n && best > PROBE_AZURE; i++) {
        if (is_anchor[text[i]]) {
            int found = probe_at(text, n, i, best);
            if (found < best)
                best = found;
        }
    }
    return best;
}

#ifdef __SSE2__
/* Whole 16-byte blocks from `start`: a bit mask of the anchor bytes, then a probe at each set
 * bit. Returns the lowest probe found below `best`; `*scanned` is where the byte-wise tail
 * starts. */
static int
scan_blocks(const unsigned char *text, Py_ssize_t n, Py_ssize_t start, int best,
            Py_ssize_t *scanned)
{
    const __m128i hash = _mm_set1_epi8('#'), underscore = _mm_set1_epi8('_');
    const __m128i bracket = _mm_set1_epi8('['), upper_r = _mm_set1_epi8('R');
    const __m128i upper_e = _mm_set1_epi8('E'), upper_s = _mm_set1_epi8('S');
    const __m128i upper_f = _mm_set1_epi8('F'), upper_c = _mm_set1_epi8('C');
    /* Once a line start no longer matters, the newline lane looks for '#' again instead. */
    __m128i newline = _mm_set1_epi8(best > PROBE_GITHUB ? '\n' : '#');
    Py_ssize_t i;
    for (i = start; i + 16 <= n && best > PROBE_AZURE; i += 16) {
        __m128i block = _mm_loadu_si128((const __m128i *)(text + i));
        __m128i symbols = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(block, hash), _mm_cmpeq_epi8(block, underscore)),
            _mm_or_si128(_mm_cmpeq_epi8(block, bracket), _mm_cmpeq_epi8(block, newline)));
        __m128i letters = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(block, upper_r), _mm_cmpeq_epi8(block, upper_e)),
            _mm_or_si128(_mm_cmpeq_epi8(block, upper_s), _mm_cmpeq_epi8(block, upper_f)));
        __m128i anchors =
            _mm_or_si128(_mm_or_si128(symbols, letters), _mm_cmpeq_epi8(block, upper_c));
        unsigned int mask = (unsigned int)_mm_movemask_epi8(anchors);
        while (mask != 0) {
            int found = probe_at(text, n, i + __builtin_ctz(mask), best);
            if (found < best) {
                best = found;
                if (best <= PROBE_GITHUB)
                    newline = hash;
            }
            mask &= mask - 1;
        }
    }
    *scanned = i;
    return best;
}
#endif

#ifdef HAVE_AVX2_PASS
/* With AVX2 the pass also looks at the byte after each anchor, which most anchor bytes in a log
 * ('[' of `[command]`, uppercase letters of ordinary words) fail: far fewer positions reach
 * `probe_at`. Both bytes are classified by their nibbles ("shufti"): a byte belongs to a class
 * when the class bit is set both for its low and for its high nibble, and a position is kept
 * when its byte and the next share a class. One class per alternative's first two bytes:
 *   '#' then '#' or '!'      '[' then 'P'    'R' then 'u'    'E' then 'R' or 'x'
 *   'S' then 't'             'F' or 'C' then 'i'             '_' then 's' (section_start)
 *   '\n' then a digit or the BOM's EF (the line-start timestamp)
 * A first byte's classes are exact (each class keeps one high nibble); a second byte's may
 * also admit a few other bytes ('X', 'r', '?', E0-E9), which `probe_at` then rejects. */
enum {
    PAIR_HASH = 1,
    PAIR_BRACKET = 2,
    PAIR_R = 4,
    PAIR_E = 8,
    PAIR_S = 16,
    PAIR_F_OR_C = 32,
    PAIR_UNDERSCORE = 64,
    PAIR_NEWLINE = 128,
};
static const unsigned char first_low_nibble[16] = {
    [0x2] = PAIR_R,
    [0x3] = PAIR_HASH | PAIR_S | PAIR_F_OR_C,
    [0x5] = PAIR_E,
    [0x6] = PAIR_F_OR_C,
    [0xA] = PAIR_NEWLINE,
    [0xB] = PAIR_BRACKET,
    [0xF] = PAIR_UNDERSCORE,
};
static const unsigned char first_high_nibble[16] = {
    [0x0] = PAIR_NEWLINE,
    [0x2] = PAIR_HASH,
    [0x4] = PAIR_E | PAIR_F_OR_C,
    [0x5] = PAIR_BRACKET | PAIR_R | PAIR_S | PAIR_UNDERSCORE,
};
static const unsigned char second_low_nibble[16] = {
    [0x0] = PAIR_BRACKET | PAIR_NEWLINE,
    [0x1] = PAIR_HASH | PAIR_NEWLINE,
    [0x2] = PAIR_E | PAIR_NEWLINE,
    [0x3] = PAIR_HASH | PAIR_UNDERSCORE | PAIR_NEWLINE,
    [0x4] = PAIR_S | PAIR_NEWLINE,
    [0x5] = PAIR_R | PAIR_NEWLINE,
    [0x6] = PAIR_NEWLINE,
    [0x7] = PAIR_NEWLINE,
    [0x8] = PAIR_E | PAIR_NEWLINE,
    [0x9] = PAIR_F_OR_C | PAIR_NEWLINE,
    [0xF] = PAIR_NEWLINE,
};
static const unsigned char second_high_nibble[16] = {
    [0x2] = PAIR_HASH,
    [0x3] = PAIR_NEWLINE,
    [0x5] = PAIR_BRACKET | PAIR_E,
    [0x6] = PAIR_F_OR_C,
    [0x7] = PAIR_R | PAIR_E | PAIR_S | PAIR_UNDERSCORE,
    [0xE] = PAIR_NEWLINE,
};

/* The classes of the 32 bytes at `bytes`, as bits per byte. */
__attribute__((target("avx2"))) static __m256i
nibble_classes_avx2(__m256i bytes, __m256i low_table, __m256i high_table)
{
    const __m256i nibble = _mm256_set1_epi8(0x0f);
    __m256i low = _mm256_shuffle_epi8(low_table, _mm256_and_si256(bytes, nibble));
    __m256i high =
        _mm256_shuffle_epi8(high_table, _mm256_and_si256(_mm256_srli_epi16(bytes, 4), nibble));
    return _mm256_and_si256(low, high);
}

__attribute__((target("avx2"))) static __m256i
table_avx2(const unsigned char table[16])
{
    return _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)table));
}

/* `scan_blocks` 32 bytes at a time with AVX2, keeping only the positions whose byte and the
 * next one can start an alternative. Reads `text[i + 32]`, so it stops a byte early. */
__attribute__((target("avx2"))) static int
scan_pairs_avx2(const unsigned char *text, Py_ssize_t n, int best, Py_ssize_t *scanned)
{
    const __m256i first_low = table_avx2(first_low_nibble);
    const __m256i second_low = table_avx2(second_low_nibble);
    const __m256i second_high = table_avx2(second_high_nibble);
    /* Once a line start no longer matters, '\n' leaves the anchors. */
    const __m256i without_newline = _mm256_set1_epi8((char)~PAIR_NEWLINE);
    __m256i first_high = table_avx2(first_high_nibble);
    Py_ssize_t i;
    if (best <= PROBE_GITHUB)
        first_high = _mm256_and_si256(first_high, without_newline);
    for (i = 0; i + 33 <= n && best > PROBE_AZURE; i += 32) {
        __m256i first = _mm256_loadu_si256((const __m256i *)(text + i));
        __m256i second = _mm256_loadu_si256((const __m256i *)(text + i + 1));
        __m256i shared = _mm256_and_si256(nibble_classes_avx2(first, first_low, first_high),
                                          nibble_classes_avx2(second, second_low, second_high));
        unsigned int mask = ~(unsigned int)_mm256_movemask_epi8(
            _mm256_cmpeq_epi8(shared, _mm256_setzero_si256()));
        while (mask != 0) {
            int found = probe_at(text, n, i + __builtin_ctz(mask), best);
            if (found < best) {
                best = found;
                if (best <= PROBE_GITHUB)
                    first_high = _mm256_and_si256(first_high, without_newline);
            }
            mask &= mask - 1;
        }
    }
    *scanned = i;
    return best;
}

static int cpu_has_avx2;
#endif

static int
first_probe(const unsigned char *text, Py_ssize_t n, int use_avx2)
{
    Py_ssize_t scanned = 0;
    int best = probe_timestamp_line(text, n); /* `(?m:^)` also holds at the very start */
#ifdef HAVE_AVX2_PASS
    if (use_avx2 && cpu_has_avx2)
        best = scan_pairs_avx2(text, n, best, &scanned);
#endif
#ifdef __SSE2__
    best = scan_blocks(text, n, scanned, best, &scanned);
#endif
    return scan_bytes(text, n, scanned, best);
}

static PyObject *
index_of_first_probe(PyObject *arg, int use_avx2)
{
    Py_buffer view;
    int best;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    best = first_probe((const unsigned char *)view.buf, view.len, use_avx2);
    PyBuffer_Release(&view);
    return PyLong_FromLong(best == PROBE_NONE ? -1 : best);
}

static PyObject *
format_index(PyObject *module, PyObject *arg)
{
    return index_of_first_probe(arg, 1);
}

/* The same without the AVX2 pass, so that the other passes are tested on any CPU. */
static PyObject *
format_index_without_avx2(PyObject *module, PyObject *arg)
{
    return index_of_first_probe(arg, 0);
}

static PyMethodDef methods[] = {
    {"format_index", format_index, METH_O,
     "format_index(head, /)\n--\n\n"
     "Index in `_FORMAT_PROBES` of the first probe matching anywhere in the bytes `head`, "
     "or -1."},
    {"_format_index_without_avx2", format_index_without_avx2, METH_O,
     "_format_index_without_avx2(head, /)\n--\n\n"
     "`format_index` with the 16-byte and byte-wise passes only (for tests)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    "_cformat",
    "The log-format probes of model/_logtext.py over bytes, without regular expressions.",
    -1,
    methods,
    NULL,
    NULL,
    NULL,
    NULL,
};

PyMODINIT_FUNC
PyInit__cformat(void)
{
#ifdef HAVE_AVX2_PASS
    __builtin_cpu_init();
    cpu_has_avx2 = __builtin_cpu_supports("avx2");
#endif
    return PyModule_Create(&module);
}
