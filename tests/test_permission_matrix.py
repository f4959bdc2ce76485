"""Every URL of the project × every role in two organisations (and a site administrator) × GET
and POST: the expected status, and a refused request changes no row. A URL pattern missing
from MATRIX fails the test, so a new page cannot ship without saying who may use it.

The world's strategy "s" belongs to organisation A. MATRIX says what A's people get; B's
people (board_b, lead_b, admin_b) get what their counterpart in A gets where the page
addresses nothing of A's, and "not found" wherever it addresses A's strategy or its items
(unless their role is refused before anything is looked up) — see expected()."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api.models import ApiToken
from conftest import create_member
from editor.forms import ObjectiveForm, StrategyForm
from editor.guards import fingerprint as hashed
from editor.models import WorkbookUpload
from editor.structure_export import item_rows
from editor.workbook_files import write_workbook
from measures.importing import store_upload
from measures.models import ImportBatch, MeasureValue
from milestones.models import MilestoneDelegate, Submission
from objectives.models import Organisation, Strategy
from public.models import Publication
from reporting.models import BoardPack, ReportingPeriod, SnapshotItem
from tests.factories import (
    make_measure,
    make_milestone,
    make_objective,
    make_priority,
    make_risk,
    make_strategy,
)

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "board", "lead", "other_lead", "admin"]
# Organisation B's people, and who in A each stands for.
OTHER_ORGANISATION = {"board_b": "board", "lead_b": "other_lead", "admin_b": "admin"}
LOGIN = "login"  # a redirect to the sign-in page


PUBLIC_PAGES = [
    "index",
    "accessibility",
    "strategy",
    "quarter",
    "priority",
    "objective",
    "measure",
    "report",
    "report_pdf",
    "figures_csv",
    "structure_json",
]


def everyone(get, post):
    return {role: (get, post) for role in ROLES}


def signed_in(get, post):
    """Anonymous visitors are sent to sign in; every role gets (get, post)."""
    return {"anonymous": (LOGIN, LOGIN)} | {role: (get, post) for role in ROLES[1:]}


def admin_reads(get):
    """An Admin's page that only reads: a POST is the wrong method for anyone signed in."""
    return {
        "anonymous": (LOGIN, LOGIN),
        "board": (403, 405),
        "lead": (403, 405),
        "other_lead": (403, 405),
        "admin": (get, 405),
    }


def api_reads():
    """The read API: anyone signed in (by a token, or here the session) reads; it is
    read-only, so a POST is the wrong method; without a sign-in, 401."""
    return {"anonymous": (401, 401)} | {role: (200, 405) for role in ROLES[1:]}


def admin_only(get, post):
    return {
        "anonymous": (LOGIN, LOGIN),
        "board": (403, 403),
        "lead": (403, 403),
        "other_lead": (403, 403),
        "admin": (get, post),
    }


def admin_posts(post):
    """An Admin's action, posted from another page: GET is the wrong method for everyone."""
    return {
        "anonymous": (LOGIN, LOGIN),
        "board": (405, 403),
        "lead": (405, 403),
        "other_lead": (405, 403),
        "admin": (405, post),
    }


MATRIX = {
    "home": signed_in(302, 405),
    "healthz": everyone(200, 405),
    "login": everyone(200, 200),  # an empty sign-in form is shown again with its errors
    "logout": signed_in(405, 302),
    # An empty form is shown again with its errors; a wrong current password would count as
    # a failed sign-in, an empty one does not.
    "password_change": signed_in(200, 200),
    "password_change_done": signed_in(200, 405),
    # Anyone may ask for a reset link (an empty form is shown again) and follow one (a
    # wrong link says it does not work, whatever the method).
    "password_reset": everyone(200, 200),
    "password_reset_done": everyone(200, 405),
    "password_reset_confirm": everyone(200, 200),
    "password_reset_complete": everyone(200, 405),
    "objectives:strategy_list": signed_in(200, 405),
    "objectives:strategy_detail": signed_in(200, 405),
    # An Admin publishes or closes (an empty form: 400, nothing changed).
    "objectives:strategy_status": admin_posts(400),
    "objectives:strategy_milestones": signed_in(200, 405),
    "objectives:strategy_export_json": signed_in(200, 405),
    "objectives:strategy_values_csv": signed_in(200, 405),
    "objectives:priority_detail": signed_in(200, 405),
    "objectives:objective_detail": signed_in(200, 405),
    "milestones:mine": signed_in(200, 405),
    "milestones:bulk_assign": admin_only(200, 400),
    "milestones:detail": signed_in(200, 405),
    # The owner and an Admin may post (an empty form: 400, nothing saved); nobody else.
    "milestones:update": {
        "anonymous": (LOGIN, LOGIN),
        "board": (405, 403),
        "lead": (405, 400),
        "other_lead": (405, 403),
        "admin": (405, 400),
    },
    "milestones:assign": admin_posts(400),
    "measures:detail": signed_in(200, 405),
    "measures:values_csv": signed_in(200, 405),
    "measures:spc_limits": admin_posts(400),
    "measures:import_start": admin_only(200, 400),
    "measures:import_template": admin_reads(200),
    "measures:import_list": admin_reads(200),
    "measures:import_preview": admin_reads(200),
    # An Admin's confirm imports the file: allowed, so it may change rows.
    "measures:import_confirm": admin_posts(302),
    # Everyone signed in sees the periods; an Admin schedules (an empty form: 400), opens,
    # closes (a period not yet open: 409) and changes dates (an empty form: 400).
    "reporting:periods": {
        "anonymous": (LOGIN, LOGIN),
        "board": (200, 403),
        "lead": (200, 403),
        "other_lead": (200, 403),
        "admin": (200, 400),
    },
    "reporting:period_report": signed_in(200, 405),
    "reporting:period_report_pdf": signed_in(200, 405),
    "reporting:sign_off": admin_posts(400),
    # Anyone signed in sees the updates awaiting them; only a named approver of the strategy
    # (here the board member) decides one: approving it (302), or returning it with no reason
    # given (400). To anyone else the update is not there.
    "reporting:approvals": signed_in(200, 405),
    "reporting:approve": {
        "anonymous": (LOGIN, LOGIN),
        "board": (405, 302),
        "lead": (405, 404),
        "other_lead": (405, 404),
        "admin": (405, 404),
    },
    "reporting:return": {
        "anonymous": (LOGIN, LOGIN),
        "board": (405, 400),
        "lead": (405, 404),
        "other_lead": (405, 404),
        "admin": (405, 404),
    },
    # Leads and Admins send returns (an empty one changes nothing and says so); board members
    # have no milestones to report on.
    "reporting:quarterly_return": {
        "anonymous": (LOGIN, LOGIN),
        "board": (403, 403),
        "lead": (200, 302),
        "other_lead": (200, 302),
        "admin": (200, 302),
    },
    "reporting:period_dates": admin_posts(400),
    "reporting:period_open": admin_posts(302),
    "reporting:period_close": admin_posts(409),
    # Every board page as at a closed quarter, for anyone signed in; the quarter selector
    # (with nothing chosen) goes back to today's dashboard.
    "reporting:as_at": signed_in(302, 405),
    "reporting:as_at_strategies": signed_in(200, 405),
    "reporting:as_at_dashboard": signed_in(200, 405),
    "reporting:as_at_priority": signed_in(200, 405),
    "reporting:as_at_objective": signed_in(200, 405),
    "reporting:as_at_measure": signed_in(200, 405),
    # Board packs are an Admin's (an empty request: 400, nothing queued).
    "reporting:packs": admin_only(200, 400),
    "reporting:pack_status": admin_reads(200),
    "reporting:pack_pdf": admin_reads(200),
    # Single sign-on is not set up in the tests' settings, so its pages are not there.
    "sso:start": everyone(404, 405),
    "sso:callback": everyone(404, 405),
    # The strategy editor is an Admin's: an empty form is shown again with its errors (400);
    # archiving asks first (GET) and then archives (302); nothing archived cannot be restored.
    "editor:new_strategy": admin_only(200, 400),
    "editor:strategy": admin_only(200, 400),
    "editor:add_priority": admin_posts(400),
    "editor:item": admin_only(200, 400),
    "editor:add_child": admin_posts(400),
    "editor:add_measure": admin_only(200, 400),
    "editor:move": admin_posts(302),
    "editor:archive": admin_only(200, 302),
    # The objective is not archived: the Admin is told so, and nothing changes.
    "editor:restore": admin_posts(302),
    "editor:template": admin_reads(200),
    "editor:workbook": admin_reads(200),
    "editor:items_csv": admin_reads(200),
    "editor:import_start": admin_only(200, 400),
    "editor:import_into": admin_only(200, 400),
    "editor:import_preview": admin_reads(200),
    # Confirmed without the preview's fingerprint: refused as out of date, nothing written.
    "editor:import_confirm": admin_posts(409),
    "api:organisation-list": api_reads(),
    "api:organisation-detail": api_reads(),
    "api:strategy-list": api_reads(),
    "api:strategy-detail": api_reads(),
    "api:measure-list": api_reads(),
    "api:measure-detail": api_reads(),
    "api:value-list": api_reads(),
    "api:value-detail": api_reads(),
    "api:values-csv": api_reads(),
    "api:snapshot-list": api_reads(),
    "api:snapshot-detail": api_reads(),
    "api:milestone-list": api_reads(),
    "api:milestone-detail": api_reads(),
    "api:milestone-history": api_reads(),
    "api:priority-list": api_reads(),
    "api:priority-detail": api_reads(),
    "api:objective-list": api_reads(),
    "api:objective-detail": api_reads(),
    # The schema and its browsable documentation say what the API has, to anyone.
    "api:docs": everyone(200, 405),
    # The schema says what the API has, to anyone.
    "api:schema": everyone(200, 405),
    # Each person's own tokens; an empty form is shown again with its errors.
    "api:tokens": signed_in(200, 400),
    # Only the token's own person revokes it (here the lead's); to anyone else it is not there.
    "api:revoke": {
        "anonymous": (LOGIN, LOGIN),
        "board": (405, 404),
        "lead": (405, 302),
        "other_lead": (405, 404),
        "admin": (405, 404),
    },
    # A strategy's public view is run by its lead organisation's Admins (an empty form: 400).
    "publication:manage": admin_only(200, 400),
    # Those who import a measure's figures rate their quality (an empty form: 400).
    "measures:data_quality": admin_only(200, 400),
    "risks:register": signed_in(200, 405),
    "risks:detail": signed_in(200, 405),
    # An Admin adds and changes risks (an empty form: 400, nothing changed); a risk's owner
    # changes theirs, which no role here owns.
    "risks:add": admin_only(200, 400),
    "risks:edit": admin_only(200, 400),
    # The public view: "s" is published, so its closed quarter is anyone's to read, signed in
    # or not, in any organisation or none; nothing there is written.
    **{f"public:{name}": everyone(200, 405) for name in PUBLIC_PAGES},
}
# The Django admin is the site administrators' alone (tests in strategy_tracker/tests/
# test_user_admin.py and test_login_required.py); here only its front door is checked.
ADMIN_SITE = {role: (302, 302) for role in ROLES}


def _names(patterns, namespace="") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_has_an_entry_in_the_matrix():
    names = {n for n in _names(get_resolver().url_patterns) if not n.startswith("admin:")}
    assert names == set(MATRIX), f"Add these to MATRIX: {sorted(names - set(MATRIX))}"


@pytest.fixture(scope="module")
def world(module_transaction):
    """Built once for the module: each test's requests roll back what they change."""
    from strategy_tracker.roles import ADMIN, APPROVER, BOARD_MEMBER, PROGRAMME_LEAD

    make_member = create_member

    strategy = make_strategy(slug="s")
    a, b = strategy.organisation, Organisation.objects.create(name="Organisation B")
    board_member = make_member("board", {a: [BOARD_MEMBER, APPROVER]})
    programme_lead = make_member("lead", {a: [PROGRAMME_LEAD]})
    other = make_member("other", {a: [PROGRAMME_LEAD]})
    admin_user = make_member("admin", {a: [ADMIN]})
    objective = make_objective(make_priority(strategy, number=1), number=1)
    milestone = make_milestone(
        objective, owner=programme_lead, due_date=dt.date.today() + dt.timedelta(days=100)
    )
    measure = make_measure(objective, code="M1", unit="count")
    MeasureValue.objects.create(measure=measure, period_end=dt.date(2024, 3, 31), value=Decimal(1))
    batch = store_upload(
        user=admin_user, file_name="f.csv", data=b"measure_code,period_end,value\nM1,2024-06-30,2\n"
    )
    period = ReportingPeriod.objects.create(
        strategy=strategy,
        year=2024,
        quarter=2,
        opens_on=dt.date(2024, 9, 16),
        closes_on=dt.date(2024, 10, 21),
    )
    closed = ReportingPeriod.objects.create(
        strategy=strategy,
        year=2024,
        quarter=1,
        opens_on=dt.date(2024, 6, 16),
        closes_on=dt.date(2024, 7, 21),
        state="closed",
        closed_at=dt.datetime(2024, 7, 2, tzinfo=dt.UTC),
    )
    Publication.objects.create(strategy=strategy, is_public=True)
    risk = make_risk(objective)
    for position, (level, object_id, key, number) in enumerate(
        [
            ("strategy", strategy.pk, "", ""),
            ("priority", objective.priority.pk, "1", "1"),
            ("objective", objective.pk, "1", "1.1"),
            ("measure", measure.pk, "1", "M1"),
        ]
    ):
        SnapshotItem.objects.create(
            period=closed,
            level=level,
            object_id=object_id,
            position=position,
            priority_key=key,
            number=number,
            title=f"{level} as it was",
            rag="grey",
            reason="No update",
        )
    pack = BoardPack.objects.create(
        year=2024, quarter=1, requested_by=admin_user, total=1, state="done", pdf=b"%PDF-1.7"
    )
    pack.periods.set([closed])
    strategy.approvers.add(board_member)
    workbook = WorkbookUpload.objects.create(
        uploaded_by=admin_user,
        file_name="s.xlsx",
        content=write_workbook({}, [r for r in item_rows(strategy) if r["level"] != "measure"]),
        into=Strategy.objects.create(
            organisation=strategy.organisation,
            slug="draft",
            title="Draft",
            period_start=strategy.period_start,
            period_end=strategy.period_end,
        ),
    )
    submission = Submission.objects.create(
        milestone=milestone,
        status="complete",
        base_version=milestone.version,
        submitted_by=programme_lead,
    )
    args = {
        "reporting:sign_off": ["s"],
        "reporting:approve": [submission.pk],
        "reporting:return": [submission.pk],
        "reporting:periods": ["s"],
        "reporting:period_report": ["s", closed.pk],
        "reporting:period_report_pdf": ["s", closed.pk],
        "reporting:period_dates": ["s", period.pk],
        "reporting:period_open": ["s", period.pk],
        "reporting:period_close": ["s", period.pk],
        "reporting:as_at": ["s"],
        "reporting:as_at_dashboard": ["s", closed.pk],
        "reporting:as_at_priority": ["s", closed.pk, "1"],
        "reporting:as_at_objective": ["s", closed.pk, "1", 1],
        "reporting:as_at_measure": ["s", closed.pk, "M1"],
        "reporting:pack_status": [pack.pk],
        "reporting:pack_pdf": [pack.pk],
        "objectives:strategy_detail": ["s"],
        "objectives:strategy_status": ["s"],
        "objectives:strategy_milestones": ["s"],
        "objectives:strategy_export_json": ["s"],
        "objectives:strategy_values_csv": ["s"],
        "objectives:priority_detail": ["s", "1"],
        "objectives:objective_detail": ["s", "1", 1],
        "milestones:detail": ["s", "1", 1, milestone.pk],
        "milestones:update": ["s", "1", 1, milestone.pk],
        "milestones:assign": ["s", "1", 1, milestone.pk],
        "measures:detail": ["M1"],
        "measures:values_csv": ["M1"],
        "measures:spc_limits": ["M1"],
        "measures:data_quality": ["M1"],
        "measures:import_preview": [batch.pk],
        "measures:import_confirm": [batch.pk],
        "password_reset_confirm": ["MQ", "not-a-valid-token"],
        "editor:strategy": ["s"],
        "editor:add_priority": ["s"],
        "editor:item": ["s", "objective", objective.pk],
        "editor:add_child": ["s", "objective", objective.pk],
        "editor:add_measure": ["s", "objective", objective.pk],
        "editor:move": ["s", "objective", objective.pk],
        "editor:archive": ["s", "objective", objective.pk],
        "editor:restore": ["s", "objective", objective.pk],
        "editor:workbook": ["s"],
        "editor:items_csv": ["s"],
        "editor:import_into": ["s"],
        "editor:import_preview": [workbook.pk],
        "editor:import_confirm": [workbook.pk],
        "api:organisation-detail": [strategy.organisation_id],
        "api:strategy-detail": ["s"],
        "api:snapshot-detail": [SnapshotItem.objects.filter(period=closed).first().pk],
        "api:milestone-detail": [milestone.pk],
        "api:milestone-history": [milestone.pk],
        "api:measure-detail": ["M1"],
        "api:value-detail": [MeasureValue.objects.get(measure=measure).pk],
        "api:revoke": [ApiToken.issue(programme_lead, "Lead's", days=5)[0].pk],
        "api:priority-detail": [objective.priority_id],
        "api:objective-detail": [objective.pk],
        "publication:manage": ["s"],
        "risks:register": ["s"],
        "risks:detail": ["s", risk.number],
        "risks:add": ["s"],
        "risks:edit": ["s", risk.number],
        "public:strategy": ["s"],
        "public:figures_csv": ["s"],
        "public:structure_json": ["s"],
        "public:quarter": ["s", "2024-25-q1"],
        "public:report": ["s", "2024-25-q1"],
        "public:report_pdf": ["s", "2024-25-q1"],
        "public:priority": ["s", "2024-25-q1", "1"],
        "public:objective": ["s", "2024-25-q1", "1", 1],
        "public:measure": ["s", "2024-25-q1", "M1"],
    }
    users = {
        "board": board_member,
        "lead": programme_lead,
        "other_lead": other,
        "admin": admin_user,
        "board_b": make_member("board_b", {b: [BOARD_MEMBER, APPROVER]}),
        "lead_b": make_member("lead_b", {b: [PROGRAMME_LEAD]}),
        "admin_b": make_member("admin_b", {b: [ADMIN]}),
        "approver": make_member("approver", {a: [APPROVER]}),
        "site_admin": User.objects.create_superuser("site_admin", "site@example.invalid"),
    }
    # What a forger would send: a complete, valid request, so a refusal has something to stop.
    payloads = {
        "reporting:periods": {
            "quarter": "2024/25 Q3",
            "opens_on": "2024-12-17",
            "closes_on": "2025-01-21",
        },
        "reporting:period_dates": {"opens_on": "2024-09-20", "closes_on": "2024-10-25"},
        "reporting:return": {f"return-{submission.pk}-reason": "Forged"},
        "reporting:packs": {"quarter": "2024/25 Q1", "periods": [closed.pk]},
        "reporting:sign_off": {
            "requires_approval": "on",
            "approvers": [other.pk],
            "read_state": "0:",
        },
        "milestones:update": {
            "status": "complete",
            "commentary": "Forged",
            "forecast_date": "",
            "version": milestone.version,
        },
        "milestones:assign": {"owner": other.pk},
        "milestones:bulk_assign": {"milestones": [milestone.pk], "owner": other.pk},
        "measures:spc_limits": {"spc_baseline_points": 5, "reason": "Forged", "read_limits": "|"},
        "editor:new_strategy": {
            "new_organisation": "Forged",
            "title": "Forged",
            "period_start": "2024-04-01",
            "period_end": "2025-03-31",
        },
        "editor:strategy": {
            "title": "Forged",
            "period_start": "2024-04-01",
            "period_end": "2025-03-31",
            "seen": fingerprint(strategy),
        },
        "editor:add_priority": {"add-part": "1", "add-title": "Forged"},
        "editor:item": {"title": "Forged", "seen": fingerprint(objective)},
        "editor:add_child": {"add-title": "Forged"},
        "editor:add_measure": {
            "code": "FORGED",
            "name": "Forged",
            "kind": "success",
            "unit": "count",
            "direction": "none",
            "tolerance": "0",
        },
        "editor:move": {"direction": "down", "seen": str(objective.pk)},
        "api:tokens": {"name": "Forged", "days": 5},
        "publication:manage": {"action": "unpublish", "version": 1},
        "measures:data_quality": {
            name: "met"
            for name in ("timeliness", "completeness", "validity", "process", "source", "sign_off")
        },
        "risks:add": RISK_FORM | {"objectives": [objective.pk]},
        "risks:edit": RISK_FORM | {"objectives": [objective.pk], "version": risk.version},
        "password_change": {
            "old_password": "correct-horse-battery-staple",
            "new_password1": "Forged-new-password-1",
            "new_password2": "Forged-new-password-1",
        },
    }
    # Each person signed in once, for every test: their session rows outlive each test's
    # rollback, and signing in afresh for each request was a fifth of this module's time.
    sessions = {}
    for role, user in users.items():
        signing_in = Client()
        signing_in.force_login(user)
        sessions[role] = signing_in.cookies[settings.SESSION_COOKIE_NAME].value
    return args, sessions, payloads


RISK_FORM = {
    "title": "Forged",
    "cause": "Forged",
    "event": "Forged",
    "effect": "Forged",
    "status": "open",
    **{
        f"{w}_{p}": "3" for w in ("inherent", "current", "target") for p in ("likelihood", "impact")
    },
    "appetite": "open",
    "review_date": "2099-01-01",
    "actions-TOTAL_FORMS": "0",
    "actions-INITIAL_FORMS": "0",
}


def fingerprint(item) -> str:
    """What the editor's form for the item carries as `seen`."""
    form = (StrategyForm if isinstance(item, Strategy) else ObjectiveForm)(instance=item)
    return hashed(form.guarded_values(item))


def _rows() -> tuple:
    """What any write would change: every history table gets a row for every change. Counted
    in one query: a count through each model's manager took most of this test's time."""
    with connection.cursor() as cursor:
        cursor.execute(_COUNTS)
        return tuple(cursor.fetchone())


def _counts_sql() -> str:
    from simple_history.models import registered_models

    tables = [model.history.model._meta.db_table for model in registered_models.values()]
    tables += [
        m._meta.db_table
        for m in (
            MilestoneDelegate,
            Strategy.approvers.through,
            Strategy.partners.through,
            ApiToken,
            WorkbookUpload,
            User,
        )
    ]
    counts = [f"(SELECT COUNT(*) FROM {connection.ops.quote_name(t)})" for t in tables]
    quote = connection.ops.quote_name
    batches, tokens = quote(ImportBatch._meta.db_table), quote(ApiToken._meta.db_table)
    imported = f"(SELECT COUNT(*) FROM {batches} WHERE status = 'imported')"
    revoked = f"(SELECT COUNT(*) FROM {tokens} WHERE revoked_at IS NOT NULL)"
    return f"SELECT {', '.join([*counts, imported, revoked])}"


_COUNTS = _counts_sql()


# Pages that refuse a role before looking anything up: B's people get the same refusal as
# their counterpart in A, not "not found".
REFUSED_BY_ROLE_FIRST = {
    name
    for name in MATRIX
    if name.startswith(("editor:", "measures:import", "reporting:pack"))
    or name
    in {
        "measures:spc_limits",
        "milestones:assign",
        "milestones:bulk_assign",
        "objectives:strategy_status",
        "reporting:quarterly_return",
    }
}


# Pages that show B's people what their organisation has, which here is nothing: the quarters
# page says that no strategy they can see has closed a quarter.
FOR_OTHER_ORGANISATION = {"reporting:as_at_strategies": (404, 405)} | {
    f"public:{name}": (200, 405)
    for name in PUBLIC_PAGES  # the public's, so theirs too
}


def expected(name: str, role: str, addressed: bool) -> tuple:
    """(GET, POST) statuses for `role` at `name`; `addressed`: the URL names something of A's."""
    if role in LIKE:
        return LIKE_EXCEPT[role].get(name) or expected(name, LIKE[role], addressed)
    if name == "admin:index":
        return ADMIN_SITE[OTHER_ORGANISATION.get(role, role)]
    if role not in OTHER_ORGANISATION:
        return MATRIX[name][role]
    if name in FOR_OTHER_ORGANISATION:
        return FOR_OTHER_ORGANISATION[name]
    theirs = MATRIX[name][OTHER_ORGANISATION[role]]
    if not addressed:
        return theirs
    return tuple(
        status
        if status in (LOGIN, 405) or (status == 403 and name in REFUSED_BY_ROLE_FIRST)
        else 404
        for status in theirs
    )


# People who get what another role gets, but where said: an Approver of A who holds no other
# role reads as A's board member does, and decides no update, not being the strategy's named
# approver; a site administrator, who holds no membership, does what A's Admin does, opens
# the Django admin, and, as any Admin, not another Admin's strategy workbook upload (a
# figures upload they do open: README, Roles).
LIKE = {"approver": "board", "site_admin": "admin"}
LIKE_EXCEPT = {
    "approver": {"reporting:approve": (405, 404), "reporting:return": (405, 404)},
    "site_admin": {
        "admin:index": (200, 200),
        "editor:import_preview": (404, 405),
        "editor:import_confirm": (405, 404),
    },
}


# The PDFs are printed by Chromium: left to `make test`, as the browser journeys are.
PRINTED = {"public:report_pdf", "reporting:period_report_pdf"}


# About 1,700 requests: `make test` and CI send them all; `make test-fast` leaves them out, and
# checks only that every URL is in MATRIX (above).
@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=pytest.mark.pdf) if n in PRINTED else n for n in sorted(MATRIX)]
    + ["admin:index"],
)
def test_each_role_gets_the_expected_status_and_a_refusal_changes_nothing(client, world, name):
    args = world[0]
    url = reverse(name, args=args.get(name, []))
    addressed = name in args and name != "password_reset_confirm"
    # The people LIKE another role first, each on the world as the test found it: what they
    # are allowed to change is rolled back, so the one they are like meets the same world.
    for role in LIKE:
        with transaction.atomic():
            _requests_of(client, world, name, url, role, addressed)
            transaction.set_rollback(True)
    for role in ROLES + list(OTHER_ORGANISATION):
        _requests_of(client, world, name, url, role, addressed)


def _requests_of(client, world, name: str, url: str, role: str, addressed: bool) -> None:
    _, sessions, payloads = world
    client.cookies.clear()
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
    statuses = expected(name, role, addressed)
    for method, expected_status in zip(("get", "post"), statuses, strict=True):
        before = _rows()
        refused = expected_status == LOGIN or expected_status >= 403
        # B's people always send what a forger would (but for their own password): nothing
        # of A's may change.
        own = name in ("password_change", "api:tokens")  # what B's people send is theirs
        forged = refused or (role in OTHER_ORGANISATION and not own)
        data = payloads.get(name, {}) if method == "post" and forged else {}
        response = getattr(client, method)(url, data)
        if expected_status == LOGIN:
            assert response.status_code == 302, (name, role, method)
            assert response["Location"].startswith(reverse("login")), (name, role, method)
        else:
            assert response.status_code == expected_status, (
                name,
                role,
                method,
                response.status_code,
            )
        refused = response.status_code >= 400 or expected_status == LOGIN
        if refused or role in OTHER_ORGANISATION:
            assert _rows() == before, f"{name}: a {method} by {role} changed data"
