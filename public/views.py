"""The public view (/public/): published strategies' closed quarters for anyone, signed in or
not. Pages are rendered without the request, so nothing of a visitor (their name, a session,
a form's token) can reach one; public/caching.py makes them cacheable."""

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.loader import render_to_string

from objectives.converters import PriorityKeyConverter
from public import open_data
from public.caching import index_etag, public_page, strategy_etag
from public.models import Publication
from public.pages import published_for, quarter_of_key
from reporting import as_at
from reporting.pdf import PrintFailed, pdf_of
from reporting.quarters import file_name_of
from reporting.report import pdf_title


def _page(template: str, context: dict, status: int = 200) -> HttpResponse:
    return HttpResponse(render_to_string(f"public/{template}", context), status=status)


@public_page(index_etag)
def index(request: HttpRequest) -> HttpResponse:
    publications = (
        Publication.objects.public()
        .select_related("strategy__organisation")
        .order_by("strategy__organisation__name", "strategy__title")
    )
    return _page("index.html", {"publications": publications})


@public_page()
def accessibility(request: HttpRequest) -> HttpResponse:
    return _page("accessibility.html", {})


@public_page(strategy_etag)
def strategy(request: HttpRequest, slug: str) -> HttpResponse:
    """The strategy and its latest closed quarter."""
    public = published_for(request, slug)
    periods = public.periods()
    context = {"public": public, "strategy": public.strategy, "periods": periods}
    if periods:
        context |= public.report(periods[0])
    return _page("strategy.html", context)


def _quarter(request: HttpRequest, slug: str, quarter: str, **charts: bool):
    public = published_for(request, slug)
    return public, public.report(public.period(quarter_of_key(quarter)), **charts)


@public_page(strategy_etag)
def quarter(request: HttpRequest, slug: str, quarter: str) -> HttpResponse:
    public, context = _quarter(request, slug, quarter)
    context["periods"] = public.periods()
    return _page("strategy.html", context)


@public_page(strategy_etag)
def priority(request: HttpRequest, slug: str, quarter: str, key: tuple[int, int]) -> HttpResponse:
    public, context = _quarter(request, slug, quarter)
    part = as_at.priority_part(context["report"], _key(key))
    if part is None:
        raise Http404("That priority is not published for this quarter.")
    return _page("priority.html", context | {"part": part})


@public_page(strategy_etag)
def objective(
    request: HttpRequest, slug: str, quarter: str, key: tuple[int, int], number: int
) -> HttpResponse:
    public, context = _quarter(request, slug, quarter)
    key = _key(key)
    part = as_at.priority_part(context["report"], key)
    found = part and as_at.objective_part(part, key, number)
    if not found:
        raise Http404("That objective is not published for this quarter.")
    return _page("objective.html", context | {"part": part, "objective_part": found})


@public_page(strategy_etag)
def measure(request: HttpRequest, slug: str, quarter: str, code: str) -> HttpResponse:
    public, context = _quarter(request, slug, quarter, charts=True, chart_data=True)
    row = as_at.measure_row(context["report"], code)
    if row is None:
        raise Http404("That measure is not published for this quarter.")
    return _page("measure.html", context | {"row": row})


@public_page(strategy_etag)
def report(request: HttpRequest, slug: str, quarter: str) -> HttpResponse:
    public, context = _quarter(request, slug, quarter, charts=True)
    return _page("report.html", context)


@public_page(strategy_etag)
def report_pdf(request: HttpRequest, slug: str, quarter: str) -> HttpResponse:
    public, context = _quarter(request, slug, quarter, charts=True)
    html = render_to_string("public/report_pdf.html", context)
    try:
        data = pdf_of(html, pdf_title(context))
    except PrintFailed as failure:
        return _page("pdf_unavailable.html", context | {"why": failure}, status=503)
    response = HttpResponse(data, content_type="application/pdf")
    name = f"{slug}-{file_name_of(context['period'].financial_quarter)}"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@public_page(strategy_etag)
def figures_csv(request: HttpRequest, slug: str) -> HttpResponse:
    public = published_for(request, slug)
    response = StreamingHttpResponse(
        open_data.figures_csv(public), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{slug}-figures.csv"'
    return response


# No ETag: the structure is the live one, edited item by item, which the strategy's tag does
# not follow; a copy may be kept for MAX_AGE_S.
@public_page()
def structure_json(request: HttpRequest, slug: str) -> HttpResponse:
    public = published_for(request, slug)
    response = HttpResponse(
        open_data.structure_json(public), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{slug}.json"'
    return response


def _key(key: tuple[int, int]) -> str:
    return PriorityKeyConverter().to_url(key)
