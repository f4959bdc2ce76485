"""The columns of a strategy workbook, defined once: the template, the export and the import
all read this list.

A workbook has two sheets. "Strategy" holds the strategy's own details, one per row (a
heading in column A, its value in column B). "Items" holds one row per priority, objective,
milestone or measure, under a header row of the ITEM_COLUMNS headings. A CSV file is the
"Items" sheet alone, so it can only fill a strategy that already exists.

Numbers are the paths the app's addresses use: a priority "2" (or "part2-3" outside Part
One), an objective "2.1", a milestone "2.1.4". A measure has no number: its code names it,
and its parent is the priority or objective it measures.
"""

from dataclasses import dataclass

from measures.models import Direction, Kind, Unit

# What a cell holds once read: "text", "date", "decimal" (a number), "integer" (a whole
# number), "choice" (one of `choices`, as typed), "bool" ("yes"/"no").
KINDS = ("text", "date", "decimal", "integer", "choice", "bool")

LEVELS = ("priority", "objective", "milestone", "measure")

# A strategy's short name in addresses, in plain words: what the model's SlugField accepts
# (ASCII letters of either case, digits, hyphens, underscores), for its hint and its refusal.
SLUG_HINT = "Letters, digits, hyphens and underscores, no spaces: thurrock-hwbs-2013"
SLUG_RULE = (
    "Use only letters, digits, hyphens and underscores, with no spaces or accents, for "
    "example thurrock-hwbs-2013."
)


@dataclass(frozen=True)
class Column:
    key: str  # the name the import and export use for it
    heading: str  # as the sheet's header row has it
    kind: str = "text"
    levels: tuple[str, ...] = LEVELS  # the rows that use it; others leave it empty
    help: str = ""
    choices: tuple[str, ...] = ()
    required: bool = False


ITEM_COLUMNS = [
    Column(
        "level",
        "Level",
        "choice",
        help="priority, objective, milestone or measure",
        choices=LEVELS,
        required=True,
    ),
    Column(
        "number",
        "Number",
        levels=("priority", "objective", "milestone"),
        help='"2" for a priority, "2.1" for an objective, "2.1.4" for a milestone',
    ),
    Column(
        "parent",
        "Parent",
        levels=("objective", "milestone", "measure"),
        help="The number of the priority or objective it belongs to",
    ),
    Column(
        "code",
        "Measure code",
        levels=("measure",),
        help="Short code used in files of figures, e.g. EPUT-SO2-VACANCY",
    ),
    Column("title", "Title", required=True, help="A measure's name"),
    Column(
        "part_title",
        "Part title",
        levels=("priority",),
        help="The heading of the part of the document it is in, if it has parts",
    ),
    Column(
        "heading",
        "Heading",
        levels=("milestone",),
        help="The document's heading the milestone sits under, if any",
    ),
    Column("description", "Description", levels=("priority", "objective")),
    Column("we_will", "We will", levels=("objective",), help="One commitment per line"),
    Column("where_now", "Where are we now", levels=("objective",)),
    Column("where_want", "Where do we want to be", levels=("objective",)),
    Column("due_date", "Due date", "date", levels=("milestone",), help="A date: 31/03/2025"),
    Column(
        "due_text",
        "Due (document wording)",
        levels=("milestone",),
        help='The document\'s own words, e.g. "by March 2014"',
    ),
    Column(
        "owner_email",
        "Owner e-mail",
        levels=("milestone",),
        help="The e-mail address of a user of the app",
    ),
    Column(
        "delegate_emails",
        "Delegate e-mails",
        levels=("milestone",),
        help="E-mail addresses separated by semicolons",
    ),
    Column(
        "kind",
        "Kind",
        "choice",
        levels=("measure",),
        choices=tuple(Kind.values),
        help="success (judged against its target) or context",
    ),
    Column("unit", "Unit", "choice", levels=("measure",), choices=tuple(Unit.values)),
    Column(
        "direction",
        "Direction",
        "choice",
        levels=("measure",),
        choices=tuple(Direction.values),
        help="higher or lower is better, or none",
    ),
    Column("baseline_value", "Baseline", "decimal", levels=("measure",)),
    Column("baseline_period", "Baseline period end", "date", levels=("measure",)),
    Column("baseline_period_text", "Baseline period (document wording)", levels=("measure",)),
    Column("target_value", "Target", "decimal", levels=("measure",)),
    Column("target_date", "Target date", "date", levels=("measure",)),
    Column(
        "target_period_text",
        "Target date (document wording)",
        levels=("measure",),
        help='The document\'s own words, e.g. "2027/28" or "by March 2028"',
    ),
    Column(
        "tolerance",
        "Tolerance",
        "decimal",
        levels=("measure",),
        help="How far from the target still counts as amber",
    ),
    Column("minimum_value", "Minimum", "decimal", levels=("measure",)),
    Column("maximum_value", "Maximum", "decimal", levels=("measure",)),
    Column(
        "trajectory",
        "Trajectory",
        levels=("measure",),
        help="Planned points: 2025-03-31=60; 2026-03-31=65",
    ),
    Column("definition", "Definition", levels=("measure",)),
    Column("spc_baseline_points", "SPC baseline points", "integer", levels=("measure",)),
    Column("spc_rebase_from", "SPC rebase from", "date", levels=("measure",)),
    Column("source_ref", "Source reference", help="Where this is in the source document"),
]

STRATEGY_COLUMNS = [
    Column("title", "Title", required=True),
    Column(
        "slug",
        "Short name in addresses",
        required=True,
        help=SLUG_HINT,
    ),
    Column("organisation", "Organisation", required=True),
    Column("organisation_short_name", "Organisation short name"),
    Column("period_start", "Period start", "date", required=True),
    Column("period_end", "Period end", "date", required=True),
    Column(
        "period_text",
        "Period (document wording)",
        help="As the document words it: 2013 – 2016; the dates above are how it is read",
    ),
    Column("vision", "Vision"),
    Column("purpose", "Purpose"),
    Column("aims", "Aims", help="One aim per line"),
    Column("values", "Values"),
    Column("summary", "Summary"),
    Column("source_document", "Source document"),
    Column("source_version", "Source version"),
    Column("source_date", "Source date", "date"),
    Column("illustrative", "Illustrative", "bool", help="yes for made-up data for trying the app"),
]

# Rows a workbook downloaded before they existed lacks: such a sheet leaves them as the draft
# holds them, where a row taken out clears its field.
STRATEGY_ROWS_ADDED_LATER = {"period_text"}
# Every field a workbook gained after its first release: left empty, it is left out of the
# draft's fingerprint, so a workbook downloaded before it was added still imports.
FIELDS_ADDED_LATER = STRATEGY_ROWS_ADDED_LATER | {"target_period_text"}

ITEMS_SHEET = "Items"
STRATEGY_SHEET = "Strategy"
ITEM_KEYS = [c.key for c in ITEM_COLUMNS]
BY_HEADING = {c.heading.lower(): c for c in ITEM_COLUMNS}
