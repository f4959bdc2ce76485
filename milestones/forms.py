import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from milestones.models import (
    STATUSES_NEEDING_COMMENTARY,
    Milestone,
    MilestoneDelegate,
    MilestoneStatus,
    holders,
)
from milestones.status import CLOSED
from objectives.models import Organisation
from strategy_tracker.forms import (
    INCOMPLETE,
    ChoiceOfRows,
    DateInput,
    MultilineTextField,
    UserChoiceField,
    UsersChoiceField,
    normalise_line_breaks,
)
from strategy_tracker.people import as_id, display_name
from strategy_tracker.plausible_dates import plausible_date
from strategy_tracker.visible_text import printable, says_something

COMMENTARY_MAX = 2000


class MilestoneUpdateForm(forms.Form):
    """A lead's monthly update: status, a line of commentary, and a forecast if it slips."""

    status = forms.ChoiceField(choices=Milestone.Status.choices)
    commentary = MultilineTextField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=COMMENTARY_MAX,
        help_text="Required when the milestone is at risk, off track or cancelled, when the "
        "forecast is later than the due date, or when a cancelled milestone is reopened. "
        f"Up to {COMMENTARY_MAX:,} characters.",
    )
    forecast_date = forms.DateField(
        required=False,
        widget=DateInput(),
        help_text="When you now expect it to be done, if not by its due date.",
        validators=[plausible_date],
        error_messages={"invalid": "Enter the forecast as a date, for example 2027-03-31."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    # The update awaiting approval the page showed, if any: saving replaces that one only.
    waiting = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The submitted or returned update whose words the form started from, if any.
    words_from = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, milestone: Milestone, **kwargs):
        self.milestone = milestone
        kwargs["initial"] = {
            "status": milestone.status,
            "commentary": milestone.commentary,
            "forecast_date": milestone.forecast_date,
            "version": milestone.version,
        } | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)
        self.fields["commentary"].error_messages["max_length"] = (
            f"Keep the commentary to {COMMENTARY_MAX} characters or fewer (it has %(show_value)d)."
        )

    def clean_forecast_date(self) -> dt.date | None:
        forecast = self.cleaned_data["forecast_date"]
        start = self.milestone.objective.priority.strategy.period_start
        if forecast and forecast < start:
            raise forms.ValidationError(
                f"The forecast cannot be before the strategy starts ({start:%-d %B %Y})."
            )
        return forecast

    def clean(self):
        """Commentary must explain a change that needs explaining. Last month's line, left
        in the box, explains nothing new, so such a change needs commentary of its own."""
        data = super().clean()
        if "commentary" in self.errors:  # too long: that is what to say, not that it is missing
            return data
        status, commentary = data.get("status"), (data.get("commentary") or "").strip()
        if not says_something(commentary):
            # Invisible characters alone explain nothing, and are not kept as commentary.
            commentary = data["commentary"] = ""
        forecast, due = data.get("forecast_date"), self.milestone.due_date
        saved = self.milestone
        new_line = (
            bool(commentary) and commentary != normalise_line_breaks(saved.commentary).strip()
        )
        # When the box still holds the last update's words, say that is why.
        stale = (
            " The commentary is still the last update's: write what is new." if commentary else ""
        )
        if status in STATUSES_NEEDING_COMMENTARY:
            label = Milestone.Status(status).label.lower()
            if not commentary or (status != saved.status and not new_line):
                self.add_error("commentary", f"Say why the milestone is {label}.{stale}")
                return data
        if saved.status == "cancelled" and status and status != "cancelled" and not new_line:
            self.add_error(
                "commentary", f"Say why this cancelled milestone is being reopened.{stale}"
            )
            return data
        if (
            forecast
            and forecast != saved.forecast_date
            and forecast < timezone.localdate()
            and status not in CLOSED
        ):
            self.add_error(
                "forecast_date",
                f"The forecast ({forecast:%-d %B %Y}) has passed. If it is done, choose "
                "Complete; if not, give the date you now expect it done.",
            )
            return data
        slipped = forecast and due and forecast > due
        if slipped and (not commentary or (forecast != saved.forecast_date and not new_line)):
            self.add_error(
                "commentary",
                f"Say why the forecast is later than the due date ({due:%-d %B %Y}).{stale}",
            )
        return data


def typed_update(posted, prefix: str = "") -> list[tuple[str, str]]:
    """What someone typed into a milestone update (the form's fields, under `prefix` on the
    quarterly return) that could not be saved, as (label, text) pairs of what they filled in,
    to show back to them to copy."""
    name = (lambda field: f"{prefix}-{field}") if prefix else (lambda field: field)
    status = posted.get(name("status"), "")
    typed = [
        ("Status", MilestoneStatus(status).label if status in MilestoneStatus.values else ""),
        ("Forecast", posted.get(name("forecast_date"), "").strip()),
        ("Commentary", normalise_line_breaks(posted.get(name("commentary"), "")).strip()),
    ]
    shown = [(label, printable(text)) for label, text in typed]
    return [(label, text) for label, text in shown if text]


class RowsChoiceField(ChoiceOfRows, forms.ModelMultipleChoiceField):
    pass


class MilestonePeopleForm(forms.Form):
    """An Admin sets one milestone's owner and delegates.

    The form shows them as saved and carries what it showed, so saving it again untouched
    changes nothing, and a change another Admin made meanwhile is kept: delegates are added
    and removed by difference from what was shown, and an owner changed meanwhile is a
    conflict, not something to overwrite.
    """

    owner = UserChoiceField(queryset=None, required=False, empty_label="Nobody")
    delegates = UsersChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Delegates can update the milestone on the owner's behalf.",
    )
    read_owner = forms.CharField(widget=forms.HiddenInput, required=False)
    read_delegates = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, milestone: Milestone, **kwargs):
        self.milestone = milestone
        delegate_ids = sorted(milestone.delegates.values_list("pk", flat=True))
        kwargs.setdefault(
            "initial",
            {
                "owner": milestone.owner_id,
                "delegates": delegate_ids,
                "read_owner": str(milestone.owner_id or ""),
                "read_delegates": ",".join(map(str, delegate_ids)),
            },
        )
        super().__init__(*args, **kwargs)
        # Whoever holds it now stays listed even after losing the role, so saving the form
        # untouched never drops them; nobody without the role can be given a new place.
        assignable = Q(pk__in=milestone.holders().values("pk"))
        users = get_user_model().objects.order_by("first_name", "last_name", "username")
        self.fields["owner"].queryset = users.filter(assignable | Q(pk=milestone.owner_id))
        self.fields["delegates"].queryset = users.filter(assignable | Q(pk__in=delegate_ids))

    def clean(self):
        data = super().clean()
        if "read_owner" not in self.data or "read_delegates" not in self.data:
            # Not sent from the page: without what it showed, nothing can be merged safely.
            raise forms.ValidationError(INCOMPLETE)
        read_owner = _ids(data.get("read_owner", ""))
        read_owner_id = read_owner[0] if read_owner else None
        owner = data.get("owner")
        self.owner_changed = (owner.pk if owner else None) != read_owner_id
        if self.owner_changed and self.milestone.owner_id != read_owner_id:
            current = self.milestone.owner
            name = current.get_full_name() or current.username if current else "nobody"
            raise forms.ValidationError(
                f"Someone made {name} the owner while you had this page open. Nothing was "
                "saved: check the owner above, then save again.",
                code="conflict",
            )
        shown = set(_ids(data.get("read_delegates", "")))
        chosen = {user.pk for user in data.get("delegates") or []}
        newly_both = owner and owner.pk in chosen and (self.owner_changed or owner.pk not in shown)
        if newly_both:
            self.add_error("delegates", "The owner updates the milestone already: untick them.")
            return data
        self.add_delegates = [u for u in data.get("delegates") or [] if u.pk not in shown]
        self.remove_delegate_ids = shown - chosen
        return data


def _ids(text: str) -> list[int]:
    """The row ids in a comma-separated list; anything that cannot name a row is left out."""
    ids = (as_id(part.strip()) for part in text.split(","))
    return [i for i in ids if i is not None]


class AssignForm(forms.Form):
    """An Admin sets the owner and adds or removes delegates, on many milestones at once:
    the milestones they manage (`managed`), and people of the organisations responsible for
    them."""

    owner = UserChoiceField(queryset=None, required=False, empty_label="Leave unchanged")
    add_delegates = UsersChoiceField(queryset=None, required=False)
    remove_delegates = UsersChoiceField(queryset=None, required=False)

    def __init__(self, *args, managed, **kwargs):
        super().__init__(*args, **kwargs)
        responsible = managed.with_responsible().values("responsible_organisation")
        for name in ("owner", "add_delegates"):
            self.fields[name].queryset = holders(responsible)
        # Anyone who is a delegate now can be taken off, a leaver who lost the role included.
        delegates = MilestoneDelegate.objects.filter(milestone__in=managed).values("user_id")
        self.fields["remove_delegates"].queryset = (
            get_user_model()
            .objects.filter(Q(pk__in=holders(responsible).values("pk")) | Q(pk__in=delegates))
            .order_by("first_name", "last_name", "username")
        )

    def clean(self):
        data = super().clean()
        if (
            not data.get("owner")
            and not data.get("add_delegates")
            and not data.get("remove_delegates")
        ):
            raise forms.ValidationError("Choose an owner, or delegates to add or remove.")
        overlap = set(data.get("add_delegates") or []) & set(data.get("remove_delegates") or [])
        if overlap:
            raise forms.ValidationError("Nobody can be both added and removed as a delegate.")
        if data.get("owner") and data["owner"] in (data.get("add_delegates") or []):
            raise forms.ValidationError(
                "The owner updates the milestones already: do not add them as a delegate too."
            )
        return data


class BulkAssignForm(AssignForm):
    milestones = RowsChoiceField(
        queryset=None,
        error_messages={"required": "Tick at least one milestone."},
    )

    def __init__(self, *args, managed, **kwargs):
        super().__init__(*args, managed=managed, **kwargs)
        self.fields["milestones"].queryset = managed

    def clean(self):
        data = super().clean()
        self.owners_shown = {}
        chosen = data.get("milestones")
        if not chosen:
            return data
        if data.get("owner"):
            self.owners_shown = self._owners_shown(chosen)
        needed = set(chosen.with_responsible().values_list("responsible_organisation", flat=True))
        for person in filter(None, [data.get("owner"), *(data.get("add_delegates") or [])]):
            missing = {o for o in needed if not holders([o]).filter(pk=person.pk).exists()}
            if missing:
                names = ", ".join(
                    Organisation.objects.filter(pk__in=missing).values_list("name", flat=True)
                )
                raise forms.ValidationError(
                    f"{person.get_full_name() or person.username} is not a programme lead or "
                    f"Admin of {names}, which is responsible for some of the ticked "
                    "milestones, so cannot hold them. Nothing was assigned."
                )
        return data

    def _owners_shown(self, chosen) -> dict[int, int | None]:
        """Each ticked milestone's owner as the list showed it (`shown`, "id:owner id"), so
        a new owner is given only where nobody changed the owner meanwhile (the view checks,
        with the rows locked). A post that does not say, for a ticked milestone, cannot be
        checked, and is refused."""
        shown = {}
        for pair in self.data.getlist("shown"):
            milestone_id, _, owner_id = str(pair).partition(":")
            if (key := as_id(milestone_id)) is not None:
                shown[key] = as_id(owner_id) if owner_id else None
        if any(m.pk not in shown for m in chosen):
            raise forms.ValidationError(INCOMPLETE)
        return shown


def owners_changed_message(changed) -> str:
    """Why nothing was assigned: the ticked milestones whose owner changed meanwhile."""
    names = "; ".join(
        f"“{m.title}” (owner now: {display_name(m.owner) if m.owner else 'nobody'})"
        for m in changed[:5]
    )
    more = f" and {len(changed) - 5} more" if len(changed) > 5 else ""
    n = len(changed)
    return (
        f"While you had this page open, someone changed the owner of {n} of the ticked "
        f"milestones: {names}{more}. Nothing was assigned: check who owns them now, then "
        "assign again."
    )
