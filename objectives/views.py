from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from objectives.models import Objective, Priority, Strategy
from objectives.strategy_json import export_strategy, strategy_queryset


def strategy_list(request: HttpRequest) -> HttpResponse:
    strategies = Strategy.objects.select_related("organisation").annotate(
        priority_count=Count("priorities", distinct=True),
        objective_count=Count("priorities__objectives", distinct=True),
    )
    return render(request, "objectives/strategy_list.html", {"strategies": strategies})


def strategy_detail(request: HttpRequest, slug: str) -> HttpResponse:
    objectives = Objective.objects.annotate(
        milestone_count=Count("milestones", distinct=True),
        measure_count=Count("measures", distinct=True),
    ).order_by("number")
    priorities = (
        Priority.objects.annotate(measure_count=Count("measures"))
        .order_by("part", "number")
        .prefetch_related(Prefetch("objectives", queryset=objectives))
    )
    strategy = get_object_or_404(
        Strategy.objects.select_related("organisation").prefetch_related(
            Prefetch("priorities", queryset=priorities)
        ),
        slug=slug,
    )
    return render(request, "objectives/strategy_detail.html", {"strategy": strategy})


def strategy_export_json(request: HttpRequest, slug: str) -> JsonResponse:
    strategy = get_object_or_404(strategy_queryset(), slug=slug)
    response = JsonResponse(
        export_strategy(strategy), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    response["Content-Disposition"] = f'attachment; filename="{strategy.slug}.json"'
    return response
