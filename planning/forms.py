"""The change-control forms: a change request (what moves, one line per milestone, up to two new
milestones), the PMO's decision, a withdrawal, the PMO's tolerance."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from planning.models import ChangeRequest, PlanPolicy
from planning.services import PlanningError
from portfolio.models import Milestone

NEW_MILESTONES = 2
DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class ChangeRequestForm(forms.ModelForm):
    """`milestones`: the project's milestones, each with a "new date" (blank: unchanged); a request being
    edited shows its own lines. `version` is the optimistic lock: a request saved elsewhere since the form
    was opened is not overwritten."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ChangeRequest
        fields = ["title", "reason", "scope_change", "new_start", "new_end", "new_budget"]
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 3}),
            "scope_change": forms.Textarea(attrs={"rows": 3}),
            "new_start": DATE,
            "new_end": DATE,
        }

    def __init__(self, *args, milestones: list[Milestone], **kwargs):
        super().__init__(*args, **kwargs)
        self.milestones = milestones
        existing = {}
        added = []
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            for line in self.instance.milestone_changes.all():
                if line.milestone_id:
                    existing[line.milestone_id] = line.new_date
                else:
                    added.append(line)
        for milestone in milestones:
            self.fields[f"move_{milestone.pk}"] = forms.DateField(
                label=milestone.name, required=False, widget=DATE, initial=existing.get(milestone.pk)
            )
        for n in range(1, NEW_MILESTONES + 1):
            line = added[n - 1] if len(added) >= n else None
            self.fields[f"new_name_{n}"] = forms.CharField(
                label=_("New milestone"), max_length=200, required=False, initial=line.name if line else ""
            )
            self.fields[f"new_date_{n}"] = forms.DateField(
                label=_("Its date"), required=False, widget=DATE, initial=line.new_date if line else None
            )

    def milestone_rows(self) -> list[dict]:
        return [{"milestone": m, "field": self[f"move_{m.pk}"]} for m in self.milestones]

    def new_rows(self) -> list[dict]:
        return [
            {"name": self[f"new_name_{n}"], "date": self[f"new_date_{n}"]}
            for n in range(1, NEW_MILESTONES + 1)
        ]

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("new_start"), data.get("new_end")
        if start and end and end < start:
            self.add_error("new_end", _("The new end cannot be before the new start."))
        for n in range(1, NEW_MILESTONES + 1):
            name, when = data.get(f"new_name_{n}"), data.get(f"new_date_{n}")
            if name and not when:
                self.add_error(f"new_date_{n}", _("Give the new milestone's date."))
            if when and not name:
                self.add_error(f"new_name_{n}", _("Give the new milestone's name."))
        if self.instance.pk and data.get("version") != self.instance.version:
            raise forms.ValidationError(
                _(
                    "Someone saved this change request after you opened it: reload the page and make "
                    "your change again."
                )
            )
        return data

    def fields_and_moves(self) -> tuple[dict, list[dict]]:
        data = self.cleaned_data
        fields = {name: data[name] for name in self.Meta.fields}
        moves = [
            {"milestone": m, "new_date": data[f"move_{m.pk}"]}
            for m in self.milestones
            if data.get(f"move_{m.pk}")
        ]
        moves += [
            {"milestone": None, "name": data[f"new_name_{n}"], "new_date": data[f"new_date_{n}"]}
            for n in range(1, NEW_MILESTONES + 1)
            if data.get(f"new_name_{n}") and data.get(f"new_date_{n}")
        ]
        return fields, moves

    def refused(self, error: PlanningError) -> None:
        self.add_error(None, str(error))


class DecideForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ChangeRequest.State.APPROVED, _("Approve")),
            (ChangeRequest.State.REJECTED, _("Reject")),
            (ChangeRequest.State.DEFERRED, _("Defer")),
        ],
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why it is withdrawn"), widget=forms.Textarea(attrs={"rows": 2}))


class PlanPolicyForm(forms.ModelForm):
    class Meta:
        model = PlanPolicy
        fields = ["budget_tolerance_percent", "schedule_tolerance_days"]
