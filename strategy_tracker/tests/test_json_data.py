"""The json_data filter: Django's json_script, markup for markup, however hostile the data."""

import datetime as dt
from decimal import Decimal

from django.utils.html import json_script
from hypothesis import given
from hypothesis import strategies as st

from strategy_tracker.templatetags.tracker import json_data

texts = st.text(alphabet=st.sampled_from("<>&'\"/\\ a\u2028é\U0001f600</script>"))
values = st.recursive(
    st.none() | st.booleans() | st.integers() | texts,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(texts, children, max_size=4),
    max_leaves=20,
)


@given(values)
def test_the_same_markup_as_json_script(value):
    assert json_data(value, "chart-data") == json_script(value, "chart-data")


def test_markup_in_the_data_cannot_close_the_script():
    markup = json_data({"title": "</script><script>alert(1)</script> & more"}, "trend-data")
    assert markup.startswith('<script id="trend-data" type="application/json">')
    assert markup.count("</script>") == 1
    assert "\\u003C/script\\u003E" in markup and "\\u0026" in markup


def test_dates_and_decimals_as_django_writes_them():
    value = {"day": dt.date(2026, 3, 31), "value": Decimal("12.50")}
    assert json_data(value, "d") == json_script(value, "d")
    assert '"2026-03-31"' in json_data(value, "d")


def test_the_element_id_is_escaped():
    assert 'id="a&quot;b"' in json_data([], 'a"b')
