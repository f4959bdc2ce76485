"""Addresses of the tracker's pages, as get_absolute_url writes them: a long page links to
hundreds of milestones, objectives and measures, and Django's reverse() costs about 18 µs a
call (a dashboard's 130 links were 7% of its time). Each named page's address is reversed
once, with marker arguments, and filled in after that: the same address reverse() gives."""

import functools
import re
from urllib.parse import quote

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse

# Digits, so every converter on these pages (slug, int, a priority's key) accepts them.
_MARKS = ("710000000001", "720000000002", "730000000003", "740000000004")
# What reverse() leaves unquoted in a path (django.urls.resolvers).
_SAFE = "!$&'()*+,;=/~:@"
# What quote() leaves as it is whatever `safe` says: an id, a slug or a code like these needs
# no quoting (quote() took a fifth of an address's time).
_PLAIN = re.compile(r"[A-Za-z0-9_.~-]*").fullmatch


@functools.lru_cache(maxsize=64)
def _pieces(viewname: str, arity: int, script_prefix: str) -> tuple[str, ...]:
    """The address's text around each argument."""
    address = reverse(viewname, args=_MARKS[:arity])
    pieces = []
    for mark in _MARKS[:arity]:
        before, _, address = address.rpartition(mark)  # the last: a prefix may hold digits
        pieces.append(before)
    return (*pieces, address)


def address(viewname: str, *args) -> str:
    """reverse(viewname, args=args), for arguments already as their converters write them."""
    pieces = _pieces(viewname, len(args), get_script_prefix())
    parts = [pieces[0]]
    for arg, piece in zip(args, pieces[1:], strict=True):
        text = str(arg)
        parts += (text if _PLAIN(text) else quote(text, safe=_SAFE), piece)
    return "".join(parts)


def forget() -> None:
    """Empty the addresses read (`make bench` does, before each cold request)."""
    _pieces.cache_clear()


@receiver(setting_changed)
def _urls_changed(setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":  # a test's own URLs
        forget()
