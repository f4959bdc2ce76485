"""Milestone lists and their filters as HTML, written in Python: django-tables2 gives the
lists' columns, sorting and pages, and django-filter their filters, but their templates (the
table's header, rows and page links; a template per option of each filter) were a third of a
priority page's time (docs/performance.md). Every value a person entered is escaped here;
numbers, dates and our own words are written as they are."""

from urllib.parse import urlencode

from django import template
from django.utils.safestring import SafeString, mark_safe
from django_tables2.templatetags.django_tables2 import table_page_range

from milestones.tables import MilestoneTable
from strategy_tracker.escaping import esc
from strategy_tracker.numbering import shown
from strategy_tracker.people import display_name
from strategy_tracker.templatetags.tracker import due_words, rag_badge, short_day, strategy_badges

register = template.Library()


@register.simple_tag(takes_context=True)
def milestone_table(context, table: MilestoneTable) -> SafeString:
    """The table with its sortable header and its page links; each link keeps the page's
    other query parameters."""
    params = dict(context["request"].GET)

    def link(**changes) -> str:
        return esc("?" + urlencode(params | changes, doseq=True))

    def sort_link(sort: str) -> str:
        """A new order starts at the first page."""
        kept = {name: value for name, value in params.items() if name != "page"}
        return esc("?" + urlencode(kept | {"sort": sort}, doseq=True))

    return mark_safe(  # noqa: S308 - escaped in the parts
        '<div class="table-container">\n<table class="data-table milestone-table stack sortable">'
        f"\n<thead><tr>{_header(table, sort_link)}</tr></thead>\n<tbody>\n{_rows(table)}\n</tbody>"
        f"\n</table>\n{_page_links(table, link)}</div>\n{_page_note(table, link)}"
    )


def _header(table: MilestoneTable, sort_link) -> str:
    cells = []
    for column in table.columns:
        sort = ""
        if column.is_ordered:
            sort = (
                ' aria-sort="descending"'
                if column.order_by_alias.is_descending
                else (' aria-sort="ascending"')
            )
        heading = esc(column.header)
        if column.orderable:
            heading = f'<a href="{sort_link(column.order_by_alias.next)}">{heading}</a>'
        cells.append(f"<th {column.attrs['th'].as_html()}{sort}>{heading}</th>")
    return "".join(cells)


def _rows(table: MilestoneTable) -> str:
    rows = table.page_rows
    if not rows:
        return f'<tr><td colspan="{len(table.columns)}">{esc(table.empty_text)}</td></tr>'
    return "\n".join(_row(m, status, table.shows_objective) for m, status in rows)


def _row(m, status, shows_objective: bool) -> str:
    heading = f'<span class="heading">{esc(m.heading)}:</span> ' if m.heading else ""
    objective = ""
    if shows_objective:
        o = m.objective
        objective = (
            f'<td data-label="Objective"><a href="{esc(o.get_absolute_url())}">'
            f"{esc(shown(o.priority.key))}.{o.number}</a></td>"
        )
    due = esc(due_words(m.due_date, m.due_text))
    owner = esc(display_name(m.owner)) if m.owner else "—"
    updated = short_day(m.last_updated_at) or "Never"
    return (
        f'<tr>\n  <td>{heading}<a href="{esc(m.get_absolute_url())}">{esc(m.title)}</a></td>'
        f"{objective}\n"
        f'  <td data-label="Due">{due}</td>\n'
        f'  <td data-label="Reported status">{esc(m.reported_status)}</td>\n'
        f'  <td data-label="RAG">{rag_badge(status)}</td>\n'
        f'  <td data-label="Owner">{owner}</td>\n'
        f'  <td data-label="Last update">{updated}</td>\n</tr>'
    )


def _page_links(table: MilestoneTable, link) -> str:
    """Previous, the page numbers and next."""
    page, paginator = table.page, table.paginator
    if not page or paginator.num_pages <= 1:
        return ""
    items = []
    if page.has_previous():
        items.append(
            f'<li class="previous"><a href="{link(page=page.previous_page_number())}">'
            "previous</a></li>"
        )
    for number in table_page_range(page, paginator):
        if number == "...":
            items.append('<li><span aria-hidden="true">…</span></li>')
        elif number == page.number:
            items.append(
                f'<li class="active"><a href="{link(page=number)}" aria-current="page">'
                f"{number}</a></li>"
            )
        else:
            items.append(f'<li><a href="{link(page=number)}">{number}</a></li>')
    if page.has_next():
        items.append(
            f'<li class="next"><a href="{link(page=page.next_page_number())}">next</a></li>'
        )
    return f'<ul class="pagination">{"".join(items)}</ul>\n'


def _page_note(table: MilestoneTable, link) -> str:
    """Which milestones this page shows, with a link to them all on one page."""
    page, count = table.page, table.paginator.count
    if not page or table.paginator.num_pages <= 1:
        return ""
    return (
        f'<p class="page-note">Showing milestones {page.start_index()}–{page.end_index()} of '
        f'{count}. <a href="{link(per_page=count, page=1)}">Show all {count} on one page</a> '
        "to print them all.</p>\n"
    )


@register.simple_tag
def filter_select(field) -> SafeString:
    """A filter's drop-down list, tied to its hint and errors for screen readers as the
    `described` filter ties any field (WCAG 1.3.1, 3.3.1)."""
    ids = [f"{field.auto_id}-hint"] if field.help_text else []
    ids += [f"{field.auto_id}-error-{n}" for n in range(1, len(field.errors) + 1)]
    attrs = f' aria-describedby="{" ".join(ids)}"' if ids else ""
    if field.errors:
        attrs += ' aria-invalid="true"'
    current = "" if field.value() is None else str(field.value())
    options = "".join(
        f'<option value="{esc(value)}"{" selected" if str(value) == current else ""}>'
        f"{esc(label)}</option>"
        for value, label in field.field.choices
    )
    return mark_safe(  # noqa: S308 - escaped above
        f'<select name="{field.html_name}" id="{field.auto_id}"{attrs}>{options}</select>'
    )


@register.simple_tag
def my_milestone_rows(rows: list[dict], user) -> SafeString:
    """A lead's milestones: each with its strategy, due date, status and last update, and
    whether it needs an update."""
    return mark_safe("\n".join(_my_row(row, user) for row in rows))  # noqa: S308 - escaped


def _my_row(row: dict, user) -> str:
    m = row["milestone"]
    objective = m.objective
    priority = objective.priority
    strategy = priority.strategy
    delegate = '<br><span class="muted">As delegate</span>' if m.owner_id != user.id else ""
    if row["needs_update"]:
        note = '<br><span class="needs-update">▲ Needs an update</span>'
    elif row["waiting"]:
        note = '<br><span class="muted">Update awaiting approval</span>'
    else:
        note = ""
    return (
        f'<tr>\n      <td><a href="{esc(m.get_absolute_url())}">{esc(m.title)}</a>{delegate}</td>\n'
        f'      <td data-label="Strategy">{esc(strategy.title)}{strategy_badges(strategy)}<br>'
        f'<span class="muted">Priority {esc(shown(priority.key))}, '
        f"objective {objective.number}</span>"
        "</td>\n"
        f'      <td data-label="Due">{esc(due_words(m.due_date, m.due_text))}</td>\n'
        f'      <td data-label="Status">{rag_badge(row["status"])}</td>\n'
        f'      <td data-label="Last update">{short_day(m.last_updated_at) or "Never"}{note}</td>'
        "\n    </tr>"
    )
