"""A value saved or deleted one at a time (a form, the Django admin, a strategy's JSON) makes
its measure's stored reading stale; a measure's settings saved ask for it to be worked out
again. The figures import marks what it writes itself (measures/importing.py)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from measures.models import Measure, MeasureValue
from measures.readings import ask_worker, mark_changed


@receiver([post_save, post_delete], sender=MeasureValue)
def value_written(sender, instance: MeasureValue, **kwargs) -> None:
    origin = kwargs.get("origin")  # what a delete started from
    if origin is not None and not (
        isinstance(origin, MeasureValue) or getattr(origin, "model", None) is MeasureValue
    ):
        return  # the measure itself is going, and its reading with it
    mark_changed([instance.measure_id])


@receiver(post_save, sender=Measure)
def measure_saved(sender, instance: Measure, **kwargs) -> None:
    ask_worker([instance.pk])
