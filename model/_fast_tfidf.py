"""Term counts and TF-IDF rows of fitted vectorisers, computed with numpy, equal to scikit-learn's.

`CharNgramCounter` replaces scikit-learn's ``analyzer="char_wb"`` loop (one Python string per
n-gram, then a dictionary lookup each) by array operations over the text's code points:

* every character is mapped to its index in the vocabulary's alphabet (1..K; a character the
  vocabulary never uses gets K+1, so no n-gram holding it can match);
* an n-gram's key packs its n indices into one integer, ``bits`` bits each. The packing is
  exact (no hash): two keys are equal only for equal n-grams, and keys of different lengths
  never collide because no index is 0;
* the keys of the text's n-grams are looked up, all at once, in a hash table of the
  vocabulary's keys (`_KeyTable`), then counted.

N-grams are read in ``" " + " ".join(words) + " "``: an n-gram of a padded word is a window of
that string with no space strictly inside it, and each such window belongs to exactly one
padded word (for ``n >= 2``). A padded word shorter than the smallest ``n`` counts once as a
whole, as scikit-learn does.

`tfidf_row` then applies the vectoriser's fitted `TfidfTransformer` to one row with the same
floating-point operations, in the same order, as scikit-learn does on a CSR matrix.

Where the package was built with its C extension (`model._speedups`), the counters and
`TfidfRow` call it for the same numbers (the tests compare both bit for bit); the numpy code
here is what runs without it.
"""

from __future__ import annotations

import operator
import re
from typing import Any, Final, NamedTuple

import numpy as np
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

from model._features import TOKEN_PATTERN

try:
    from model import _speedups

    NATIVE = True
except ImportError:  # built without a C compiler: the numpy code below computes the same
    NATIVE = False

# The packed key must fit in an int64: bits * max_n <= 63.
_KEY_BITS_LIMIT = 63

Row = tuple[np.ndarray, np.ndarray]  # sorted feature indices (int32), counts (intc)


class _CsrRow(NamedTuple):
    """The four attributes `inplace_csr_row_normalize_l2` reads from a CSR matrix."""

    data: np.ndarray
    shape: tuple[int, int]
    indices: np.ndarray
    indptr: np.ndarray


def _counted(features: list[int] | np.ndarray) -> Row:
    """Sorted distinct feature indices and how often each occurs (``np.unique`` with counts,
    without its per-call overhead, which is most of the cost on a thousand values)."""
    ordered = np.sort(np.asarray(features, dtype=np.int32))
    if not len(ordered):
        return ordered, np.zeros(0, dtype=np.intc)
    starts = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
    bounds = np.concatenate(([0], starts, [len(ordered)]))
    return ordered[bounds[:-1]], np.diff(bounds).astype(np.intc)


class _KeyTable:
    """The vocabulary's packed keys and their features in one hash table with linear probing,
    looked up for many keys at once.

    A key and its feature sit side by side in a slot (16 bytes, four to a cache line), and the
    table is at most two thirds full: a lookup reads its home slot (a multiplicative hash) and
    the few after it up to the key or a free slot, most often in one cache line. Keeping the
    table small and each lookup in one line matters more than the hash: the table is read at
    a thousand scattered places per log, and it competes for the CPU's caches with the rest of
    the model and of the server between two requests. Keys are never 0 (no alphabet index is),
    so 0 marks a free slot.
    """

    _MULTIPLIER: Final = np.uint64(0x9E3779B97F4A7C15)  # 2**64 / golden ratio, odd

    def __init__(self, keys: np.ndarray, features: np.ndarray) -> None:
        bits = max(4, (3 * len(keys) // 2).bit_length())  # at most 2/3 full
        self.shift = np.uint64(64 - bits)
        self.mask = (1 << bits) - 1
        # entries[slot] = (key, feature); a feature fits 31 bits (the C code reads it so).
        self.entries = np.zeros((1 << bits, 2), dtype=np.uint64)
        pending = np.arange(len(keys))
        slot = self._home(keys)
        while len(pending):
            # Each free slot goes to the first key (in the order given) that probes it; every other
            # key moves on to the next slot, as inserting them one by one would.
            free = np.flatnonzero(self.entries[slot, 0] == 0)
            _, first = np.unique(slot[free], return_index=True)
            won = free[first]
            self.entries[slot[won], 0] = keys[pending[won]]
            self.entries[slot[won], 1] = features[pending[won]]
            stay = np.ones(len(pending), dtype=bool)
            stay[won] = False
            pending, slot = pending[stay], (slot[stay] + 1) & self.mask

    def _home(self, keys: np.ndarray) -> np.ndarray:
        return ((keys * self._MULTIPLIER) >> self.shift).astype(np.intp)

    def find(self, wanted: np.ndarray) -> np.ndarray:
        """The features of the keys of ``wanted`` that are in the table (any order)."""
        found: list[np.ndarray] = []
        slot = self._home(wanted)
        while len(wanted):
            held = self.entries[slot, 0]
            hit = held == wanted
            found.append(self.entries[slot[hit], 1])
            going_on = (held != 0) & ~hit  # another key sits here: the next slot may hold it
            wanted, slot = wanted[going_on], (slot[going_on] + 1) & self.mask
        return np.concatenate(found).astype(np.int64) if found else np.zeros(0, np.int64)


class CharNgramCounter:
    """The vocabulary counts of scikit-learn's ``char_wb`` analyser for one fitted vocabulary.

    Build with :meth:`build`, which returns None when the vocabulary cannot be packed (an
    alphabet too large for the n-gram length, or ``min_n < 2``).
    """

    def __init__(
        self,
        min_n: int,
        max_n: int,
        bits: int,
        table: np.ndarray,
        keys: _KeyTable,
        short_words: dict[str, int],
        *,
        native: bool = True,
    ) -> None:
        self.min_n = min_n
        self.max_n = max_n
        self.bits = bits
        self.table = table  # code point -> alphabet index (uint64); last entry: "not in it"
        self.keys = keys  # the packed keys of the vocabulary's n-grams, with their features
        self.short_words = short_words  # padded words shorter than min_n, by feature index
        # The C loop reads the space's index from the table: it must reach code point 32.
        self.native = native and NATIVE and len(table) > 32

    @classmethod
    def build(
        cls, vocabulary: dict[str, int], ngram_range: tuple[int, int], *, native: bool = True
    ) -> CharNgramCounter | None:
        min_n, max_n = ngram_range
        if min_n < 2 or max_n < min_n:
            return None
        alphabet = sorted(set("".join(vocabulary)))
        bits = (len(alphabet) + 1).bit_length()
        if bits * max_n > _KEY_BITS_LIMIT:
            return None
        top = max((ord(c) for c in alphabet), default=0) + 1
        table = np.full(top + 1, len(alphabet) + 1, dtype=np.uint64)
        for index, char in enumerate(alphabet, start=1):
            table[ord(char)] = index
        short_words = {gram: f for gram, f in vocabulary.items() if len(gram) < min_n}
        keys: list[np.ndarray] = []
        features: list[np.ndarray] = []
        for n in range(min_n, max_n + 1):
            grams = [gram for gram in vocabulary if len(gram) == n]
            if not grams:
                continue
            points = np.frombuffer("".join(grams).encode("utf-32-le"), dtype=np.uint32)
            digits = table[points].reshape(len(grams), n)
            packed = np.zeros(len(grams), dtype=np.uint64)
            for column in range(n):
                packed = (packed << np.uint64(bits)) | digits[:, column]
            keys.append(packed)
            features.append(np.fromiter((vocabulary[g] for g in grams), np.int64, len(grams)))
        all_keys = np.concatenate(keys) if keys else np.zeros(0, dtype=np.uint64)
        all_features = np.concatenate(features) if features else np.zeros(0, dtype=np.int64)
        if len(np.unique(all_keys)) != len(all_keys):
            return None  # cannot happen with an exact packing; refuse rather than guess
        keys_table = _KeyTable(all_keys, all_features)
        return cls(min_n, max_n, bits, table, keys_table, short_words, native=native)

    def count(self, text: str) -> Row:
        """Feature indices (sorted) and counts of ``text``'s n-grams found in the vocabulary."""
        if self.native:
            return self._count_native(text)
        words = text.split()
        if not words:
            return _counted([])
        joined = " " + " ".join(words) + " "
        points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
        top = len(self.table) - 1
        digits = self.table[np.minimum(points, top)]
        spaces = np.zeros(len(points) + 1, dtype=np.int32)
        np.cumsum(points == 32, out=spaces[1:])
        shift = np.uint64(self.bits)
        length = len(points)
        queries: list[np.ndarray] = []
        key = digits
        for n in range(2, self.max_n + 1):
            if n > length:
                break
            key = (key[:-1] << shift) | digits[n - 1 :]
            if n < self.min_n:
                continue
            # A window [p, p + n) is inside one padded word: no space at p+1 .. p+n-2.
            inside = spaces[n - 1 : length] == spaces[1 : length - n + 2]
            queries.append(key[inside])
        found: list[Any] = []
        if queries:
            found.append(self.keys.find(np.concatenate(queries)))
        if self.short_words:
            extra = [self.short_words.get(f" {w} ") for w in words if len(w) + 2 < self.min_n]
            found.append(np.array([f for f in extra if f is not None], dtype=np.int64))
        if not found:
            return _counted([])
        return _counted(np.concatenate(found) if len(found) > 1 else found[0])

    def _count_native(self, text: str) -> Row:
        return _native_counted(self._native_features(text))

    def native_features(self, text: str) -> bytes | None:
        """The features of ``text``'s n-grams as int32 bytes, unsorted, or None where the C
        code does not run."""
        return self._native_features(text) if self.native else None

    def _native_features(self, text: str) -> bytes:
        keys = self.keys
        found: bytes = _speedups.char_ngram_features(
            text,
            self.table,
            self.bits,
            self.min_n,
            self.max_n,
            keys.entries,
            int(keys.shift),
        )
        if self.short_words:
            extra = [
                self.short_words.get(f" {w} ") for w in text.split() if len(w) + 2 < self.min_n
            ]
            found += np.array([f for f in extra if f is not None], dtype=np.int32).tobytes()
        return found


def _native_counted(features: bytes | list[int | None]) -> Row:
    """`_counted` in C; ``features`` may hold Nones (skipped)."""
    indices, counts = _speedups.count_features(features)
    return np.frombuffer(indices, dtype=np.int32), np.frombuffer(counts, dtype=np.intc)


class WordCounter:
    """The vocabulary counts of a word analyser that is a bare token pattern (1-grams, no stop
    words, no preprocessing).

    With the C extension and the classifier's own pattern (`TOKEN_PATTERN`), ASCII texts are
    tokenised and looked up in C; `_count_with_re` is what runs otherwise, and the reference.
    """

    def __init__(
        self, vocabulary: dict[str, int], token_pattern: str, *, native: bool = True
    ) -> None:
        self.vocabulary = vocabulary
        self.tokens = re.compile(token_pattern)
        self.native = native and NATIVE
        # The C tokeniser reads this one pattern only.
        self.native_tokens = self.native and token_pattern == TOKEN_PATTERN
        # A fitted vectoriser's vocabulary may hold numpy integers, which C converts about as
        # slowly as it looks them up: it reads a copy holding Python ints instead.
        self.native_vocabulary = vocabulary
        if self.native_tokens and any(type(f) is not int for f in vocabulary.values()):
            self.native_vocabulary = {token: operator.index(f) for token, f in vocabulary.items()}

    def count(self, text: str) -> Row:
        if self.native_tokens:
            found: bytes | None = _speedups.word_features(text, self.native_vocabulary)
            if found is not None:  # None: not ASCII
                return _native_counted(found)
        return self._count_with_re(text)

    def native_features(self, text: str) -> bytes | list[int | None] | None:
        """The features of ``text``'s tokens, unsorted, in a form `_speedups.count_features`
        takes (int32 bytes, or a list of ints and Nones), or None without the C extension."""
        if self.native_tokens:
            found: bytes | None = _speedups.word_features(text, self.native_vocabulary)
            if found is not None:  # None: not ASCII
                return found
        if self.native:
            return list(map(self.vocabulary.get, self.tokens.findall(text)))
        return None

    def _count_with_re(self, text: str) -> Row:
        found = map(self.vocabulary.get, self.tokens.findall(text))  # a C loop, no Counter
        if self.native:
            return _native_counted(list(found))
        return _counted([feature for feature in found if feature is not None])


# Term frequencies up to this count come from a table (`TfidfRow`); larger ones are computed.
_TF_TABLE_SIZE: Final = 8192


class TfidfRow:
    """`tfidf_row` for one fitted transformer, in C where the extension and the dtypes allow.

    The C code takes ``1 + log(count)`` from a table that numpy computed with the very
    operations `tfidf_row` applies (numpy's float32 logarithm need not equal the C library's).
    """

    def __init__(
        self, transformer: Any, n_features: int, dtype: Any, *, native: bool = True
    ) -> None:
        self.transformer = transformer
        self.n_features = n_features
        self.dtype = np.dtype(dtype)
        idf = getattr(transformer, "idf_", None)
        self.idf = None if idf is None else np.ascontiguousarray(idf)
        self.l2 = transformer.norm == "l2"
        self.tf: np.ndarray | None = None
        if transformer.sublinear_tf:
            self.tf = np.arange(_TF_TABLE_SIZE, dtype=self.dtype)
            with np.errstate(divide="ignore"):  # log(0): an entry no count reads
                np.log(self.tf, self.tf)
            self.tf += 1.0
        self.native = (
            native
            and NATIVE
            and self.dtype == np.float32
            and (self.idf is None or self.idf.dtype == np.float32)
            and transformer.norm in ("l2", None)
        )

    def __call__(self, row: Row) -> np.ndarray:
        if self.native:
            values = _speedups.tfidf_values(row[0], row[1], self.tf, self.idf, self.l2)
            if values is not None:
                return np.frombuffer(values, dtype=np.float32)
        return tfidf_row(self.transformer, row, self.n_features, self.dtype)

    def native_row(self, features: bytes | list[int | None]) -> tuple[bytes, bytes] | None:
        """The row of ``features`` (unsorted, as `_speedups.count_features` takes them) counted
        and weighed in one C call: sorted int32 indices and float32 values, as bytes. None where
        `__call__` would not run the C code for it."""
        if not self.native:
            return None
        return _speedups.tfidf_features(features, self.tf, self.idf, self.l2)


def tfidf_row(transformer: Any, row: Row, n_features: int, dtype: Any) -> np.ndarray:
    """The TF-IDF values of one row of counts, as ``TfidfTransformer.transform`` computes them.

    Only for ``norm`` in ("l2", None); `compile_fast_proba` checks that.
    """
    indices, counts = row
    data = counts.astype(dtype)  # the vectoriser builds its count matrix in its own dtype
    if transformer.sublinear_tf:
        np.log(data, data)
        data += 1.0
    if hasattr(transformer, "idf_"):
        data *= transformer.idf_[indices]
    if transformer.norm == "l2":
        indptr = np.array([0, len(indices)], dtype=np.int32)
        inplace_csr_row_normalize_l2(_CsrRow(data, (1, n_features), indices, indptr))
    return data
