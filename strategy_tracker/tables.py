"""Helpers for django-tables2 tables in every app."""


def labelled(label: str) -> dict:
    """A cell that names its column when a phone shows each row as a block (site.css .stack)."""
    return {"td": {"data-label": label}}
