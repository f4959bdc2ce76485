"""The admin's history of an object is for reading: its old versions cannot be saved back."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from strategy_tracker.people import as_id


class HistoryReadOnlyMixin:
    """django-simple-history's "Revert" would save an old version around every rule an edit
    follows (the version check, who may own a milestone, the import's rules for a value), and
    its form crashed outside a transaction. With SIMPLE_HISTORY_REVERT_DISABLED the button is
    gone; this refuses the POST too, so no forged request can revert."""

    def history_view(self, request: HttpRequest, object_id, extra_context=None):
        _only_ids(object_id)
        response = super().history_view(request, object_id, extra_context)
        # django-simple-history's list of versions has a style attribute of its own.
        response._csp_update = {"style-src-attr": ["'unsafe-inline'"]}
        return response

    def history_form_view(self, request: HttpRequest, object_id, version_id, extra_context=None):
        _only_ids(object_id, version_id)
        if request.method == "POST":
            raise PermissionDenied(
                "Old versions are for reading. To change this, edit it as it is now."
            )
        return super().history_form_view(request, object_id, version_id, extra_context)


def _only_ids(*ids) -> None:
    """An address naming no row by id (/history/abc/) is no page: a 404, not a failed query."""
    if any(as_id(unquote(str(i))) is None for i in ids):
        raise Http404("No such version.")
