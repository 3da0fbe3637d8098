"""Forms of the KPI pages: a KPI's definition (the PMO's) and the entry of a manual KPI's value.

The rules live in the model (`Kpi.clean`, `Kpi.validate_value`): a ModelForm shows `clean`'s
errors beside their fields; these forms shape the input and say what is wrong with it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.formats import date_format, localize_input
from django.utils.translation import gettext_lazy as _

from pmo.models import Directorate
from pmo.money import reporting_currency
from portfolio.models import Project
from reporting.kpi_pages import format_value, plain
from reporting.kpis import COMPUTED
from reporting.models import Kpi, Measurement
from reporting.periods import Frequency, Period

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LEVELS = ("target", "amber_threshold", "red_threshold")
FIXED_ONCE_RECORDED = ("code", "source", "function", "unit", "frequency", "scope")


def typed(value) -> str:
    """A stored decimal as the reader types it: "0,95" rather than "0,950" in French, "100" not "100,000"."""
    return "" if value is None else localize_input(Decimal(plain(value)))


def registry() -> dict[str, dict[str, str]]:
    """What each computed function fixes (unit, direction) and suggests (frequency, levels), for the
    form's script that fills them in when the PMO picks a function."""
    return {
        name: {
            "unit": computed.unit,
            "direction": computed.direction,
            "frequency": computed.frequency,
            **{level: typed(computed.defaults.get(level)) for level in LEVELS},
        }
        for name, computed in COMPUTED.items()
    }


class KpiForm(forms.ModelForm):
    """A KPI's definition. For a computed KPI, the unit and the direction are those of its function:
    they are set from it, whatever was sent (a CPI is an index where higher is better, whatever the
    form says), and the form says so. The code is fixed once values are recorded under it."""

    class Meta:
        model = Kpi
        fields = [
            "code",
            "name",
            "name_en",
            "description",
            "description_en",
            "source",
            "function",
            "unit",
            "direction",
            "frequency",
            "scope",
            "target",
            "amber_threshold",
            "red_threshold",
            "order",
            "on_dashboard",
            "is_active",
        ]
        localized_fields = LEVELS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "code": _(
                "Short and stable: letters, digits, hyphens and underscores. It names the KPI in links."
            ),
            "unit": _("For a computed KPI, set from its function."),
            "direction": _("For a computed KPI, set from its function."),
            "frequency": _("How often a value is recorded: the period of each measurement."),
            "target": _("The value aimed at; shown on the chart and the dashboard."),
            "is_active": _("Untick to retire the KPI: its history stays, no new value is recorded."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.adjusted: list[str] = []  # the fields set from the computed function, for the view's message
        for name in LEVELS:
            self.fields[name].widget.attrs["inputmode"] = "decimal"
            if self.instance.pk and not self.is_bound:
                self.initial[name] = typed(getattr(self.instance, name))
        self.fields["function"].help_text = _(
            "Only for a computed KPI: the figure it computes. Its unit and direction follow."
        )
        self.recorded = self.instance.measurements.count() if self.instance.pk else 0
        if self.recorded:
            # What the recorded values mean is settled: a week's value does not become a month's, a count
            # a percentage, nor a CPI a share of red projects. Names, levels and display may still change.
            for name in FIXED_ONCE_RECORDED:
                self.fields[name].disabled = True
            self.fields["code"].help_text = _(
                "The code cannot change: %(count)d values are recorded under it, and links and exports "
                "name the KPI by it. Deactivate this KPI and create another one to start afresh."
            ) % {"count": self.recorded}
            for name in FIXED_ONCE_RECORDED[1:]:
                self.fields[name].help_text = _(
                    "Fixed once values are recorded: they were measured this way."
                )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("source") == Kpi.Source.COMPUTED and cleaned.get("function") in COMPUTED:
            computed = COMPUTED[cleaned["function"]]
            for name, value in (("unit", computed.unit), ("direction", computed.direction)):
                if cleaned.get(name) != value:
                    cleaned[name] = value
                    self.adjusted.append(name)
        return cleaned


class MeasurementForm(forms.Form):
    """The value of a manual KPI for the period holding a day, and the scope its KPI requires.
    Correcting a recorded value needs a comment that says why."""

    period = forms.DateField(label=_("Period"), widget=DATE_INPUT)
    directorate = forms.ModelChoiceField(label=_("Directorate"), queryset=Directorate.objects.none())
    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none())
    value = forms.DecimalField(
        label=_("Value"),
        max_digits=16,
        decimal_places=3,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    PERIOD_HELP = {
        Frequency.WEEKLY: _("Any day of the week: the value is recorded for the week holding it."),
        Frequency.MONTHLY: _("Any day of the month: the value is recorded for the month holding it."),
        Frequency.QUARTERLY: _("Any day of the quarter: the value is recorded for the quarter holding it."),
    }
    VALUE_HELP = {
        Kpi.Unit.PERCENT: _("A percentage, from 0 to 100."),
        Kpi.Unit.COUNT: _("A whole number, 0 or more."),
        Kpi.Unit.AMOUNT: _("An amount in %(currency)s, 0 or more."),
        Kpi.Unit.INDEX: _("A ratio, such as 0.95."),
        Kpi.Unit.SCORE: _("A score."),
    }

    def __init__(self, *args, kpi: Kpi, user, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.kpi, self.today = kpi, today
        self.existing: Measurement | None = None  # the value this entry replaces, once cleaned
        self.fields["period"].help_text = self.PERIOD_HELP.get(kpi.frequency, "")
        self.fields["period"].widget.attrs["max"] = today.isoformat()
        self.fields["period"].initial = kpi.period_of(today).previous().start
        self.fields["value"].help_text = self.VALUE_HELP.get(kpi.unit, "") % {
            "currency": reporting_currency()
        }
        if kpi.scope == Kpi.Scope.DIRECTORATE:
            self.fields["directorate"].queryset = Directorate.objects.filter(is_active=True).order_by("name")
        else:
            del self.fields["directorate"]
        if kpi.scope == Kpi.Scope.PROJECT:
            # The projects the user may change: all for the PMO, their own for a project manager.
            self.fields["project"].queryset = (
                Project.objects.editable_by(user).exclude(state=Project.State.CANCELLED).order_by("code")
            )
            self.fields["project"].label_from_instance = lambda project: f"{project.code} · {project.name}"
        else:
            del self.fields["project"]

    def clean_period(self) -> Period:
        day = self.cleaned_data["period"]
        if day > self.today:
            raise forms.ValidationError(_("A value cannot be entered for a future date."), code="future")
        return self.kpi.period_of(day)

    def clean_value(self):
        value = self.cleaned_data["value"]
        self.kpi.validate_value(value)
        return value

    def clean(self):
        cleaned = super().clean()
        period = cleaned.get("period")
        scope = {name: cleaned.get(name) for name in ("directorate", "project") if name in self.fields}
        if period is None or any(value is None for value in scope.values()):
            return cleaned
        self.existing = (
            Measurement.objects.filter(
                kpi=self.kpi,
                period=period.start,
                directorate=scope.get("directorate"),
                project=scope.get("project"),
            )
            .select_related("entered_by")
            .first()
        )
        if self.existing is not None and not cleaned.get("comment", "").strip():
            self.add_error(
                "comment",
                _(
                    "A value is already recorded for %(period)s: this replaces %(replaced)s. "
                    "Say why in a comment."
                )
                % {"period": period.label, "replaced": replaced(self.existing, self.kpi)},
            )
        return cleaned

    def scope_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("directorate", "project") if name in self.fields]


def replaced(measurement: Measurement, kpi: Kpi) -> str:
    """ "12 entered by Salma Bennani on 3 March 2026" (or "computed on ...")."""
    values = {
        "value": format_value(measurement.value, kpi.unit),
        "when": date_format(timezone.localtime(measurement.entered_at), "DATE_FORMAT"),
    }
    if measurement.computed or measurement.entered_by is None:
        return _("%(value)s computed on %(when)s") % values
    return _("%(value)s entered by %(who)s on %(when)s") % {
        **values,
        "who": measurement.entered_by.get_full_name() or measurement.entered_by.username,
    }
