# `detect_format` of model/_logtext.py (model/_cformat.c): the index in `_FORMAT_PROBES` of the
# first probe matching anywhere in the bytes, or -1; absent when the package was built without
# a C compiler.
def format_index(head: bytes | bytearray | memoryview, /) -> int: ...

# The same without the AVX2 pass, to test the passes other CPUs run.
def _format_index_without_avx2(head: bytes | bytearray | memoryview, /) -> int: ...
