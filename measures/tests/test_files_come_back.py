"""Files brought into the app: none is stored garbled, and what the app exports comes back."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from editor.workbook_files import WorkbookError, read_strategy_file
from measures.csv_files import CsvFileError, check_csv
from measures.models import MeasureValue

pytestmark = pytest.mark.django_db

# Excel for Mac's "Comma Separated Values": Mac Roman, rows ended by CR; a line break typed
# in a cell (Alt+Enter) is saved as LF inside the quoted cell, as Excel does everywhere.
MAC_ROMAN_FIGURES = (
    "measure_code,period_end,value,note\r"
    'CNT,2024-03-31,5,"It\u2019s up \u2013 see Q4\nsecond line"\r'
).encode("mac_roman")
MAC_ROMAN_ITEMS = (
    "Level,Number,Parent,Title,Description\r"
    'priority,1,,Children\u2019s health \u2013 first,"a\nb"\r'
).encode("mac_roman")


def test_a_mac_roman_figures_file_with_a_line_break_in_a_note_is_refused_not_garbled():
    """README: a file whose lines end in CR alone with accented letters not UTF-8 (Mac Roman,
    whose ’ and – would read as Õ and Ð) is refused. One LF inside a quoted note let it
    through as Windows-1252: the note was stored as "ItÕs up Ð see Q4"."""
    with pytest.raises(CsvFileError, match="Excel for Mac"):
        check_csv(MAC_ROMAN_FIGURES, 10_485_760)


def test_a_mac_roman_items_csv_with_a_line_break_in_a_cell_is_refused_not_garbled():
    with pytest.raises(WorkbookError, match="Excel for Mac"):
        read_strategy_file(MAC_ROMAN_ITEMS, "items.csv", 10_485_760)


def _round_trip(client, admin_user, measures, note):
    MeasureValue.objects.create(
        measure=measures["NUM"], period_end=dt.date(2024, 6, 30), value=Decimal(7), note=note
    )
    client.force_login(admin_user)
    exported = client.get("/measures/NUM/values.csv").content
    response = client.post("/measures/import/", {"file": SimpleUploadedFile("back.csv", exported)})
    assert response.status_code == 302, response.context["form"].errors
    return client.get(response["Location"]).context["report"]


def test_a_10000_character_note_the_import_took_imports_back_after_its_export(
    client, admin_user, measures
):
    """The import takes a cell of 10,000 characters; the export puts an apostrophe before a
    note starting with -, =, + or @, making it 10,001, and the whole file is refused."""
    note = "-5 against plan. " + "x" * (10_000 - 17)
    assert len(note) == 10_000
    report = _round_trip(client, admin_user, measures, note)
    assert report.summary == "0 new, 0 updated, 1 unchanged"


def test_a_strategy_file_with_a_note_longer_than_a_figures_file_may_carry_loads_nothing():
    """Stored, it could never come back through the figures file (a cell holds 10,000)."""
    from objectives.models import Strategy
    from objectives.strategy_json import StrategyImportError, export_strategy, import_strategy
    from tests.factories import make_measure, make_objective, make_priority, make_strategy

    strategy = make_strategy(slug="long", period_start=dt.date(2020, 4, 1))
    measure = make_measure(make_objective(make_priority(strategy)), code="LONG-1")
    MeasureValue.objects.create(
        measure=measure, period_end=dt.date(2024, 6, 30), value=Decimal(3), note="short"
    )
    data = export_strategy(strategy)
    Strategy.objects.all().delete()
    data["priorities"][0]["objectives"][0]["measures"][0]["values"][0]["note"] = "x" * 10_001
    with pytest.raises(StrategyImportError, match="value 1: note: Ensure this value has at most"):
        import_strategy(data, today=dt.date(2025, 1, 1))
    assert not MeasureValue.objects.exists()


def test_a_strategy_json_with_a_key_given_twice_is_refused_not_read_as_the_last(tmp_path):
    """json.loads keeps the last of two equal keys: the first note below was dropped without a
    word, though the command refuses any key it does not read."""
    from objectives.models import Strategy
    from objectives.strategy_json import export_strategy
    from tests.factories import make_measure, make_objective, make_priority, make_strategy

    strategy = make_strategy(slug="twice", period_start=dt.date(2020, 4, 1))
    measure = make_measure(make_objective(make_priority(strategy)), code="TWICE-1")
    MeasureValue.objects.create(
        measure=measure, period_end=dt.date(2024, 6, 30), value=Decimal(3), note="placeholder"
    )
    text = json.dumps(export_strategy(strategy))
    Strategy.objects.all().delete()
    text = text.replace(
        '"note": "placeholder"', '"note": "Checked by finance on 2 July", "note": ""'
    )
    path = tmp_path / "twice.json"
    path.write_text(text, encoding="utf-8")
    try:
        call_command("import_strategy", str(path), stdout=StringIO())
    except CommandError as refusal:
        assert "note" in str(refusal)
    else:
        note = MeasureValue.objects.get(measure__code="TWICE-1").note
        pytest.fail(f"loaded, with the note {note!r}: 'Checked by finance on 2 July' was lost")
