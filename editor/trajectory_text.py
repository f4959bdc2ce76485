"""A measure's planned trajectory as one line of text, "2025-03-31=60; 2026-03-31=65": how
the editor's form and the workbook's Trajectory column both write it."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError

from measures.models import Measure, TrajectoryPoint
from measures.parsing import ParseError, parse_number
from measures.trajectory import improves_towards
from objectives.strategy_json import plain_number
from strategy_tracker.dates import long_day, short_day

Points = list[tuple[dt.date, Decimal]]


def format_points(points: Points) -> str:
    return "; ".join(f"{day.isoformat()}={plain_number(value)}" for day, value in points)


def parse_points(text: str, comma_may_be_decimal: bool = False) -> Points:
    """The points a text names, in date order; ValueError, in words, if it cannot be read.
    Each value is read as the figures import reads one (measures/parsing.py): `77,5` is
    refused, never read as 775; with `comma_may_be_decimal` (a file separated by semicolons),
    so is `2.500`, which may mean 2500."""
    points: dict[dt.date, Decimal] = {}
    for part in text.replace("\n", ";").split(";"):
        if not part.strip():
            continue
        day_text, equals, value_text = (p.strip() for p in part.partition("="))
        try:
            if not (equals and value_text):
                raise ValueError
            day = dt.date.fromisoformat(day_text)
        except ValueError:
            raise ValueError(
                f'"{part.strip()}" is not a planned point: write each as date=value, '
                "for example 2025-03-31=60, separated by semicolons."
            ) from None
        if "=" in value_text:
            # Points run together with a comma or a space, which the value's own check would
            # call a space or a comma inside the number.
            raise ValueError(
                f'"{part.strip()}" holds more than one point: separate the points with '
                "semicolons, for example 2025-03-31=60; 2026-03-31=65."
            )
        if value_text.endswith("%"):
            raise ValueError(f"{long_day(day)}: write {value_text[:-1].strip()}, without the %.")
        try:
            value = parse_number(
                value_text, allow_percent=False, comma_may_be_decimal=comma_may_be_decimal
            )
        except ParseError as error:
            raise ValueError(f"{long_day(day)}: {error}") from None
        if day in points:
            raise ValueError(f"{long_day(day)} is planned twice.")
        points[day] = value
    return sorted(points.items())


def stored_points(measure: Measure) -> Points:
    return [(p.period_end, p.value) for p in measure.trajectory.order_by("period_end")]


def point_errors(measure: Measure, points: Points) -> list[str]:
    """What is wrong with planning these points for the measure as it stands."""
    errors = []
    target_set = None not in (measure.baseline_value, measure.target_value)
    if (
        points
        and target_set
        and not improves_towards(measure.baseline_value, measure.target_value, measure.direction)
    ):
        # Stored, they would be on no page, chart or status (measures/trajectory.py).
        errors.append(
            "A trajectory needs a direction (higher or lower is better) and a target that "
            "improves on the baseline in that direction: as the measure stands it has no "
            "trajectory, so these points would not be used. Set the direction, or leave the "
            "trajectory empty."
        )
        return errors
    for day, value in points:
        try:
            TrajectoryPoint(measure=measure, period_end=day, value=value).full_clean(
                exclude=["measure"]
            )
        except ValidationError as error:
            errors.extend(f"{short_day(day)}: {m}" for m in error.messages)
    return errors


def replace_points(measure: Measure, points: Points, created: bool = False) -> bool:
    """Store exactly these points; False if they were already what is stored. A measure
    just `created` has none stored, so nothing is read."""
    if created:
        for day, value in points:
            TrajectoryPoint(measure=measure, period_end=day, value=value).save()
        return bool(points)
    if stored_points(measure) == [(d, Decimal(v)) for d, v in points]:
        return False
    kept = {day for day, _ in points}
    for point in measure.trajectory.all():
        if point.period_end not in kept:
            point.delete()  # the history keeps it
    stored = {p.period_end: p for p in measure.trajectory.all()}
    for day, value in points:
        point = stored.get(day) or TrajectoryPoint(measure=measure, period_end=day)
        if point.pk is None or point.value != value:
            point.value = value
            point.save()
    return True
