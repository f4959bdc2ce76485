"""Titles and names that show: each is a heading or a link on some page, so one of spaces and
invisible characters alone (a zero-width space, a direction mark) would be a blank link, and a
control character (an escape typed by accident) is one no page, workbook or PDF can show
(a workbook drops it, so the title would read back changed)."""

import unicodedata

from django.core.exceptions import ValidationError

# Line breaks and tabs are text; every other control character is not.
_TEXT_CONTROLS = "\t\n\r"


def says_something(text: str | None) -> bool:
    """Whether the text shows anything: spaces and format characters alone are no reason,
    however many."""
    return any(not c.isspace() and unicodedata.category(c) != "Cf" for c in text or "")


def visible_text(text: str | None) -> None:
    """A field validator for titles and names (an empty one is refused as required)."""
    if not text:
        return
    control = next(
        (c for c in text if unicodedata.category(c) == "Cc" and c not in _TEXT_CONTROLS), None
    )
    if control is not None:
        raise ValidationError(
            f"This has a control character (U+{ord(control):04X}) that no page can show: "
            "type it again without it.",
            code="control_character",
        )
    if not says_something(text):
        raise ValidationError(
            "Type some words: spaces and invisible characters alone show nothing.",
            code="invisible",
        )


def printable(text: str) -> str:
    """The text as a reader sees it: without control characters (a NUL, an escape, a
    direction override), a space of any width as a space. For text shown back to someone
    whose save was refused."""
    return "".join(
        c if c.isprintable() or c in "\n\t" else " "
        for c in text
        if c.isprintable() or c in "\n\t" or unicodedata.category(c) == "Zs"
    )
