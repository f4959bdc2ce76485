from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from measures.models import Measure


def measure_detail(request: HttpRequest, code: str) -> HttpResponse:
    measure = get_object_or_404(
        Measure.objects.select_related(
            "priority__strategy", "objective__priority__strategy"
        ).prefetch_related("values"),
        code=code,
    )
    return render(request, "measures/measure_detail.html", {"measure": measure})
