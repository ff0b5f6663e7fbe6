"""The casework benchmark's arithmetic (the benchmark itself runs by hand: `make bench`)."""

import pytest

from bench.casework import percentile


def test_the_percentile_is_the_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 99) == 99
    assert percentile(values, 100) == 100


def test_the_percentile_does_not_care_about_order_and_never_interpolates():
    assert percentile([40.0, 10.0, 30.0, 20.0], 50) == 20.0
    assert percentile([40.0, 10.0, 30.0, 20.0], 95) == 40.0
    assert percentile([7.5], 95) == 7.5
    assert percentile([3, 1, 2], 1) == 1


def test_no_values_have_no_percentile_and_nonsense_is_refused():
    assert percentile([], 95) is None
    with pytest.raises(ValueError):
        percentile([1, 2], 0)
    with pytest.raises(ValueError):
        percentile([1, 2], 101)
