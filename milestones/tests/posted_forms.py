"""What a browser would post from a rendered form, for tests that save a page unchanged.

The test client posts whatever a test types; a browser posts what the page rendered, after
its own rules: a date input holding anything but an ISO date is empty, a textarea drops the
newline after its tag and sends its line breaks as CRLF, an unticked box sends nothing.
This reads a page's form that way.
"""

import re
from html.parser import HTMLParser

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NOT_SENT = {"submit", "button", "image", "reset", "file"}


class _FormReader(HTMLParser):
    def __init__(self, action: str | None, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.action, self.form_id = action, form_id
        self.in_form = False
        self.found = False
        self.fields: list[tuple[str, str]] = []
        self._textarea: tuple[str, list[str]] | None = None
        self._select: tuple[str, bool, list[tuple[str, bool]]] | None = None
        self._option: tuple[str | None, bool, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            wanted = (self.action is None or a.get("action", "") == self.action) and (
                self.form_id is None or a.get("id") == self.form_id
            )
            self.in_form = wanted and not self.found
            self.found = self.found or self.in_form
            return
        if not self.in_form or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in _NOT_SENT:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((name, a.get("value", "on")))
                return
            value = a.get("value") or ""
            if kind == "date" and not _ISO_DATE.fullmatch(value):
                value = ""  # the browser's value sanitisation: not a date, so empty
            self.fields.append((name, value))
        elif tag == "textarea" and name:
            self._textarea = (name, [])
        elif tag == "select" and name:
            self._select = (name, "multiple" in a, [])
        elif tag == "option" and self._select is not None:
            self._option = (a.get("value"), "selected" in a, [])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)
        if self._option is not None:
            self._option[2].append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            text = "".join(parts)
            text = text[1:] if text.startswith("\n") else text
            # Browsers send a textarea's line breaks as CRLF, whatever the page held.
            text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
            self.fields.append((name, text))
            self._textarea = None
        elif tag == "option" and self._option is not None:
            self._close_option()
        elif tag == "select" and self._select is not None:
            if self._option is not None:
                self._close_option()
            name, multiple, options = self._select
            chosen = [value for value, selected in options if selected]
            if not chosen and not multiple and options:
                chosen = [options[0][0]]
            self.fields.extend((name, value) for value in chosen)
            self._select = None

    def _close_option(self):
        value, selected, text = self._option
        self._select[2].append((value if value is not None else "".join(text).strip(), selected))
        self._option = None


def form_as_posted(
    html: str, action: str | None = None, *, form_id: str | None = None
) -> dict[str, list[str]]:
    """The fields the first form posting to `action` (or with this id) sends, as the test
    client takes them."""
    reader = _FormReader(action, form_id)
    reader.feed(html)
    assert reader.found, f"no form with action={action!r} id={form_id!r}"
    data: dict[str, list[str]] = {}
    for name, value in reader.fields:
        data.setdefault(name, []).append(value)
    return data
