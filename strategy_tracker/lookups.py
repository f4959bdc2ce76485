"""`field__any_of=values`: Django's `__in`, with the values sent to PostgreSQL as one array
parameter (`= ANY(%s::bigint[])`) rather than one placeholder each. For a thousand values,
as an import's preview asks for by code and by measure, `IN (%s, …)` made Django write a
thousand placeholders and PostgreSQL parse a thousand constants: 7.2 ms a query, against
3.5 ms with the array (the query plan is the same: PostgreSQL turns IN into = ANY itself).
Django ticket #37211 proposes the same for `__in`.

For whole-number, text and foreign-key columns (ids, not model instances) only, and only
for whole numbers within bigint or text: anything else, a subquery, and every other
database get `__in` as it is."""

from django.db.models import CharField, ForeignKey, IntegerField, TextField
from django.db.models.lookups import In

BIGINT = range(-(2**63), 2**63)


@ForeignKey.register_lookup
@IntegerField.register_lookup
@CharField.register_lookup
@TextField.register_lookup
class AnyOf(In):
    lookup_name = "any_of"

    def get_prep_lookup(self):
        # Plain ids for a whole-number column, or plain strings for a text one, are what
        # Field.get_prep_value would make of them: a thousand of them are not prepared one
        # by one (12M instructions of an import preview's 201M).
        values = self.rhs
        if isinstance(values, list | set | tuple) and _are_plain(values, self.lhs.output_field):
            return list(values)
        return super().get_prep_lookup()

    def as_postgresql(self, compiler, connection):
        column = self.lhs.output_field
        if isinstance(column, ForeignKey):
            column = column.target_field
        literal = None
        if self.rhs_is_direct_value():
            literal = _array_literal(self.rhs, text=isinstance(column, CharField | TextField))
        if literal is None:
            return self.as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        element_type, text = literal
        # Text, not the column's varchar(n): a cast to that would cut a longer value short
        # and could match another code.
        return f"{lhs} = ANY(%s::{element_type}[])", (*lhs_params, text)


def _are_plain(values, column) -> bool:
    if isinstance(column, ForeignKey):
        column = column.target_field
    if isinstance(column, CharField | TextField):
        return all(type(v) is str for v in values)
    return isinstance(column, IntegerField) and all(type(v) is int for v in values)


def _array_literal(values, text: bool) -> tuple[str, str] | None:
    """(element type, PostgreSQL's array literal) of `values` without None, for a text
    column or a whole-number one; None if they are not all of its kind (or out of bigint's
    range, where `__in` finds nothing rather than failing)."""
    values = [v for v in values if v is not None]
    if not values:
        return None
    if text and all(isinstance(v, str) for v in values):
        joined = "".join(values)
        if "\\" not in joined and '"' not in joined:  # nothing to escape, as codes mostly are
            return "text", '{"' + '","'.join(values) + '"}'
        quoted = (v.replace("\\", "\\\\").replace('"', '\\"') for v in values)
        return "text", "{" + ",".join(f'"{v}"' for v in quoted) + "}"
    if not text and all(type(v) is int and v in BIGINT for v in values):
        return "bigint", "{" + ",".join(map(str, values)) + "}"
    return None
