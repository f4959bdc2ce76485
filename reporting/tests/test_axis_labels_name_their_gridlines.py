"""Each axis label names its own gridline (reporting.charts._tick_labels)."""

from reporting.charts import _nice_ticks, _tick_labels


def test_gridlines_a_fraction_apart_near_ten_thousand_are_told_apart():
    ticks = _nice_ticks(10000, 10002)  # [10000, 10000.5, ..., 10002]
    labels = _tick_labels(ticks)
    assert len(set(labels)) == len(labels), labels  # '0.010001m' three times


def test_gridlines_near_a_million_and_a_fifth_are_told_apart():
    ticks = _nice_ticks(1_200_000, 1_200_002)
    labels = _tick_labels(ticks)
    assert len(set(labels)) == len(labels), labels
