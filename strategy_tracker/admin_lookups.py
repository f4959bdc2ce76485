"""What the admin's lists make of a filter value no field can hold."""

from django.contrib.admin.options import IncorrectLookupParameters
from django.http import HttpRequest


class SaneLookupsMixin:
    """A list filtered by a value no date or number can hold (?due_date__year=0) says the
    filter is wrong, as Django does for a field that does not exist, rather than failing."""

    def get_changelist_instance(self, request: HttpRequest):
        try:
            return super().get_changelist_instance(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error
