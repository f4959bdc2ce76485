"""Which format an API answer is written in: DRF's own choice, with a refusal that says what
the address does answer in (DRF's was a bare "Not found.", as for an address that is none)."""

from rest_framework.exceptions import NotFound
from rest_framework.negotiation import DefaultContentNegotiation


class NamedFormats(DefaultContentNegotiation):
    def filter_renderers(self, renderers, format):
        found = [renderer for renderer in renderers if renderer.format == format]
        if found:
            return found
        offered = " or ".join(f"“{renderer.format}”" for renderer in renderers)
        detail = f"No format “{format}” here: this address answers in {offered}."
        if format == "csv":
            detail += " Figures come as CSV from /api/v1/values.csv."
        raise NotFound(detail)
