"""Forms of the live meeting page: what the secretary records while the committee sits."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import Action, Attendance, Decision, GateCheck, GateReview

CONDITION_ROWS = 3


def _people_choices(owners, member_ids: set[int]) -> list:
    """Committee members first, then everyone else, as two groups of one select."""
    members = [(str(u.pk), str(u)) for u in owners if u.pk in member_ids]
    others = [(str(u.pk), str(u)) for u in owners if u.pk not in member_ids]
    choices: list = [("", "—")]
    if members:
        choices.append((_("Committee members"), members))
    if others:
        choices.append((_("Other people"), others))
    return choices


class OwnerField(forms.ChoiceField):
    """A person among the given users; the list is loaded once by the page, so cleaning costs no query."""

    def __init__(self, *, owners=(), member_ids=frozenset(), **kwargs):
        super().__init__(choices=_people_choices(owners, set(member_ids)), **kwargs)
        self.owners = {str(u.pk): u for u in owners}

    def clean(self, value):
        value = super().clean(value)
        return self.owners.get(value) if value else None


class LiveFormMixin:
    """Bootstrap classes on the widgets, and fields in error marked as such for the eye and the ear."""

    def style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.RadioSelect, forms.HiddenInput)):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"


class ItemFormMixin(LiveFormMixin):
    """The agenda item a form records for; the view checks it belongs to the meeting."""

    def add_item_field(self) -> None:
        self.fields["item"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
        self.style()


class LiveDecisionForm(ItemFormMixin, forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["title", "outcome", "description", "rationale", "conditions", "options_considered"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "rationale": forms.Textarea(attrs={"rows": 2}),
            "conditions": forms.Textarea(attrs={"rows": 2}),
            "options_considered": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_item_field()

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("outcome") == Decision.Outcome.APPROVED_WITH_CONDITIONS
            and not cleaned.get("conditions", "").strip()
        ):
            self.add_error("conditions", _("Say which conditions the approval comes with."))
        return cleaned


class LiveActionForm(ItemFormMixin, forms.Form):
    title = forms.CharField(label=_("Action"), max_length=200)
    owner = OwnerField(label=_("Owner"))
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    decision = forms.TypedChoiceField(label=_("From decision"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, owners=(), member_ids=frozenset(), decisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = OwnerField(label=_("Owner"), owners=owners, member_ids=member_ids)
        self.decisions = {d.pk: d for d in decisions}
        self.fields["decision"].choices = [("", "—")] + [
            (d.pk, f"{d.reference} {d.display_title}") for d in decisions
        ]
        self.add_item_field()

    def clean_decision(self):
        pk = self.cleaned_data["decision"]
        return self.decisions.get(pk) if pk else None


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "—"), *Attendance.Status.choices], required=False)
    represented_by = forms.CharField(max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") != Attendance.Status.REPRESENTED:
            cleaned["represented_by"] = ""
        return cleaned


class MinutesForm(forms.Form):
    minutes = forms.CharField(required=False, widget=forms.Textarea)


class ActionStateForm(forms.Form):
    state = forms.ChoiceField(choices=Action.State.choices)


MET_CHOICES = [("", _("Not assessed")), ("yes", _("Met")), ("no", _("Not met"))]
MET_VALUES = {"": None, "yes": True, "no": False}


class GateDecisionForm(LiveFormMixin, forms.Form):
    """The committee's verdict on a stage gate: the checklist, the outcome, up to three conditions."""

    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=GateReview.Outcome.choices, widget=forms.RadioSelect
    )
    rationale = forms.CharField(
        label=_("Rationale"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, checks: list[GateCheck] = (), owners=(), member_ids=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.checks = list(checks)
        for check in self.checks:
            # Not assessed yet: the automatic check's answer, which the committee may still override.
            known = check.met if check.met is not None else getattr(check, "automatic", None)
            met = "" if known is None else ("yes" if known else "no")
            self.fields[f"met_{check.criterion_id}"] = forms.ChoiceField(
                label=str(check.criterion),
                choices=MET_CHOICES,
                required=False,
                initial=met,
                widget=forms.RadioSelect,
            )
            self.fields[f"comment_{check.criterion_id}"] = forms.CharField(
                label=_("Comment"), max_length=300, required=False, initial=check.comment
            )
        for row in range(CONDITION_ROWS):
            self.fields[f"condition_{row}_title"] = forms.CharField(
                label=_("Condition"), max_length=200, required=False
            )
            self.fields[f"condition_{row}_owner"] = OwnerField(
                label=_("Owner"), owners=owners, member_ids=member_ids, required=False
            )
            self.fields[f"condition_{row}_due_date"] = forms.DateField(
                label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
            )
        self.style()

    def check_rows(self) -> list[dict]:
        """The checklist as the template lays it out: criterion, its met field and its comment field."""
        return [
            {"check": c, "met": self[f"met_{c.criterion_id}"], "comment": self[f"comment_{c.criterion_id}"]}
            for c in self.checks
        ]

    def condition_rows(self) -> list[dict]:
        return [
            {name: self[f"condition_{row}_{name}"] for name in ("title", "owner", "due_date")}
            for row in range(CONDITION_ROWS)
        ]

    def clean(self):
        cleaned = super().clean()
        conditions = []
        for row in range(CONDITION_ROWS):
            title, owner, due = (
                cleaned.get(f"condition_{row}_{name}") for name in ("title", "owner", "due_date")
            )
            if not (title or owner or due):
                continue  # a blank row is ignored
            if not title:
                self.add_error(f"condition_{row}_title", _("Say what the condition is."))
            if not owner:
                self.add_error(f"condition_{row}_owner", _("Who sees to it?"))
            if not due:
                self.add_error(f"condition_{row}_due_date", _("By when?"))
            if title and owner and due:
                conditions.append({"title": title, "owner": owner, "due_date": due})
        cleaned["conditions"] = conditions
        cleaned["checks"] = {
            c.criterion_id: (
                MET_VALUES[cleaned.get(f"met_{c.criterion_id}") or ""],
                cleaned.get(f"comment_{c.criterion_id}", ""),
            )
            for c in self.checks
        }
        return cleaned
