"""The PMO's form to ask for a periodic report: kind, period (chosen among the kind's periods), scope,
language, and the explicit "new version" box."""

from __future__ import annotations

from datetime import date

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from pmo.models import Directorate
from portfolio.models import Portfolio
from reporting.models import Report
from reporting.periods import Period

# How far back the period chooser goes for each kind (older ones can still be typed in a URL).
CHOICES_BACK = {Report.Kind.WEEKLY: 26, Report.Kind.MONTHLY: 24, Report.Kind.QUARTERLY: 12}
PERIODIC_KINDS = [(kind.value, kind.label) for kind in Report.PERIODIC]
EXAMPLES = {Report.Kind.WEEKLY: "2026-W47", Report.Kind.MONTHLY: "2026-11", Report.Kind.QUARTERLY: "2026-Q4"}


def period_value(period: Period) -> str:
    """The value the form posts for a period, the way `Period.parse` reads it back."""
    if period.frequency == "weekly":
        year, week, _day = period.start.isocalendar()
        return f"{year}-W{week:02d}"
    if period.frequency == "monthly":
        return f"{period.start:%Y-%m}"
    return f"{period.start.year}-Q{(period.start.month - 1) // 3 + 1}"


def last_ended(kind: str, today: date) -> Period:
    """The default period: the last one of the kind that has ended (last week, last month...)."""
    return Period.containing(Report.PERIODIC[kind], today).previous()


def period_choices(kind: str, today: date) -> list[tuple[str, str]]:
    """The running period (marked so) and the ended ones before it, latest first."""
    running = Period.containing(Report.PERIODIC[kind], today)
    choices = [(period_value(running), _("%(period)s (in progress)") % {"period": _described(running)})]
    period = running
    for _index in range(CHOICES_BACK[kind]):
        period = period.previous()
        choices.append((period_value(period), _described(period)))
    return choices


def _described(period: Period) -> str:
    if period.frequency != "weekly":
        return period.label
    # A week number alone means little to a reader: give its days too.
    return _("%(week)s, %(start)s to %(end)s") % {
        "week": period.label,
        "start": formats.date_format(period.start, "SHORT_DATE_FORMAT"),
        "end": formats.date_format(period.end, "SHORT_DATE_FORMAT"),
    }


class KindAndPeriod:
    """A form's `kind` and `period` fields: the period chooser follows the kind (htmx fetches `url` for the
    new kind and keeps its list), and a period typed or chosen is parsed for the kind and refused, with a
    message saying why, when it is no period of that report or has not started yet (`self.today`)."""

    def period_follows_kind(self, url: str) -> None:
        self.fields["kind"].widget.attrs.update(
            {
                "hx-get": url,
                "hx-trigger": "change",
                "hx-select": "#div_id_period",
                "hx-target": "#div_id_period",
                "hx-swap": "outerHTML",
                "hx-include": "this",
            }
        )

    def clean_period_of_kind(self, data: dict) -> None:
        kind, text = data.get("kind"), data.get("period")
        if not (kind and text):
            return
        try:
            period = Period.parse(Report.PERIODIC[kind], text)
        except ValueError:
            self.add_error(
                "period",
                _("“%(text)s” is not a period of this report: choose one in the list (e.g. %(example)s).")
                % {"text": text, "example": EXAMPLES[kind]},
            )
            return
        if period.start > self.today:
            self.add_error(
                "period",
                _("%(period)s has not started yet: a report cannot cover the future.")
                % {"period": period.label},
            )
        data["period"] = period


class ReportRequestForm(KindAndPeriod, forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=PERIODIC_KINDS)
    # A text value ("2026-W47") rather than a fixed choice, so that a period out of the list gets a
    # message that says what is wrong with it, not "select a valid choice".
    period = forms.CharField(label=_("Period"), max_length=20, widget=forms.Select)
    directorate = forms.ModelChoiceField(
        label=_("Directorate"),
        queryset=Directorate.objects.none(),
        required=False,
        empty_label=_("All directorates"),
    )
    portfolio = forms.ModelChoiceField(
        label=_("Portfolio"),
        queryset=Portfolio.objects.none(),
        required=False,
        empty_label=_("All portfolios"),
    )
    language = forms.ChoiceField(label=_("Language"))
    new_version = forms.BooleanField(
        label=_("Generate a new version if this report already exists"),
        required=False,
        help_text=_("Otherwise asking for an existing report shows it, as it was built."),
    )

    def __init__(self, *args, today: date, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        kind = self.data.get("kind") if self.is_bound else self.initial.get("kind")
        kind = kind if kind in Report.PERIODIC else Report.Kind.MONTHLY
        self.initial.setdefault("kind", kind)
        self.initial.setdefault("period", period_value(last_ended(kind, today)))
        self.initial.setdefault("language", language)
        self.fields["period"].widget.choices = period_choices(kind, today)
        self.fields["language"].choices = settings.LANGUAGES
        self.fields["directorate"].queryset = Directorate.objects.filter(is_active=True).order_by("name")
        self.fields["portfolio"].queryset = Portfolio.objects.order_by("name")
        self.period_follows_kind(reverse("reporting:report_generate"))

    def clean(self):
        data = super().clean()
        self.clean_period_of_kind(data)
        directorate, portfolio = data.get("directorate"), data.get("portfolio")
        if directorate and portfolio:
            raise forms.ValidationError(
                _("Choose a directorate or a portfolio, not both (or neither, for the whole portfolio).")
            )
        return data
