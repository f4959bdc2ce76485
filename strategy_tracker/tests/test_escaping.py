"""esc() escapes exactly as Django's conditional_escape does, for every kind of value the
Python-written parts of the pages pass it."""

from decimal import Decimal

from django.utils.functional import lazy
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from strategy_tracker.escaping import esc


@given(st.text())
def test_any_text_is_escaped_as_django_escapes_it(text):
    escaped = esc(text)
    assert escaped == conditional_escape(text)
    assert isinstance(escaped, SafeString)


def test_markup_quotes_and_ampersands_are_escaped():
    assert esc("""<a href="x" onclick='y'>R&D</a>""") == (
        "&lt;a href=&quot;x&quot; onclick=&#x27;y&#x27;&gt;R&amp;D&lt;/a&gt;"
    )


def test_text_already_safe_is_left_as_it_is():
    safe = mark_safe("<b>ours</b>")  # noqa: S308 - a fixed string, the point of the test
    assert esc(safe) == "<b>ours</b>"
    assert esc(safe) == conditional_escape(safe)


def test_lazy_text_numbers_and_none_as_django_gives_them():
    lazy_markup = lazy(lambda: "<i>lazy</i>", str)()
    for value in (gettext_lazy("Save & close"), lazy_markup, 3, Decimal("1.50"), None, b"<b>"):
        assert esc(value) == conditional_escape(value), value
    assert esc(lazy_markup) == "&lt;i&gt;lazy&lt;/i&gt;"


@given(st.lists(st.sampled_from(["\r", "\n", "\r\n", "<", "&", '"', "'", "a", " "])).map("".join))
def test_lines_are_broken_and_escaped_as_linebreaksbr_does(text):
    from django.template.defaultfilters import linebreaksbr

    from strategy_tracker.escaping import esc_lines

    assert esc_lines(text) == linebreaksbr(text, autoescape=True)
    assert esc_lines(mark_safe(text)) == linebreaksbr(mark_safe(text), autoescape=True)  # noqa: S308
    assert isinstance(esc_lines(text), SafeString)


def test_a_line_break_of_any_kind_is_one_br():
    from strategy_tracker.escaping import esc_lines

    assert esc_lines("a\r\nb\rc\nd<e>") == "a<br>b<br>c<br>d&lt;e&gt;"
