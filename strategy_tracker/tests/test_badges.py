"""The status badge: its colour's shape and word, and its reason escaped."""

from strategy_tracker.status import Rag, Status
from strategy_tracker.templatetags.tracker import rag_badge


def test_a_badge_shows_its_shape_word_and_escaped_reason():
    badge = rag_badge(Status(Rag.RED, "<b>late</b> & over", "milestone", "overdue", True))
    assert badge == (
        '<span class="rag rag-red"><span class="rag-symbol" aria-hidden="true">✖</span> Red'
        '</span> <span class="stale-flag">Stale</span> <span class="rag-reason">'
        "&lt;b&gt;late&lt;/b&gt; &amp; over</span>"
    )


def test_a_short_badge_keeps_its_reason_for_screen_readers():
    badge = rag_badge(Status(Rag.GREEN, "on track", "milestone", "", False), show_reason=False)
    assert badge.endswith('Green</span><span class="visually-hidden">: on track</span>')
    assert "stale-flag" not in badge
