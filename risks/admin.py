from django import forms
from django.contrib import admin
from django.utils import timezone
from simple_history.utils import update_change_reason

from risks.models import Risk, RiskAction, refused_owner
from strategy_tracker.admin_bases import TrackedHistoryAdmin, TrackedInlineMixin
from strategy_tracker.admin_forms import ReadStateForm


class RiskAdminForm(ReadStateForm):
    """The admin's form: the same rules as the app's (links within the strategy, a target
    no higher than the current score) and no save over someone else's change."""

    class Meta:
        model = Risk
        exclude = ["version"]

    def clean_review_date(self):
        review = self.cleaned_data["review_date"]
        if why := self.instance.refused_review_date(review, timezone.localdate()):
            raise forms.ValidationError(why)
        return review

    def clean(self):
        data = super().clean()
        # On a change page the strategy is shown, not edited (RiskAdmin): the risk's own.
        strategy = data.get("strategy") or (self.instance.strategy_id and self.instance.strategy)
        strategy = strategy or None
        closed = [s for s in (strategy, self.instance.strategy_id and self.instance.strategy) if s]
        if any(s.is_closed for s in closed):
            # As in the app: a closed strategy's risks are as they were when it closed.
            raise forms.ValidationError(
                "This risk's strategy is closed, so its risks are kept as they were: nothing "
                "was changed."
            )
        if strategy is not None:
            outside = [p for p in data.get("priorities", []) if p.strategy_id != strategy.pk]
            outside += [
                o for o in data.get("objectives", []) if o.priority.strategy_id != strategy.pk
            ]
            if outside:
                raise forms.ValidationError(
                    "Link only priorities and objectives of the risk's own strategy: "
                    + ", ".join(str(item) for item in outside)
                )
            if not data.get("priorities") and not data.get("objectives"):
                raise forms.ValidationError("Link the risk to at least one priority or objective.")
            _check_owner(self, "owner", strategy)
        return data


def _check_owner(form, field: str, strategy) -> None:
    """As the app's forms offer (risks.models.refused_owner)."""
    current = getattr(form.instance, f"{field}_id", None)
    if why := refused_owner(form.cleaned_data.get(field), strategy, current):
        form.add_error(field, why)


class RiskActionForm(ReadStateForm):
    class Meta:
        model = RiskAction
        fields = ["description", "owner", "due_date", "done"]

    def clean(self):
        data = super().clean()
        # The inline sets the risk before its rows are checked (on an add page, unsaved).
        strategy = getattr(getattr(self.instance, "risk", None), "strategy", None)
        if strategy is not None:
            _check_owner(self, "owner", strategy)
        return data


class RiskActionInline(TrackedInlineMixin, admin.TabularInline):
    model = RiskAction
    form = RiskActionForm
    extra = 0
    fields = ["description", "owner", "due_date", "done"]


@admin.register(Risk)
class RiskAdmin(TrackedHistoryAdmin):
    form = RiskAdminForm
    inlines = [RiskActionInline]
    list_display = ["__str__", "strategy", "owner", "review_date", "status"]
    list_filter = ["status", "strategy"]
    search_fields = ["title", "cause", "event", "effect"]
    list_select_related = ["strategy", "owner"]
    autocomplete_fields = ["priorities", "objectives"]

    def get_readonly_fields(self, request, obj=None):
        # A risk stays in its strategy under its reference, as in the app: moved, the old
        # strategy's next report called it closed and the new one's an outsider's.
        fixed = ["strategy", "number"] if obj is not None else []
        return [*super().get_readonly_fields(request, obj), *fixed]

    def save_related(self, request, form, formsets, change):
        # Its links, as the app's form records them: else the history said "no change".
        before = form.instance.links_text() if change else None
        super().save_related(request, form, formsets, change)
        if change and (after := form.instance.links_text()) != before:
            update_change_reason(form.instance, f"Linked to: {before} → {after}")
