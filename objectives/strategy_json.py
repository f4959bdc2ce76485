"""A whole strategy as JSON, out and back in: the seed fixtures and the export download.

The shape is documented in the README ("Strategy JSON"). Export then import then export
gives identical JSON, so the seed files are exactly what the app holds.
"""

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from measures import columns
from measures.importing import period_error
from measures.models import Measure, MeasureValue, TrajectoryPoint
from milestones.models import Milestone, MilestoneDelegate
from objectives.models import Objective, Organisation, Partner, Priority, Strategy

STRATEGY_FIELDS = [
    "title",
    "slug",
    "period_start",
    "period_end",
    "period_text",
    "status",
    "vision",
    "purpose",
    "aims",
    "values",
    "summary",
    "source_document",
    "source_version",
    "source_date",
    "illustrative",
]
# Added after the first seed files, or left out of the public view's file (public/open_data.py:
# no status, and only the texts its pages show); a file without them takes the defaults. A
# strategy loaded with no status is a draft, which its Admins check before publishing it.
OPTIONAL_STRATEGY_FIELDS = {
    "period_text": "",
    "illustrative": False,
    "status": Strategy.Status.DRAFT.value,
    "purpose": "",
    "aims": "",
    "values": "",
    "summary": "",
}
PRIORITY_FIELDS = ["number", "part", "part_title", "title", "description", "source_ref"]
OBJECTIVE_FIELDS = [
    "number",
    "title",
    "description",
    "we_will",
    "where_now",
    "where_want",
    "source_ref",
]
MILESTONE_FIELDS = [
    "title",
    "heading",
    "due_date",
    "due_text",
    "status",
    "forecast_date",
    "commentary",
    "source_ref",
]
MEASURE_FIELDS = [
    "code",
    "name",
    "kind",
    "unit",
    "direction",
    "baseline_value",
    "baseline_period",
    "baseline_period_text",
    "target_value",
    "target_date",
    "target_period_text",
    "tolerance",
    "minimum_value",
    "maximum_value",
    "definition",
    "source_ref",
    "spc_baseline_points",
    "spc_rebase_from",
]
# Added after the first seed files; a file without them takes the defaults.
OPTIONAL_MEASURE_FIELDS = {
    "kind": "success",
    "minimum_value": None,
    "maximum_value": None,
    "spc_baseline_points": None,
    "spc_rebase_from": None,
    "target_period_text": "",
}
# Left out of an export when empty: added after the seed files, none of which gives a
# target's wording, so each is still exactly what the app exports.
LEFT_OUT_WHEN_EMPTY = {"target_period_text"}
NULLABLE_NUMBERS = {"spc_baseline_points"}
WHOLE_NUMBERS = {"part", "number", "position", "spc_baseline_points"}
YES_OR_NO = {"illustrative"}
VALUE_FIELDS = columns.VALUE_FIELDS  # the columns of a file of figures that a value stores
TRAJECTORY_FIELDS = ["period_end", "value"]


class StrategyImportError(Exception):
    """The file cannot be loaded; the message says why, and nothing was written."""


# What each level may hold beside its fields: a key the import does not read is refused, not
# dropped without a word (a "milestones" list under a priority, a misspelt "delegate").
# The public file's licence is its terms, not the strategy's: read and said, not stored.
FILE_KEYS = {"strategy", "priorities", "licence"}
LICENCE_KEYS = {"name", "url", "publisher"}
ORGANISATION_KEYS = {"name", "short_name"}
STRATEGY_KEYS = {*STRATEGY_FIELDS, "organisation", "partners", "sign_off"}
SIGN_OFF_KEYS = {"requires_approval", "approvers"}
PRIORITY_KEYS = {*PRIORITY_FIELDS, "responsible", "objectives", "measures"}
OBJECTIVE_KEYS = {*OBJECTIVE_FIELDS, "responsible", "milestones", "measures"}
MILESTONE_KEYS = {
    *MILESTONE_FIELDS,
    "owner",
    "delegates",
    "responsible",
    "position",
    "last_updated_at",
    "last_updated_by",
}
MEASURE_KEYS = {*MEASURE_FIELDS, "position", "responsible", "trajectory", "values"}


def _only_known(data: Any, known: set[str], where: str) -> None:
    unknown = sorted(set(data) - known) if isinstance(data, dict) else []
    if unknown:
        names = ", ".join(f"“{k}”" for k in unknown)
        raise StrategyImportError(
            f"{where}: {names} {'is not a key' if len(unknown) == 1 else 'are not keys'} of "
            f"this level (it takes {', '.join(sorted(known))}), so it would not be loaded."
        )


# --- export ---------------------------------------------------------------------------------


def plain_number(value: Decimal) -> str:
    """Without the trailing zeros of the database's fixed scale: 23.2000 → "23.2", 100 → "100"."""
    return format(value.normalize(), "f")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return plain_number(value)
    return value


def _fields(obj: Any, names: list[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in names}


def _responsible(item) -> dict[str, Any]:
    """The partner named responsible for the item, if one is (left out otherwise, as in the
    seed files)."""
    return {"responsible": item.responsible.name} if item.responsible_id else {}


def _measure_dict(measure: Measure, place: int) -> dict[str, Any]:
    # The measure's order is its place in the list; `position` is given only where the stored
    # one differs (as in no seed file), so an import reproduces it exactly.
    position = {"position": measure.position} if measure.position != place else {}
    fields = _fields(measure, MEASURE_FIELDS)
    return (
        {k: v for k, v in fields.items() if v != "" or k not in LEFT_OUT_WHEN_EMPTY}
        | position
        | _responsible(measure)
        | {
            "trajectory": [_fields(p, TRAJECTORY_FIELDS) for p in measure.trajectory.all()],
            "values": [_fields(v, VALUE_FIELDS) for v in measure.values.all()],
        }
    )


def _milestone_dict(milestone: Milestone, place: int) -> dict[str, Any]:
    data = _fields(milestone, MILESTONE_FIELDS) | {
        "owner": milestone.owner.username if milestone.owner else None
    }
    delegates = sorted(d.username for d in milestone.delegates.all())
    if delegates:  # left out when there are none, as in the seed files
        data["delegates"] = delegates
    # Each left out where it says nothing, as in the seed files: its number where it is its
    # place (a workbook can leave a gap), and when it was last updated and by whom (its
    # status is judged by whether its owner reported: milestones/status.py).
    if milestone.position != place:
        data["position"] = milestone.position
    if milestone.last_updated_at:
        data["last_updated_at"] = timezone.localtime(milestone.last_updated_at).isoformat()
        if milestone.last_updated_by:
            data["last_updated_by"] = milestone.last_updated_by.username
    return data | _responsible(milestone)


def _sign_off(strategy: Strategy) -> dict[str, Any]:
    """Whether milestone updates need approval, and who approves them (by username); left
    out when approval is off and nobody is named, as in the seed files."""
    # `names_approvers` (strategy_queryset) spares the query for a strategy naming nobody.
    named = getattr(strategy, "names_approvers", True)
    approvers = sorted(strategy.approvers.values_list("username", flat=True)) if named else []
    if not strategy.requires_approval and not approvers:
        return {}
    return {"sign_off": {"requires_approval": strategy.requires_approval, "approvers": approvers}}


def strategy_queryset():
    """Strategies with everything the export reads, in a fixed number of queries."""
    # Measures keep the order they were entered in, which for the seeds is the document's,
    # unless an Admin has reordered them (their position).
    measures = (
        Measure.objects.order_by("position", "id").select_related("responsible")
    ).prefetch_related(
        Prefetch("values", queryset=MeasureValue.objects.order_by("period_end")),
        Prefetch("trajectory", queryset=TrajectoryPoint.objects.order_by("period_end")),
    )
    milestones = (
        Milestone.objects.select_related("owner", "responsible", "last_updated_by")
        .prefetch_related("delegates")
        .order_by("position", "id")
    )
    objectives = (
        Objective.objects.order_by("number")
        .select_related("responsible")
        .prefetch_related(
            Prefetch("milestones", queryset=milestones), Prefetch("measures", queryset=measures)
        )
    )
    priorities = (
        Priority.objects.order_by("part", "number")
        .select_related("responsible")
        .prefetch_related(
            Prefetch("objectives", queryset=objectives), Prefetch("measures", queryset=measures)
        )
    )
    approvers = Strategy.approvers.through.objects.filter(strategy_id=OuterRef("pk"))
    return (
        Strategy.objects.select_related("organisation")
        .prefetch_related(Prefetch("priorities", queryset=priorities), "partners")
        .annotate(names_approvers=Exists(approvers))
    )


def export_strategy(strategy: Strategy) -> dict[str, Any]:
    """The strategy as a JSON-ready dict. Pass one from strategy_queryset() to save queries."""
    organisation = strategy.organisation
    partners = [{"name": o.name, "short_name": o.short_name} for o in strategy.partners.all()]
    return {
        "strategy": {
            "organisation": {"name": organisation.name, "short_name": organisation.short_name}
        }
        | ({"partners": partners} if partners else {})  # left out when none, as in the seeds
        | _fields(strategy, STRATEGY_FIELDS)
        | _sign_off(strategy),
        "priorities": [
            _fields(priority, PRIORITY_FIELDS)
            | _responsible(priority)
            | {
                "objectives": [
                    _fields(objective, OBJECTIVE_FIELDS)
                    | _responsible(objective)
                    | {
                        "milestones": [
                            _milestone_dict(m, place)
                            for place, m in enumerate(objective.milestones.all(), 1)
                        ],
                        "measures": [
                            _measure_dict(m, place)
                            for place, m in enumerate(objective.measures.all(), 1)
                        ],
                    }
                    for objective in priority.objectives.all()
                ],
                "measures": [
                    _measure_dict(m, place) for place, m in enumerate(priority.measures.all(), 1)
                ],
            }
            for priority in strategy.priorities.all()
        ],
    }


# --- import ---------------------------------------------------------------------------------


def _date(value: Any, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise StrategyImportError(f"{where}: {value!r} is not a date (YYYY-MM-DD).") from None


def _decimal(value: Any, where: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise StrategyImportError(f"{where}: {value!r} is not a number.") from None


def _list(value: Any, where: str) -> list:
    """A list the file gives (absent: none)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise StrategyImportError(f"{where}: expected a list, got {type(value).__name__}.")
    return value


def _object(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise StrategyImportError(f"{where}: expected an object, got {type(value).__name__}.")
    return value


def _take(data: dict, names: list[str], where: str, dates=(), decimals=()) -> dict[str, Any]:
    _object(data, where)
    missing = [name for name in names if name not in data]
    if missing:
        raise StrategyImportError(f"{where}: missing {', '.join(missing)}.")
    values = {name: data[name] for name in names}
    for name in dates:
        values[name] = _date(values[name], f"{where} {name}")
    for name in decimals:
        values[name] = _decimal(values[name], f"{where} {name}")
    for name, value in values.items():
        wanted = "a whole number" if name in WHOLE_NUMBERS else "text"
        # A whole-number field given 1.7 would be stored as 1; a decimal is read above.
        if isinstance(value, float) and name not in decimals:
            raise StrategyImportError(f"{where} {name}: {value!r} is not {wanted}.")
        # Stored in a text field, a list, an object or true would read "['a', 'b']", "True".
        if isinstance(value, list | dict) or (isinstance(value, bool) and name not in YES_OR_NO):
            shown = json.dumps(value)
            shown = shown if len(shown) <= 40 else shown[:37] + "..."
            raise StrategyImportError(f"{where} {name}: {shown} is not {wanted}.")
    # Text fields are never NULL in the database: an absent text is an empty string.
    nullable = {*dates, *decimals, *NULLABLE_NUMBERS}
    return {k: ("" if v is None and k not in nullable else v) for k, v in values.items()}


def _save(obj, where: str):
    try:
        obj.full_clean(validate_unique=True, validate_constraints=True)
    except ValidationError as error:
        details = "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
        raise StrategyImportError(f"{where}: {details}") from None
    obj.save()
    return obj


def _import_measures(items: list, where: str, named: dict, today: dt.date, **parent) -> None:
    for i, item in enumerate(_list(items, f"{where} measures"), 1):
        here = f"{where} measure {i}"
        _only_known(item, MEASURE_KEYS, here)
        fields = _take(
            OPTIONAL_MEASURE_FIELDS | item if isinstance(item, dict) else item,
            MEASURE_FIELDS,
            here,
            dates=("baseline_period", "target_date", "spc_rebase_from"),
            decimals=(
                "baseline_value",
                "target_value",
                "tolerance",
                "minimum_value",
                "maximum_value",
            ),
        )
        if fields["tolerance"] is None:
            fields["tolerance"] = Decimal(0)
        if Measure.everything.filter(code=fields["code"]).exists():
            raise StrategyImportError(f"{here}: a measure with code {fields['code']} exists.")
        position = item.get("position", i) if isinstance(item, dict) else i
        if type(position) is not int or not 0 <= position <= 9999:
            raise StrategyImportError(f"{here}: position must be a whole number, 0 to 9999.")
        fields |= _named_responsible(item if isinstance(item, dict) else {}, named, here)
        measure = _save(Measure(**parent, **fields, position=position), here)
        for j, point in enumerate(_list(item.get("trajectory"), f"{here} trajectory"), 1):
            _only_known(point, set(TRAJECTORY_FIELDS), f"{here} trajectory point {j}")
            point_fields = _take(
                point,
                TRAJECTORY_FIELDS,
                f"{here} trajectory point {j}",
                dates=("period_end",),
                decimals=("value",),
            )
            _save(TrajectoryPoint(measure=measure, **point_fields), f"{here} trajectory point {j}")
        for j, value in enumerate(_list(item.get("values"), f"{here} values"), 1):
            _only_known(value, set(VALUE_FIELDS), f"{here} value {j}")
            value_fields = _take(
                value, VALUE_FIELDS, f"{here} value {j}", dates=("period_end",), decimals=("value",)
            )
            # The figures import's rule for a period (a quarter's end, not in the future, not
            # before any figure this tracks), so a strategy file loads no figure it would refuse.
            period_end = value_fields["period_end"]
            if period_end and (wrong := period_error(period_end, measure, today)):
                raise StrategyImportError(f"{here} value {j}: {wrong}")
            _save(MeasureValue(measure=measure, **value_fields), f"{here} value {j}")


def _owner(username: str | None, where: str):
    if not username:
        return None
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise StrategyImportError(f"{where}: no user called {username!r}.") from None


@transaction.atomic
def import_strategy(data: dict, today: dt.date | None = None) -> Strategy:
    """Load one strategy from its JSON dict. All of it, or nothing and a StrategyImportError.
    Figures are checked as the figures import checks them on `today` (by default, today)."""
    today = today or timezone.localdate()
    if not isinstance(data, dict) or "strategy" not in data or "priorities" not in data:
        raise StrategyImportError('Expected an object with "strategy" and "priorities".')
    _only_known(data, FILE_KEYS, "the file")
    if "licence" in data:
        _only_known(_object(data["licence"], "licence"), LICENCE_KEYS, "licence")
    head = data["strategy"]
    _only_known(head, STRATEGY_KEYS, "strategy")
    _only_known(
        head.get("organisation") if isinstance(head, dict) else {},
        ORGANISATION_KEYS,
        "organisation",
    )
    fields = _take(
        OPTIONAL_STRATEGY_FIELDS | head if isinstance(head, dict) else head,
        STRATEGY_FIELDS,
        "strategy",
        dates=("period_start", "period_end", "source_date"),
    )
    if Strategy.objects.filter(slug=fields["slug"]).exists():
        raise StrategyImportError(
            f"A strategy with slug {fields['slug']!r} already exists; nothing was loaded."
        )
    org_data = _take(head.get("organisation") or {}, ["name", "short_name"], "organisation")
    organisation = _organisation(org_data, "organisation")
    requires_approval, approvers = _read_sign_off(head.get("sign_off"))
    strategy = _save(
        Strategy(organisation=organisation, requires_approval=requires_approval, **fields),
        "strategy",
    )
    named = {organisation.name: organisation} | _import_partners(strategy, head.get("partners"))
    _name_approvers(strategy, approvers)

    def responsible(item_data: dict, where: str) -> dict:
        return _named_responsible(item_data, named, where)

    for p, p_data in enumerate(_list(data["priorities"], "priorities"), 1):
        where = f"priority {p}"
        _only_known(p_data, PRIORITY_KEYS, where)
        p_fields = _take(p_data, PRIORITY_FIELDS, where) | responsible(p_data, where)
        priority = _save(Priority(strategy=strategy, **p_fields), where)
        for o, o_data in enumerate(_list(p_data.get("objectives"), f"{where} objectives"), 1):
            o_where = f"{where} objective {o}"
            _only_known(o_data, OBJECTIVE_KEYS, o_where)
            o_fields = _take(o_data, OBJECTIVE_FIELDS, o_where) | responsible(o_data, o_where)
            objective = _save(Objective(priority=priority, **o_fields), o_where)
            milestones = _list(o_data.get("milestones"), f"{o_where} milestones")
            for m, m_data in enumerate(milestones, 1):
                m_where = f"{o_where} milestone {m}"
                _object(m_data, m_where)
                _only_known(m_data, MILESTONE_KEYS, m_where)
                # A file without progress (the public view's) leaves these out: no report yet.
                m_fields = _take(
                    m_data
                    | {
                        "status": m_data.get("status", Milestone.Status.NOT_STARTED.value),
                        "forecast_date": m_data.get("forecast_date"),
                        "commentary": m_data.get("commentary", ""),
                    },
                    MILESTONE_FIELDS,
                    m_where,
                    dates=("due_date", "forecast_date"),
                )
                owner = _owner(m_data.get("owner"), m_where)
                m_fields |= responsible(m_data, m_where) | _last_update(m_data, m_where)
                position = m_data.get("position", m)
                if type(position) is not int or not 0 <= position <= 9999:
                    raise StrategyImportError(
                        f"{m_where}: position must be a whole number, 0 to 9999."
                    )
                milestone = _save(
                    Milestone(objective=objective, position=position, owner=owner, **m_fields),
                    m_where,
                )
                delegates = m_data.get("delegates") or []
                if not isinstance(delegates, list) or not all(
                    isinstance(name, str) for name in delegates
                ):
                    raise StrategyImportError(f"{m_where} delegates: expected a list of usernames.")
                if len(set(delegates)) != len(delegates) or (owner and owner.username in delegates):
                    raise StrategyImportError(
                        f"{m_where} delegates: each person once, and not the owner."
                    )
                for name in delegates:
                    MilestoneDelegate.objects.create(
                        milestone=milestone, user=_owner(name, f"{m_where} delegates")
                    )
            _import_measures(o_data.get("measures"), o_where, named, today, objective=objective)
        _import_measures(p_data.get("measures"), where, named, today, priority=priority)
    if not strategy.is_draft:
        # Loaded as published: published now, as it stands, so a board report's "Changed
        # since publication" counts from here (the dashboard's Publish sets it otherwise).
        strategy.published_at = timezone.now()
        Strategy.objects.filter(pk=strategy.pk).update(published_at=strategy.published_at)
    return strategy


def _read_sign_off(data: Any) -> tuple[bool, list]:
    """The file's sign-off: whether approval is required, and the people named approvers."""
    where = "strategy sign_off"
    if data is None:
        return False, []
    _only_known(_object(data, where), SIGN_OFF_KEYS, where)
    if "requires_approval" not in data:
        raise StrategyImportError(f"{where}: missing requires_approval (true or false).")
    requires_approval = data["requires_approval"]
    if not isinstance(requires_approval, bool):
        raise StrategyImportError(
            f"{where} requires_approval: {json.dumps(requires_approval)[:40]} is not true or false."
        )
    names = data.get("approvers", [])
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise StrategyImportError(f"{where} approvers: expected a list of usernames.")
    if len(set(names)) != len(names):
        raise StrategyImportError(f"{where} approvers: each person once.")
    return requires_approval, [_owner(name, f"{where} approvers") for name in names]


def _name_approvers(strategy: Strategy, approvers: list) -> None:
    """Name the approvers; with approval required, at least one, as the sign-off form asks.
    One who can no longer approve is kept, as the app keeps them (approver_notes says so)."""
    if strategy.requires_approval and not approvers:
        raise StrategyImportError(
            "strategy sign_off: approval is required, but no approver is named, so nobody "
            "could approve an update. Name one, or set requires_approval to false."
        )
    strategy.approvers.set(approvers)


def approver_notes(strategy: Strategy) -> list[str]:
    """A line for each named approver who cannot approve here (no active Approver role in
    the lead organisation or a partner), as the periods page says of them."""
    able = set(strategy.eligible_approvers().values_list("pk", flat=True))
    return [
        f"{user.username} is named an approver of {strategy.title} but cannot approve here "
        "(no active Approver role in its organisations): give them the role, or name another "
        "on its reporting periods page."
        for user in strategy.approvers.order_by("username")
        if user.pk not in able
    ]


def licence_words(data: dict) -> str:
    """What a public file says of its licence, for whoever loads it: its terms still apply to
    the copy, and nothing of it is stored; "" for a file with none."""
    licence = data.get("licence") if isinstance(data, dict) else None
    if not isinstance(licence, dict):
        return ""
    name = licence.get("name") or "no licence stated"
    by = f" by {licence['publisher']}" if licence.get("publisher") else ""
    url = f" ({licence['url']})" if licence.get("url") else ""
    return f"Published{by} under {name}{url}: its terms apply to this copy (not stored here)."


def _last_update(m_data: dict, where: str) -> dict[str, Any]:
    """When the milestone was last updated, and by whom, if the file says."""
    when = m_data.get("last_updated_at")
    if when in (None, ""):
        return {}
    try:
        moment = dt.datetime.fromisoformat(when)
    except (TypeError, ValueError):
        raise StrategyImportError(
            f"{where} last_updated_at: {when!r} is not a date and time (ISO 8601)."
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    by = m_data.get("last_updated_by")
    return {"last_updated_at": moment, "last_updated_by": _owner(by, f"{where} last_updated_by")}


def _import_partners(strategy: Strategy, partners: Any) -> dict[str, Organisation]:
    """The strategy's partner organisations (made if new), by name."""
    if partners in (None, []):
        return {}
    if not isinstance(partners, list):
        raise StrategyImportError("strategy partners: expected a list of organisations.")
    named = {}
    for n, p_data in enumerate(partners, 1):
        where = f"strategy partner {n}"
        _only_known(p_data, ORGANISATION_KEYS, where)
        org_data = _take(p_data if isinstance(p_data, dict) else {}, ["name", "short_name"], where)
        organisation = _organisation(org_data, where)
        _save(Partner(strategy=strategy, organisation=organisation), where)
        named[organisation.name] = organisation
    return named


def _organisation(org_data: dict, where: str) -> Organisation:
    """The organisation of this name, made (checked as any new one is) if there is none."""
    found = Organisation.objects.filter(name=org_data["name"]).first()
    if found is not None:
        return found
    return _save(Organisation(name=org_data["name"], short_name=org_data["short_name"]), where)


def _named_responsible(item_data: dict, named: dict, where: str) -> dict:
    name = item_data.get("responsible")
    if name in (None, ""):
        return {}
    if name not in named:
        raise StrategyImportError(
            f"{where} responsible: {name!r} is neither the lead organisation nor a partner."
        )
    return {"responsible": named[name]}
