"""A whole strategy from a workbook: what the rows would do (a plan, shown as a tree with each
row's outcome), then, if no row has a problem, all of it in one transaction.

A workbook fills a new draft, or updates a draft in place: items are matched by number
(measures by code), changed ones are updated, new ones added, and items of the draft that the
workbook no longer lists are archived. A published strategy changes only item by item, in the
editor, where each change is kept in its history.
"""

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from editor import archiving, trajectory_text
from editor.columns import (
    ITEM_COLUMNS,
    SLUG_RULE,
    STRATEGY_COLUMNS,
    STRATEGY_ROWS_ADDED_LATER,
    STRATEGY_SHEET,
)
from editor.structure_export import fingerprint, item_rows, person, strategy_values
from editor.workbook_files import SheetRow, StrategyFile
from measures.models import RESERVED_CODES, Measure, figures_broken_by
from milestones.due_dates import outside_period
from milestones.models import Milestone, MilestoneDelegate, holders
from objectives.models import Objective, Organisation, Priority, Strategy
from strategy_tracker.roles import ADMIN, organisations_where

PRIORITY_NUMBER = re.compile(r"(?:part([2-9])-)?([1-9][0-9]{0,3})")
PART_NUMBER = re.compile(r"[1-9][0-9]{0,3}")  # ASCII digits, no leading zero: one spelling
PARENT_LEVELS = {
    "objective": ("priority",),
    "milestone": ("objective",),
    "measure": ("priority", "objective"),
}
ORGANISATION_FIELDS = {"name": "organisation", "short_name": "organisation_short_name"}
HEADING = {c.key: c.heading for c in ITEM_COLUMNS} | {"name": "Title", "position": "Number"}
STRATEGY_HEADING = {c.key: c.heading for c in STRATEGY_COLUMNS}
REQUIRED_STRATEGY_FIELDS = {c.key for c in STRATEGY_COLUMNS if c.required}

# Each level's model fields, as the row's keys name them ("title" is a measure's name).
FIELDS = {
    "priority": ["title", "part_title", "description", "source_ref"],
    "objective": ["title", "description", "we_will", "where_now", "where_want", "source_ref"],
    "milestone": ["title", "heading", "due_date", "due_text", "source_ref"],
    "measure": [
        "code", "title", "kind", "unit", "direction", "baseline_value", "baseline_period",
        "baseline_period_text", "target_value", "target_date", "target_period_text", "tolerance",
        "minimum_value", "maximum_value", "definition", "spc_baseline_points", "spc_rebase_from",
        "source_ref",
    ],
}  # fmt: skip
MODELS = {"priority": Priority, "objective": Objective, "milestone": Milestone, "measure": Measure}
MODEL_FIELD = {"measure": {"title": "name"}}
DEFAULTS = {"kind": "success", "unit": "number", "direction": "none", "tolerance": Decimal(0)}
OTHER_COLUMNS = {"owner_email", "delegate_emails", "trajectory"}


@dataclass
class Planned:
    level: str
    label: str  # its number, or a measure's code
    title: str
    row: int | None  # None for an item the workbook no longer lists
    outcome: str = "new"  # new, updated, unchanged, archived
    changes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # said, not refused: a date to check
    children: list["Planned"] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    existing: object = None
    parent: str = ""
    owner: object = None
    delegates: list = field(default_factory=list)
    points: list = field(default_factory=list)


@dataclass
class Plan:
    strategy: Strategy | None  # the draft it updates, or None for a new one
    strategy_values: dict
    strategy_outcome: str
    problems: list[str]  # each naming its sheet and row
    tree: list[Planned]
    items: list[Planned]
    # The draft as it was read, whole: an Admin's change to any of it between the preview
    # and the confirm (even to a value the file also changes) refuses the confirm.
    stored_state: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def notes(self) -> list[str]:
        """What the preview asks the Admin to check, each naming its sheet and row; none stops
        the import."""
        return [f'Sheet "Items", row {i.row}: {note}' for i in self.items for note in i.notes]

    def count(self, outcome: str) -> int:
        return sum(1 for item in self.items if item.outcome == outcome)

    @property
    def counts(self) -> dict[str, int]:
        return {o: self.count(o) for o in ("new", "updated", "unchanged", "archived")}

    @property
    def digest(self) -> str:
        """What the plan would do; a confirm whose plan differs from the preview is refused."""
        text = repr(
            (
                self.strategy_outcome,
                sorted(self.strategy_values.items()),
                self.stored_state,
                [(i.level, i.label, i.outcome, i.changes, i.values) for i in self.items],
            )
        )
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def _a(noun: str) -> str:
    """The noun with its article: "a priority", "an objective"."""
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


class _Planner:
    def __init__(self, file: StrategyFile, target: Strategy | None, by=None):
        self.file = file
        self.target = target
        self.by = by  # whose workbook: what it may reach, and what its messages may name
        self.organisations: set[int] = set()
        self.lead_id: int | None = None
        self.stored: dict = {}  # the draft's live items, by _key
        self.holders: dict[int | None, set[int]] = {}  # by organisation: who can hold
        self.problems: list[str] = list(file.strategy_problems)
        self.items: list[Planned] = []
        self.stored_rows: list[dict] = []  # the draft's items as compare() read them

    def where(self, row: SheetRow | int) -> str:
        number = row.row if isinstance(row, SheetRow) else row
        return f'Sheet "Items", row {number}'

    # --- the strategy itself ----------------------------------------------------------------

    def strategy(self) -> tuple[Strategy | None, dict, str]:
        values = self.file.strategy or {}
        target = self.target
        if target is not None and not any(values.values()):
            # An empty "Strategy" sheet (the template's) into a draft: its details stay.
            self.problems = [
                p for p in self.problems if not p.startswith(f'Sheet "{STRATEGY_SHEET}"')
            ]
            values = {}
        if target is None:
            if not self.file.strategy:
                self.problems.append(
                    "A CSV file holds a strategy's items but not the strategy itself: create "
                    "the strategy in the editor first and import the file there, or use the "
                    'workbook template, whose "Strategy" sheet names it.'
                )
                return None, {}, "new"
            target = Strategy.objects.filter(slug=values.get("slug")).first()
            if (
                target is not None
                and self.by is not None
                and not target.is_administered_by(self.by)
            ):
                # Named by nothing but its short name, which is all the workbook gave.
                self.problems.append(
                    f'Sheet "{STRATEGY_SHEET}": the short name “{target.slug}” is taken by a '
                    "strategy you are not an Admin of; choose another short name."
                )
                return None, values, "error"
        elif values.get("slug") and values["slug"] != target.slug:
            self.problems.append(
                f'Sheet "{STRATEGY_SHEET}": this workbook is for the strategy '
                f"“{values['slug']}”, not “{target.slug}”. Import it from the strategies' import "
                "page, or correct its short name."
            )
            return target, values, "error"
        if target is not None and not target.is_draft:
            self.problems.append(
                f"{target.title} is {target.get_status_display().lower()}: a workbook can only "
                "fill a draft. Change a published strategy item by item in the editor, where "
                "each change is kept in its history."
            )
            return target, values, "error"
        if not values:
            return target, {}, "unchanged"
        kept = strategy_values(target) if target is not None else {}
        values = {k: kept.get(k, "") for k in STRATEGY_ROWS_ADDED_LATER} | values
        return target, values, self._check_strategy(target, values)

    def _check_strategy(self, target: Strategy | None, values: dict) -> str:
        # An empty cell is no, as the draft's False is: not a change to it.
        values["illustrative"] = bool(values.get("illustrative"))
        strategy = Strategy(
            **{k: values.get(k) for k in _strategy_model_fields()},
            organisation=Organisation(name=values.get("organisation") or ""),
        )
        if target is not None:
            strategy.pk, strategy._state.adding = target.pk, False
        try:
            strategy.full_clean(exclude=["organisation", "status"], validate_constraints=False)
            Organisation(
                name=values.get("organisation") or "",
                short_name=values.get("organisation_short_name") or "",
            ).full_clean(validate_unique=False)
            if values["period_start"] >= values["period_end"]:
                raise ValidationError({"period_end": "The period must end after it starts."})
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name in REQUIRED_STRATEGY_FIELDS and values.get(name) in ("", None):
                    continue  # the sheet's own problem says it is empty
                heading = STRATEGY_HEADING.get(ORGANISATION_FIELDS.get(name, name), name)
                # Django's words name a "slug"; the sheet calls it the short name.
                messages = [SLUG_RULE if m == str(validate_slug.message) else m for m in messages]
                self.problems.append(f'Sheet "{STRATEGY_SHEET}", {heading}: {" ".join(messages)}')
            return "error"
        except (KeyError, TypeError):
            return "error"  # a missing date: the sheet's own problem says so
        if target is None:
            return "new"
        current = strategy_values(target)
        if (values.get("organisation") or "").casefold() != (
            current.get("organisation") or ""
        ).casefold():
            # The editor checks a change of lead against the partners and the items' owners
            # and responsible organisations; a sheet's cell would pass none of that.
            self.problems.append(
                f'Sheet "{STRATEGY_SHEET}", {STRATEGY_HEADING["organisation"]}: a workbook '
                f"cannot change which organisation leads a strategy (it is "
                f"“{current.get('organisation')}”). Change it in the editor, where the "
                "partners and owners are checked with it."
            )
            return "error"
        short = values.get("organisation_short_name") or ""
        if short != (current.get("organisation_short_name") or ""):
            # The organisation's, shared by all its strategies: never written from here.
            self.problems.append(
                f'Sheet "{STRATEGY_SHEET}", {STRATEGY_HEADING["organisation_short_name"]}: a '
                f"workbook cannot change the short name of {current.get('organisation')} "
                f"(it is “{current.get('organisation_short_name')}”, for all its strategies): "
                "a site administrator changes it. Put it back as it was to import the rest."
            )
            return "error"
        return "updated" if any(current.get(k) != v for k, v in values.items()) else "unchanged"

    # --- the items --------------------------------------------------------------------------

    def items_from(self, rows: list[SheetRow]) -> list[Planned]:
        by_number: dict[str, Planned] = {}
        codes: dict[str, Planned] = {}
        for row in rows:
            item = self._item(row, by_number, codes)
            if item:
                self.items.append(item)
        self._people(rows)
        self._codes(codes)
        _order_measures(self.items)
        return self._tree(by_number)

    def _item(self, row: SheetRow, by_number: dict, codes: dict) -> Planned | None:
        values = row.values
        level = values.get("level") or ""
        here = self.where(row)
        for problem in row.problems:
            self.problems.append(f"{here}: {problem}")
        if not level:
            if not row.problems:
                self.problems.append(
                    f"{here}: Level is empty; say priority, objective, milestone or measure."
                )
            return None
        title = values.get("title") or ""
        item = Planned(level, "", title, row.row, problems=[*row.problems])
        unused = [
            HEADING[c.key]
            for c in ITEM_COLUMNS
            if level not in c.levels and values.get(c.key) not in ("", None)
        ]
        if unused:
            self._problem(
                item,
                f"{', '.join(unused)} {'is' if len(unused) == 1 else 'are'} not "
                f"used for {_a(level)}; leave {'it' if len(unused) == 1 else 'them'} "
                "empty.",
            )
        # An empty Title or Level is the reader's problem to report (editor/workbook_files.py).
        if level == "measure":
            item.label = values.get("code") or ""
            item.parent = values.get("parent") or ""
            if not item.label:
                self._problem(item, "Measure code is empty.")
            elif item.label.lower() in RESERVED_CODES:
                self._problem(item, f"measure code {item.label} is one the app uses itself.")
            elif item.label.lower() in codes:
                first = codes[item.label.lower()]
                self._problem(item, f"measure code {item.label} is used by row {first.row} too.")
            else:
                codes[item.label.lower()] = item
            if not item.parent:
                self._problem(
                    item,
                    "Parent is empty: give the number of the priority or objective this measures.",
                )
        else:
            self._number(item, values, by_number)
        self._values(item, values)
        return item

    def _number(self, item: Planned, values: dict, by_number: dict) -> None:
        number = (values.get("number") or "").strip()
        item.label = number
        depth = {"priority": 0, "objective": 1, "milestone": 2}[item.level]
        head, *rest = number.split(".") if number else [""]
        if (
            not PRIORITY_NUMBER.fullmatch(head)
            or len(rest) != depth
            or not all(PART_NUMBER.fullmatch(part) for part in rest)
        ):
            example = {"priority": "2", "objective": "2.1", "milestone": "2.1.3"}[item.level]
            shown = f"“{number}”" if number else "empty"
            self._problem(
                item, f"Number is {shown}; {_a(item.level)}'s number looks like {example}."
            )
            return
        item.parent = number.rsplit(".", 1)[0] if depth else ""
        given = (values.get("parent") or "").strip()
        if given and given != item.parent:
            self._problem(
                item, f"Parent is {given}, but the number {number} puts it under {item.parent}."
            )
        if number in by_number:
            self._problem(item, f"Number {number} is used by row {by_number[number].row} too.")
        else:
            by_number[number] = item

    def _values(self, item: Planned, values: dict) -> None:
        fields = {}
        for key in FIELDS[item.level]:
            value = values.get(key)
            if value in ("", None) and key in DEFAULTS and item.level == "measure":
                value = DEFAULTS[key]
            fields[MODEL_FIELD.get(item.level, {}).get(key, key)] = (
                "" if value is None and (key not in _NULLABLE) else value
            )
        item.values = fields
        if item.level == "measure":
            try:
                item.points = trajectory_text.parse_points(
                    values.get("trajectory") or "", self.file.comma_may_be_decimal
                )
            except ValueError as error:
                self._problem(item, f"Trajectory: {error}")
        self._validate(item)

    def _validate(self, item: Planned) -> None:
        obj = MODELS[item.level](**item.values)
        exclude = ["strategy", "priority", "objective", "number", "position", "code"]
        try:
            obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
            if item.level == "measure":
                _check_measure(obj)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                heading = HEADING.get(name, "") if name != "__all__" else ""
                self._problem(item, f"{heading + ': ' if heading else ''}{' '.join(messages)}")
        if item.level == "measure" and item.points and not item.problems:
            for message in trajectory_text.point_errors(obj, item.points):
                self._problem(item, f"Trajectory: {message}")
        if item.level == "measure" and item.values.get("code"):
            try:
                Measure._meta.get_field("code").run_validators(item.values["code"])
            except ValidationError as error:
                self._problem(item, f"Measure code: {' '.join(error.messages)}")

    def _problem(self, item: Planned, message: str) -> None:
        item.problems.append(message)
        self.problems.append(f"{self.where(item.row)}: {message}")

    def _people(self, rows: list[SheetRow]) -> None:
        """Each milestone's owner and delegates: people who can hold it, programme leads and
        Admins of the organisation responsible for it. Anyone else is refused in the same
        words whether or not they have an account, so a workbook confirms nobody's."""
        by_row = {item.row: item for item in self.items}
        wanted: dict[int, list[str]] = {}
        for row in rows:
            if row.row in by_row and by_row[row.row].level == "milestone":
                owner = (row.values.get("owner_email") or "").strip()
                delegates = _split(row.values.get("delegate_emails") or "")
                wanted[row.row] = [owner, *delegates]
        names = {name.lower() for names in wanted.values() for name in names if name}
        found = _users_named(names, self.organisations)
        for number, (owner, *delegates) in wanted.items():
            item = by_row[number]
            may_hold = self._may_hold(item)
            for name in [owner, *delegates]:
                person = found.get(name.lower()) if name else None
                if name and person == "several":
                    self._problem(
                        item,
                        f"several users have the e-mail address {name}; give the username instead.",
                    )
                elif name and (person is None or person.pk not in may_hold):
                    self._problem(
                        item,
                        f"{name} cannot hold this milestone: no active programme lead or Admin "
                        "of the organisation responsible for it has that e-mail address or "
                        "username. Leave it empty, or ask a site administrator to add them.",
                    )
            if not item.problems:
                item.owner = found.get(owner.lower()) if owner else None
                item.delegates = [found[d.lower()] for d in delegates]
                if item.owner and item.owner in item.delegates:
                    self._problem(item, "the owner is also listed as a delegate.")

    def _may_hold(self, item: Planned) -> set[int]:
        """Ids of the people who can hold the milestone: of the organisation responsible for
        the nearest of it, its objective and its priority that is stored, or else of the
        lead organisation."""
        priority = item.parent.rpartition(".")[0]
        stored = next(
            filter(
                None,
                (
                    self.stored.get(_key("milestone", item.label)),
                    self.stored.get(_key("objective", item.parent)),
                    self.stored.get(_key("priority", priority)),
                ),
            ),
            None,
        )
        responsible = stored.responsible_organisation_id if stored else self.lead_id
        if responsible not in self.holders:
            self.holders[responsible] = set(holders([responsible]).values_list("pk", flat=True))
        return self.holders[responsible]

    def _named(self, strategy: Strategy) -> str:
        """The strategy's title, if the person importing may see it."""
        if self.by is None or Strategy.objects.visible_to(self.by).filter(pk=strategy.pk).exists():
            return f"“{strategy.title}”"
        return "another organisation's strategy"

    def _codes(self, codes: dict[str, Planned]) -> None:
        target = self.target
        taken = (
            Measure.everything.annotate(code_l=Lower("code"))
            .filter(code_l__in=list(codes))
            .select_related("priority__strategy", "objective__priority__strategy")
        )
        for measure in taken:
            item = codes[measure.code_l]
            owner = measure.strategy
            if target is None or owner.pk != target.pk:
                self._problem(
                    item,
                    f"measure code {measure.code} is already used by {self._named(owner)}; "
                    "choose another.",
                )
            elif measure.archived_at:
                self._problem(
                    item,
                    f"measure code {measure.code} belongs to an archived "
                    "measure of this strategy; restore it in the editor, or choose "
                    "another code.",
                )

    def _tree(self, by_number: dict[str, Planned]) -> list[Planned]:
        tree = []
        for item in self.items:
            if item.level == "priority":
                tree.append(item)
                continue
            parent = by_number.get(item.parent)
            wanted = " or ".join(_a(level) for level in PARENT_LEVELS[item.level])
            if parent is None:
                tree.append(item)  # shown at the top, with its problem: every row is listed
                if item.parent and not any("Number is" in p for p in item.problems):
                    self._problem(item, f"Parent {item.parent} is not {wanted} in this file.")
            elif parent.level not in PARENT_LEVELS[item.level]:
                tree.append(item)
                self._problem(
                    item, f"Parent {item.parent} is {_a(parent.level)}; it must be {wanted}."
                )
            else:
                parent.children.append(item)
        return tree

    # --- against the draft as it is ---------------------------------------------------------

    def compare(self, strategy: Strategy) -> list[Planned]:
        """Match items with the draft's (by number, measures by code); what the workbook no
        longer lists is to be archived."""
        rows = item_rows(strategy)
        self.stored_rows = rows
        current = {_key(r["level"], r.get("code") or r["number"]): r for r in rows}
        objects = self.stored
        seen = set()
        for item in self.items:
            key = _key(item.level, item.label)
            row = current.get(key)
            if row is None:
                continue
            seen.add(key)
            item.existing = objects[key]
            if item.level == "measure" and item.existing.code != item.label:
                self._problem(
                    item,
                    f"measure code {item.label} is stored as {item.existing.code}, and a code "
                    f"cannot change (files of figures use it): write it as {item.existing.code}.",
                )
            changes = [
                HEADING[k]
                for k, v in _row_of(item).items()
                if _comparable(row.get(k)) != _comparable(v)
            ]
            if item.level == "measure" and item.existing.position != item.values["position"]:
                changes.append("Order")
            v = item.values
            if item.level == "measure" and any(
                getattr(item.existing, k) != v.get(k) for k in FIGURES_HANG_ON
            ):
                # As the editor refuses it: a baseline or range the stored figures break (read
                # only for a measure whose baseline or range the file changes).
                broken = figures_broken_by(
                    item.existing.pk,
                    v.get("baseline_period"),
                    v.get("unit"),
                    v.get("minimum_value"),
                    v.get("maximum_value"),
                )
                for name, message in broken.items():
                    self._problem(item, f"{HEADING.get(name, name)}: {message}")
            item.outcome = "updated" if changes else "unchanged"
            item.changes = changes
        gone = [
            Planned(
                row["level"],
                row.get("code") or row["number"],
                row["title"],
                None,
                outcome="archived",
                existing=objects[key],
            )
            for key, row in current.items()
            if key not in seen
        ]
        return gone


# A measure's fields its stored figures must keep within (measures.models.figures_broken_by).
FIGURES_HANG_ON = ("baseline_period", "unit", "minimum_value", "maximum_value")

_NULLABLE = {
    "due_date",
    "baseline_value",
    "baseline_period",
    "target_value",
    "target_date",
    "minimum_value",
    "maximum_value",
    "spc_baseline_points",
    "spc_rebase_from",
}


def _key(level: str, label: str) -> tuple[str, str]:
    """How an item is matched with the draft's: by number, a measure by its code in any case."""
    return (level, label.lower() if level == "measure" else label)


def _order_measures(items: list[Planned]) -> None:
    """Measures keep the order of their rows: 1, 2, 3… within their priority or objective."""
    counted: dict[str, int] = {}
    for item in items:
        if item.level == "measure":
            counted[item.parent] = counted.get(item.parent, 0) + 1
            item.values["position"] = counted[item.parent]


def _check_measure(measure: Measure) -> None:
    if measure.tolerance is not None and measure.tolerance < 0:
        raise ValidationError({"tolerance": "The tolerance cannot be negative."})
    low, high = measure.minimum_value, measure.maximum_value
    if low is not None and high is not None and low > high:
        raise ValidationError({"minimum_value": "The minimum cannot be above the maximum."})


def _strategy_model_fields() -> list[str]:
    return [c.key for c in STRATEGY_COLUMNS if not c.key.startswith("organisation")]


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,\n]", text) if part.strip()]


def _users_named(names: set[str], organisations: set[int]) -> dict:
    """Each e-mail address or username (lower case) of someone who can hold milestones in
    `organisations` → that user, or "several"."""
    if not names:
        return {}
    users = (
        holders(organisations)
        .annotate(email_l=Lower("email"), username_l=Lower("username"))
        .filter(Q(email_l__in=names) | Q(username_l__in=names))
    )
    found: dict = {}
    for user in users:
        for name in {user.email_l, user.username_l} & names:
            found[name] = "several" if name in found and found[name] != user else user
    return found


def _row_of(item: Planned) -> dict:
    """The item as a row of the export, to compare with the draft's own."""
    row = {
        k: item.values.get(MODEL_FIELD.get(item.level, {}).get(k, k)) for k in FIELDS[item.level]
    }
    if item.level == "milestone":
        row["owner_email"] = person(item.owner) if item.owner else ""
        row["delegate_emails"] = "; ".join(sorted(person(d) for d in item.delegates))
    if item.level == "measure":
        row["trajectory"] = trajectory_text.format_points(item.points)
        row["parent"] = item.parent
    return row


def _comparable(value):
    if isinstance(value, Decimal):
        return value.normalize()
    return "" if value is None else value


def _live_objects(strategy: Strategy) -> dict:
    objects = {}
    for p in Priority.objects.filter(strategy=strategy).select_related("strategy"):
        objects[("priority", p.key)] = p
    objectives = Objective.objects.filter(priority__strategy=strategy)
    for o in objectives.select_related("priority__strategy"):
        objects[("objective", f"{o.priority.key}.{o.number}")] = o
    milestones = Milestone.objects.filter(objective__priority__strategy=strategy)
    for m in milestones.select_related("objective__priority__strategy"):
        objects[("milestone", f"{m.objective.priority.key}.{m.objective.number}.{m.position}")] = m
    measures = Measure.objects.filter(
        Q(priority__strategy=strategy) | Q(objective__priority__strategy=strategy)
    )
    for m in measures:
        objects[_key("measure", m.code)] = m
    return objects


def plan(file: StrategyFile, target: Strategy | None = None, by=None) -> Plan:
    """What importing the file would do (for the person `by`, if given: only into
    strategies and organisations they are an Admin of). Reads; writes nothing."""
    planner = _Planner(file, target, by)
    strategy, values, outcome = planner.strategy()
    if (target is None and not file.strategy) or (strategy and not strategy.is_draft):
        # Items with no strategy to go in, or a strategy a file cannot change: its rows are
        # not compared with anything, so none is listed as new; that one problem is all.
        return Plan(strategy, values, outcome, planner.problems, [], [])
    if by is not None and outcome != "error" and not _may_import(by, strategy, values, planner):
        outcome = "error"
    planner.target = strategy
    planner.organisations = _organisations(strategy, values)
    planner.lead_id = strategy.organisation_id if strategy else _named_organisation(values)
    planner.stored = _live_objects(strategy) if strategy is not None else {}
    tree = planner.items_from(file.rows)
    if not file.rows and not planner.problems:
        # Never read as "archive everything": an empty sheet is far likelier a mistake.
        planner.problems.append(
            'Sheet "Items" has no rows: add the strategy\'s items under the header row.'
        )
    elif strategy is not None and outcome != "error":
        gone = planner.compare(strategy)
        planner.items.extend(gone)
        tree.extend(gone)
        now = fingerprint(strategy_values(strategy), planner.stored_rows)
        if file.drawn_from and file.drawn_from != now:
            # Matched by number, its rows would put back what another Admin changed since,
            # and give the items renumbered meanwhile each other's titles: unseen.
            kind = "workbook" if file.file_kind == "xlsx" else "file"
            planner.problems.append(
                f"This {kind} was downloaded from {strategy.title} before it last changed "
                "(in the editor, or by another import): importing it would undo those changes "
                f"without showing them. Download the {kind} again and make your changes in it."
            )
    _note_due_dates(planner.items, values or _strategy_period(strategy))
    return Plan(
        strategy,
        values,
        outcome,
        planner.problems,
        tree,
        planner.items,
        _stored_state(strategy, planner),
    )


def _strategy_period(strategy: Strategy | None) -> dict:
    if strategy is None:
        return {}
    return {"period_start": strategy.period_start, "period_end": strategy.period_end}


def _note_due_dates(items: list[Planned], period: dict) -> None:
    """A milestone due outside the strategy's period (as the workbook gives it, else as
    stored) is imported as given, and the preview says so (milestones/due_dates.py)."""
    for item in items:
        if item.level == "milestone" and item.row and not item.problems:
            note = outside_period(
                item.values.get("due_date"), period.get("period_start"), period.get("period_end")
            )
            if note:
                item.notes.append(note)


def _stored_state(strategy: Strategy | None, planner: _Planner) -> str:
    """The draft's own row and its items' rows, as one string for the plan's digest."""
    if strategy is None:
        return ""
    row = Strategy.objects.filter(pk=strategy.pk).values().first()
    return repr((sorted((row or {}).items()), planner.stored_rows))


def _organisations(strategy: Strategy | None, values: dict) -> set[int]:
    """Whose people can hold the workbook's milestones: the strategy's lead organisation
    and partners (for a new strategy, the organisation the workbook names, if it exists)."""
    if strategy is not None:
        return strategy.organisation_ids()
    named = _named_organisation(values)
    return {named} if named else set()


def _named_organisation(values: dict) -> int | None:
    named = Organisation.objects.filter(name__iexact=values.get("organisation") or "")
    return named.values_list("id", flat=True).first()


def _may_import(by, strategy: Strategy | None, values: dict, planner) -> bool:
    """Whether `by` may write this workbook: into a strategy they administer, for an
    organisation they are an Admin of (only a site administrator names a new one)."""
    if strategy is not None and not strategy.is_administered_by(by):
        planner.problems.append(
            "You are not an Admin of this strategy's lead organisation, so a workbook cannot "
            "change it."
        )
        return False
    name = values.get("organisation")
    if not name or by.is_superuser:
        return True
    administered = Organisation.objects.filter(
        pk__in=organisations_where(by, ADMIN), name__iexact=name
    )
    if not administered.exists():
        planner.problems.append(
            f'Sheet "{STRATEGY_SHEET}", {STRATEGY_HEADING["organisation"]}: you are not an '
            f"Admin of “{name}”. Name an organisation you are an Admin of; a site "
            "administrator adds new organisations."
        )
        return False
    return True


@transaction.atomic
def apply(plan: Plan, by) -> Strategy:
    """Write what the plan says, all of it. Call only with a plan that is ok."""
    assert plan.ok
    now = timezone.now()
    strategy = _write_strategy(plan)
    archiving.archive_quietly([i.existing for i in plan.items if i.outcome == "archived"], now)
    written: dict[str, object] = {}
    for level in ("priority", "objective", "milestone", "measure"):
        for item in plan.items:
            if item.level != level or item.outcome == "archived":
                continue
            written[item.label if level != "measure" else f"measure:{item.label}"] = _write(
                item, strategy, written, now, by
            )
    return strategy


def _write_strategy(plan: Plan) -> Strategy:
    values = plan.strategy_values
    strategy = plan.strategy
    if strategy is not None:
        strategy = Strategy.objects.select_for_update().get(pk=strategy.pk)
        if plan.strategy_outcome != "updated":
            return strategy
    fields = {k: values[k] for k in _strategy_model_fields()}
    fields["illustrative"] = bool(fields["illustrative"])
    organisation = Organisation.objects.filter(name__iexact=values["organisation"]).first()
    if organisation is None:
        organisation = Organisation.objects.create(
            name=values["organisation"], short_name=values.get("organisation_short_name") or ""
        )
    if strategy is None:
        return Strategy.objects.create(organisation=organisation, **fields)
    for name, value in fields.items():
        setattr(strategy, name, value)
    strategy.organisation = organisation
    strategy.save()
    return strategy


def _write(item: Planned, strategy: Strategy, written: dict, now: dt.datetime, by):
    obj = item.existing
    if item.outcome == "unchanged":
        return obj
    values = dict(item.values)
    if item.level == "priority":
        match = PRIORITY_NUMBER.fullmatch(item.label)
        values |= {"strategy": strategy, "part": int(match[1] or 1), "number": int(match[2])}
    elif item.level == "objective":
        values |= {"priority": written[item.parent], "number": int(item.label.rsplit(".")[-1])}
    elif item.level == "milestone":
        values |= {"objective": written[item.parent], "position": int(item.label.rsplit(".")[-1])}
    else:
        parent = written[item.parent]
        values |= {
            "priority": parent if isinstance(parent, Priority) else None,
            "objective": parent if isinstance(parent, Objective) else None,
        }
    created = obj is None
    if created:
        obj = MODELS[item.level](**values)
    else:
        for name, value in values.items():
            setattr(obj, name, value)
    if item.level == "milestone":
        if obj.owner_id != (item.owner.pk if item.owner else None):
            obj.owner, obj.owner_assigned_at = item.owner, now if item.owner else None
    obj.save()
    if item.level == "milestone":
        _set_delegates(obj, item.delegates, now, created)
    if item.level == "measure":
        trajectory_text.replace_points(obj, item.points, created)
    return obj


def _set_delegates(milestone: Milestone, users: list, now: dt.datetime, created: bool) -> None:
    """Exactly these delegates; a milestone just `created` has none to read or remove (two
    queries for each of a new strategy's 1,750 milestones were a quarter of its import)."""
    wanted = {u.pk for u in users}
    have = set()
    if not created:
        delegates = MilestoneDelegate.objects.filter(milestone=milestone)
        delegates.exclude(user_id__in=wanted).delete()
        have = set(delegates.values_list("user_id", flat=True))
    MilestoneDelegate.objects.bulk_create(
        MilestoneDelegate(milestone=milestone, user_id=pk, assigned_at=now) for pk in wanted - have
    )
