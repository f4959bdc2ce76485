from django import forms
from django.contrib import admin

from risks.models import Risk, RiskAction, refused_owner
from strategy_tracker.admin_bases import TrackedHistoryAdmin, TrackedInlineMixin
from strategy_tracker.admin_forms import ReadStateForm


class RiskAdminForm(ReadStateForm):
    """The admin's form: the same rules as the app's (links within the strategy, a target
    no higher than the current score) and no save over someone else's change."""

    class Meta:
        model = Risk
        exclude = ["version"]

    def clean(self):
        data = super().clean()
        strategy = data.get("strategy")
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
