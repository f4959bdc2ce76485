"""A whole strategy from a workbook: the template and export downloads, the upload, the
preview as a tree, and the confirm. The same steps as the figures import."""

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from editor import structure_export, structure_import
from editor.access import admins_only
from editor.forms import WorkbookForm
from editor.models import WorkbookUpload
from editor.workbook_files import WorkbookError, read_strategy_file, write_csv, write_workbook
from milestones.due_dates import in_brief
from objectives.models import Strategy

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@admins_only
def template(request: HttpRequest) -> HttpResponse:
    """An empty workbook, or one pre-filled from a strategy (?from=<slug>) to start from."""
    source = request.GET.get("from", "")
    strategy = _administered(request).filter(slug=source).first() if source else None
    if strategy is None:
        return _download(write_workbook({}, []), "strategy-template.xlsx", XLSX)
    return workbook(request, strategy.slug)


@require_GET
@admins_only
def workbook(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = get_object_or_404(_administered(request).select_related("organisation"), slug=slug)
    values, rows = structure_export.strategy_values(strategy), structure_export.item_rows(strategy)
    drawn_from = structure_export.fingerprint(values, rows) if strategy.is_draft else ""
    content = write_workbook(values, rows, drawn_from)
    return _download(content, f"{strategy.slug}.xlsx", XLSX)


@require_GET
@admins_only
def items_csv(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = get_object_or_404(_administered(request).select_related("organisation"), slug=slug)
    values, rows = structure_export.strategy_values(strategy), structure_export.item_rows(strategy)
    drawn_from = structure_export.fingerprint(values, rows) if strategy.is_draft else ""
    content = write_csv(rows, drawn_from, strategy.illustrative)
    return _download(content, f"{strategy.slug}-items.csv", "text/csv; charset=utf-8")


@admins_only
def import_start(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    into = get_object_or_404(_administered(request), slug=slug) if slug else None
    form = WorkbookForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            _read(content, upload.name)
        except WorkbookError as refusal:
            form.add_error("file", str(refusal))
        else:
            stored = WorkbookUpload.objects.create(
                uploaded_by=request.user, file_name=upload.name[:255], content=content, into=into
            )
            WorkbookUpload.objects.expired().delete()
            return redirect(stored)
    status = 400 if request.method == "POST" else 200
    strategies = _administered(request).order_by("title").only("title", "slug")
    context = {"form": form, "into": into, "strategies": strategies, "strategy": into}
    return render(request, "editor/import_start.html", context, status=status)


def _administered(request: HttpRequest):
    return Strategy.objects.administered_by(request.user)


def _read(content: bytes, name: str):
    return read_strategy_file(
        content, name, settings.WORKBOOK_MAX_BYTES, settings.WORKBOOK_MAX_ROWS
    )


def _upload(request: HttpRequest, pk: int) -> WorkbookUpload:
    # Only the Admin who uploaded a file previews and imports it.
    return get_object_or_404(
        WorkbookUpload.objects.select_related("into"), pk=pk, uploaded_by=request.user
    )


@require_GET
@admins_only
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _upload(request, pk)
    return _preview(
        request,
        upload,
        structure_import.plan(
            _read(bytes(upload.content), upload.file_name), upload.into, by=request.user
        ),
    )


def _preview(request, upload, plan, status=200) -> HttpResponse:
    context = {"upload": upload, "plan": plan, "strategy": upload.into}
    return render(request, "editor/import_preview.html", context, status=status)


@require_POST
@admins_only
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _upload(request, pk)
    if upload.imported_at:
        return _imported_already(request, upload)
    file = _read(bytes(upload.content), upload.file_name)
    with transaction.atomic():
        if upload.into is not None:
            # Held until the import commits: a second confirm waits, then sees it done.
            Strategy.objects.select_for_update().filter(pk=upload.into.pk).exists()
        WorkbookUpload.objects.select_for_update().filter(pk=upload.pk).exists()
        upload.refresh_from_db()
        if upload.imported_at:  # by a confirm sent at the same time (two tabs, a double click)
            return _imported_already(request, upload)
        plan = structure_import.plan(file, upload.into, by=request.user)
        if not plan.ok or plan.digest != request.POST.get("seen", ""):
            if plan.ok:
                messages.error(
                    request,
                    "The strategy changed since this preview, so nothing was imported. This "
                    "is what the file would do now: check it, then import again.",
                )
            return _preview(request, upload, plan, status=409 if plan.ok else 400)
        try:
            with transaction.atomic():
                strategy = structure_import.apply(plan, request.user)
        except IntegrityError:
            # A new strategy has no row to hold: another upload confirmed at the same time
            # took its short name or a measure code first. Nothing of this one is written.
            messages.error(
                request,
                "Another import took this strategy's short name or a measure code while this "
                "one was being confirmed, so nothing was imported. This is what the file "
                "would do now.",
            )
            return _preview(
                request,
                upload,
                structure_import.plan(file, upload.into, by=request.user),
                status=409,
            )
        upload.imported_at, upload.imported_into = timezone.now(), strategy
        upload.save(update_fields=["imported_at", "imported_into"])
    messages.success(
        request,
        f"Imported {upload.file_name}: {plan.count('new')} new, {plan.count('updated')} "
        f"updated, {plan.count('unchanged')} unchanged, {plan.count('archived')} archived. "
        f"{strategy.title} is a draft until it is published.",
    )
    if plan.notes:
        messages.warning(
            request,
            f"Imported as the file gives them, as the preview said: {in_brief(plan.notes)} "
            "Correct them in the editor if the document says otherwise.",
        )
    return redirect("editor:strategy", strategy.slug)


def _imported_already(request: HttpRequest, upload: WorkbookUpload) -> HttpResponse:
    messages.info(request, "This file was imported already; nothing more was changed.")
    if upload.imported_into is None:  # the strategy has since been deleted
        return redirect("objectives:strategy_list")
    return redirect("editor:strategy", upload.imported_into.slug)
