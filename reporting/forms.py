"""The reader's viewpoint on the portfolio: the "as at" date and the part of the portfolio (directorate,
portfolio) that the dashboard and the lists behind it show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pmo.models import Directorate
from portfolio.models import Portfolio
from reporting.periods import Frequency, Period
from reporting.selectors import Scope

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EARLIEST = date(1900, 1, 1)  # the earliest "as at" date: no portfolio is older


class ViewpointForm(forms.Form):
    as_at = forms.DateField(
        label=_("As at"),
        required=False,
        widget=DATE_INPUT,
        error_messages={
            "invalid": _("The “as at” date was not understood (a date such as 2026-10-31 was expected).")
        },
    )
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

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["as_at"].widget.attrs.update({"min": EARLIEST.isoformat(), "max": today.isoformat()})
        self.fields["directorate"].queryset = Directorate.objects.filter(is_active=True).order_by("name")
        self.fields["portfolio"].queryset = Portfolio.objects.order_by("name")

    def clean_as_at(self) -> date | None:
        as_at = self.cleaned_data["as_at"]
        if as_at is not None and as_at > self.today:
            raise forms.ValidationError(_("The portfolio cannot be shown as at a future date."))
        if as_at is not None and as_at < EARLIEST:
            # The trends go back periods before it: near year 1, a date out of the calendar.
            raise forms.ValidationError(
                _("The portfolio cannot be shown as at a date before %(year)d.") % {"year": EARLIEST.year}
            )
        return as_at


@dataclass
class Viewpoint:
    """What a page of the dashboard shows: the portfolio as at `as_at`, in `scope`."""

    as_at: date
    today: date
    directorate: Directorate | None = None
    portfolio: Portfolio | None = None
    problems: list[str] = field(default_factory=list)  # what was asked for and not understood

    @classmethod
    def from_request(cls, request, *, today: date | None = None) -> Viewpoint:
        """The viewpoint the query string asks for; a part not understood is left out and said why."""
        today = today or timezone.localdate()
        form = ViewpointForm(request.GET, today=today)
        form.is_valid()
        chosen = form.cleaned_data
        problems = []
        if "as_at" in form.errors:
            problems.append(
                _("%(problem)s The portfolio is shown as at today.")
                % {"problem": " ".join(form.errors["as_at"])}
            )
        for name, label in (("directorate", _("directorate")), ("portfolio", _("portfolio"))):
            if name in form.errors:
                problems.append(
                    _("The %(filter)s asked for does not exist: it is not applied.") % {"filter": label}
                )
        return cls(
            as_at=chosen.get("as_at") or today,
            today=today,
            directorate=chosen.get("directorate"),
            portfolio=chosen.get("portfolio"),
            problems=problems,
        )

    @property
    def scope(self) -> Scope:
        return Scope(
            directorate_id=self.directorate.pk if self.directorate else None,
            portfolio_id=self.portfolio.pk if self.portfolio else None,
        )

    @property
    def is_today(self) -> bool:
        return self.as_at == self.today

    @property
    def week(self) -> Period:
        return Period.containing(Frequency.WEEKLY, self.as_at)

    def params(self, **extra: Any) -> dict[str, Any]:
        """The viewpoint as query parameters (the date only when it is not today), and `extra`."""
        params: dict[str, Any] = dict(self.scope.params())
        if not self.is_today:
            params["as_at"] = self.as_at.isoformat()
        params.update({key: value for key, value in extra.items() if value not in (None, "")})
        return params

    def query(self, **extra: Any) -> str:
        return urlencode(self.params(**extra))

    def form(self) -> ViewpointForm:
        """The filter form showing this viewpoint (not the raw query string, which may have been wrong)."""
        return ViewpointForm(
            initial={"as_at": self.as_at, "directorate": self.directorate, "portfolio": self.portfolio},
            today=self.today,
        )

    def past_period_ends(self) -> list[tuple[str, date]]:
        """Quick choices of "as at": the ends of the last complete week, month and quarter."""
        today = self.today
        return [
            (_("End of last week"), Period.containing(Frequency.WEEKLY, today).start - timedelta(days=1)),
            (_("End of last month"), Period.containing(Frequency.MONTHLY, today).start - timedelta(days=1)),
            (
                _("End of last quarter"),
                Period.containing(Frequency.QUARTERLY, today).start - timedelta(days=1),
            ),
        ]
