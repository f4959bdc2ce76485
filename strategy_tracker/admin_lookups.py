"""What the admin's lists make of a filter value no field can hold."""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.http import HttpRequest


class SaneLookupsMixin:
    """A list filtered by a value no date or number can hold (?due_date__year=0) says the
    filter is wrong, as Django does for a field that does not exist, rather than failing."""

    def get_changelist_instance(self, request: HttpRequest):
        try:
            return super().get_changelist_instance(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error


class _OnlyIds:
    """Drawing a refused form again, Django's autocomplete box looks its value up as an id: a
    forged value ("abc") raised ValueError there, a 500, after the form had refused it."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if str(v).isdigit()], attr)


class _AutocompleteSelect(_OnlyIds, AutocompleteSelect):
    pass


class _AutocompleteSelectMultiple(_OnlyIds, AutocompleteSelectMultiple):
    pass


class SaneAutocompleteMixin:
    """For a model admin or inline with autocomplete_fields: an odd value is refused, never a
    500 (_OnlyIds)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and type(field.widget) is AutocompleteSelect:
            field.widget.__class__ = _AutocompleteSelect
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and type(field.widget) is AutocompleteSelectMultiple:
            field.widget.__class__ = _AutocompleteSelectMultiple
        return field
