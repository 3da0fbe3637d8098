"""The request's form and its two grids (cost by year, people by role and year), the PMO's qualification
and the attachment's upload. A bad cell is refused with its own message; every typed value comes back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from demand.access import can_choose_directorate
from demand.models import ProjectRequest
from demand.services import REQUEST_FIELDS
from imports.attachments import ACCEPT, checked_upload
from pmo.models import Directorate, User
from portfolio.models import Project
from resources.models import ResourceRole

GRID_YEARS = 5


def grid_years(today: date) -> list[int]:
    """The years the grids ask for: this one and the next four."""
    return [today.year + offset for offset in range(GRID_YEARS)]


def strategic_objectives(user) -> list[str]:
    """The strategic objectives already named by the projects the user sees: the form's suggestions."""
    values = (
        Project.objects.visible_to(user)
        .exclude(strategic_objective="")
        .order_by("strategic_objective")
        .values_list("strategic_objective", flat=True)
        .distinct()
    )
    return list(values[:200])


class RequestForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ProjectRequest
        fields = list(REQUEST_FIELDS)  # what the services write, in the order of the form
        widgets = {
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "expected_benefits": forms.Textarea(attrs={"rows": 3}),
            "main_risks": forms.Textarea(attrs={"rows": 3}),
            "strategic_objective": forms.TextInput(attrs={"list": "strategic-objectives"}),
            "regulatory_deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "desired_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "desired_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "currency": forms.TextInput(attrs={"maxlength": 3, "class": "text-uppercase", "size": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.filter(is_active=True).order_by("last_name", "first_name", "username")
        for name in ("sponsor", "proposed_manager"):
            self.fields[name].queryset = people
        self.fields["directorate"].queryset = Directorate.objects.order_by("name")
        if not can_choose_directorate(user):
            # A requester's request is their directorate's.
            del self.fields["directorate"]
        elif user.directorate_id and not self.instance.pk:
            self.fields["directorate"].initial = user.directorate_id

    def clean_currency(self) -> str:
        currency = self.cleaned_data["currency"].strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise forms.ValidationError(_("A currency is three letters (MAD, EUR, USD)."))
        return currency

    def clean(self):
        data = super().clean()
        start, end = data.get("desired_start"), data.get("desired_end")
        if start and end and end <= start:
            self.add_error("desired_end", _("The desired end comes after the desired start."))
        return data


def _cell(label: str, *, decimals: int, max_digits: int) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_digits=max_digits,
        decimal_places=decimals,
        localize=True,
        error_messages={
            "invalid": _("Type a number."),
            "min_value": _("Not below 0."),
            "max_decimal_places": _("At most %(max)s decimals."),
            "max_digits": _("Too large."),
            "max_whole_digits": _("Too large."),
        },
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "class": "form-control form-control-sm text-end"}
        ),
    )


class _Grid(forms.Form):
    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid"
                widget.attrs["aria-invalid"] = "true"


class CostGridForm(_Grid):
    """The estimated cost of each year (blank = 0), in the request's currency."""

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, prefix="cost", **kwargs)
        self.years = years
        for year in years:
            # The cell's label (read by screen readers) says what the column's year alone does not.
            self.fields[str(year)] = _cell(f"{_('Estimated cost')} {year}", decimals=2, max_digits=16)

    @classmethod
    def initial_of(cls, project_request: ProjectRequest) -> dict[str, Decimal]:
        return {str(cost.year): cost.amount for cost in project_request.costs.all()}

    def cells(self):
        return [self[str(year)] for year in self.years]

    def values(self) -> dict[int, Decimal]:
        return {year: self.cleaned_data.get(str(year)) or Decimal(0) for year in self.years}


class PeopleGridForm(_Grid):
    """The person-months each role is needed a year (blank = 0)."""

    def __init__(self, *args, years: list[int], roles: list[ResourceRole], **kwargs):
        super().__init__(*args, prefix="people", **kwargs)
        self.years, self.roles = years, roles
        for role in roles:
            for year in years:
                self.fields[f"{role.pk}_{year}"] = _cell(f"{role} {year}", decimals=1, max_digits=8)

    @classmethod
    def initial_of(cls, project_request: ProjectRequest) -> dict[str, Decimal]:
        return {
            f"{need.role_id}_{need.year}": need.person_months for need in project_request.capacity_needs.all()
        }

    def rows(self):
        return [(role, [self[f"{role.pk}_{year}"] for year in self.years]) for role in self.roles]

    def values(self) -> dict[tuple[int, int], Decimal]:
        return {
            (role.pk, year): self.cleaned_data.get(f"{role.pk}_{year}") or Decimal(0)
            for role in self.roles
            for year in self.years
        }


class QualifyForm(forms.Form):
    COMPLETE, INCOMPLETE = "complete", "incomplete"
    verdict = forms.ChoiceField(
        label=_("The request is"),
        choices=[(COMPLETE, _("Complete: qualified")), (INCOMPLETE, _("Incomplete: back to the requester"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment to the requester"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the request is incomplete: say what is missing."),
    )

    def clean(self):
        data = super().clean()
        if data.get("verdict") == self.INCOMPLETE and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Tell the requester what is missing."))
        return data

    @property
    def complete(self) -> bool:
        return self.cleaned_data["verdict"] == self.COMPLETE


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.content_type = checked_upload(upload)
        return upload
