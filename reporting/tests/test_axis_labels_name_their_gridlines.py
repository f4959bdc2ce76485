"""Each axis label names its own gridline (reporting.charts._tick_labels)."""

import pytest

from reporting.charts import _nice_ticks, _tick_labels


def test_gridlines_a_fraction_apart_near_ten_thousand_are_told_apart():
    ticks = _nice_ticks(10000, 10002)  # [10000, 10000.5, ..., 10002]
    labels = _tick_labels(ticks)
    assert len(set(labels)) == len(labels), labels  # '0.010001m' three times


def test_gridlines_near_a_million_and_a_fifth_are_told_apart():
    ticks = _nice_ticks(1_200_000, 1_200_002)
    labels = _tick_labels(ticks)
    assert len(set(labels)) == len(labels), labels


@pytest.mark.parametrize("low, high", [(0.0001, 0.0002), (-0.0002, -0.0001)])
def test_gridlines_a_ten_thousandth_apart_are_not_all_nought_millions(low, high):
    labels = _tick_labels(_nice_ticks(low, high))  # every one read "0m" (or "-0m")
    assert len(set(labels)) == len(labels), labels
    assert not any(label.endswith("m") for label in labels), labels
