"""A measure whose code came before the rule for a code's first character goes out as a
workbook and comes back: the code is named again, not refused."""

import pytest

from editor import structure_import
from editor.tests.test_structure_import import _file, _rows, _workbook_organisation, lead  # noqa: F401
from measures.models import Measure

pytestmark = pytest.mark.django_db


def test_reimporting_the_workbook_of_a_draft_whose_measure_has_an_old_code(lead, admin_user):  # noqa: F811
    structure_import.apply(structure_import.plan(_file()), admin_user)
    Measure.objects.filter(code="SMALL-SMOKING").update(code="_OLD")  # stored before the rule
    rows = _rows()
    rows[3]["code"] = "_OLD"
    plan = structure_import.plan(_file(rows))
    assert plan.ok, plan.problems
    assert plan.counts["unchanged"] == 5
