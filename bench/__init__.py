"""Benchmarks: `make bench` runs every `bench_*.py` module and prints figures and ratios."""
