"""Benchmarks (not part of the product). See docs/operations.md#benchmarks."""
