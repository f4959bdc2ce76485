"""The admin's history of an object is for reading: its old versions cannot be saved back."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


class HistoryReadOnlyMixin:
    """django-simple-history's "Revert" would save an old version around every rule an edit
    follows (the version check, who may own a milestone, the import's rules for a value), and
    its form crashed outside a transaction. With SIMPLE_HISTORY_REVERT_DISABLED the button is
    gone; this refuses the POST too, so no forged request can revert."""

    def history_view(self, request: HttpRequest, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        # django-simple-history's list of versions has a style attribute of its own.
        response._csp_update = {"style-src-attr": ["'unsafe-inline'"]}
        return response

    def history_form_view(self, request: HttpRequest, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied(
                "Old versions are for reading. To change this, edit it as it is now."
            )
        return super().history_form_view(request, object_id, version_id, extra_context)
