"""The project manager's weekly status: the report itself and the milestones' dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from pmo.templatetags.pmo_tags import money_exact
from portfolio.agile import ReleaseFigures
from portfolio.models import Milestone, Rag, StatusReport
from portfolio.models.status import percent_from_points

RAG_FIELDS = ("overall_rag", *StatusReport.DIMENSIONS)
AMOUNT_FIELDS = ("actual_cost", "forecast_at_completion")
TEXT_FIELDS = ("summary", "achievements", "next_steps", "help_needed")
# What a new report starts from: everything of the previous one except its explanation,
# which is about that week only.
CARRIED_OVER = (*RAG_FIELDS, "percent_complete", *AMOUNT_FIELDS, *TEXT_FIELDS)
# What the weekly form asks for every week, although the model accepts them unknown (an import's).
ASKED_EVERY_WEEK = (*RAG_FIELDS, "percent_complete", "actual_cost")
# The week's spend: about that week only, never carried over; it feeds the actuals by month (finance).
SPEND = "spend_this_period"
# An agile project's sprint (portfolio.agile): asked of agile projects only, added to the form for them.
SPRINT_FIELDS = (
    "iteration",
    "iteration_planned_points",
    "iteration_completed_points",
    "scope_added_points",
    "release_points_done",
    "release_points",
)


class StatusReportForm(forms.ModelForm):
    based_on = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = StatusReport
        fields = [*RAG_FIELDS, "percent_complete", "actual_cost", SPEND, "forecast_at_completion"]
        fields += [*TEXT_FIELDS, "explanation"]
        widgets = {
            **{name: forms.RadioSelect(attrs={"class": "btn-check"}) for name in RAG_FIELDS},
            **{name: forms.Textarea(attrs={"rows": 2}) for name in TEXT_FIELDS},
            "explanation": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self,
        *args,
        previous: StatusReport | None = None,
        unknown_allowed: bool = False,
        currency: str = "",
        agile: bool = False,
        release: ReleaseFigures | None = None,
        **kwargs,
    ) -> None:
        """`unknown_allowed`: a status read from a file, where a dimension not given stays not assessed
        and % complete or the actual cost not given stays unknown; a person's weekly status asks all.
        `currency`: the project's, for the previous report's amounts shown under their inputs.
        `agile`: the project is agile, so the form asks for its sprint (`release`: its release plan)."""
        self.previous = previous
        self.release = release
        if previous is not None:
            kwargs.setdefault(
                "initial", {"based_on": previous.pk, **{n: getattr(previous, n) for n in CARRIED_OVER}}
            )
        super().__init__(*args, **kwargs)
        if agile:
            self._add_sprint_fields(unknown_allowed=unknown_allowed)
        for name in ASKED_EVERY_WEEK:
            self.fields[name].required = name == "overall_rag" or not unknown_allowed
        for name in RAG_FIELDS:
            # The model field's blank "---------" choice would be a fourth radio button.
            self.fields[name].choices = Rag.choices
            self.fields[name].error_messages["required"] = _("Choose green, amber or red.")
        self.fields["percent_complete"].widget.attrs.update({"min": 0, "max": 100, "step": "0.5"})
        for name in (*AMOUNT_FIELDS, SPEND):
            self.fields[name].widget.attrs.update({"min": 0, "step": "0.01"})
        # Asked every week, but it may come from the spend: checked in clean() once it is derived.
        self.actual_cost_required = self.fields["actual_cost"].required
        self.fields["actual_cost"].required = False
        # The previous amounts as the reader writes them (6 985 307,00 MAD): the number inputs, which keep
        # a value any browser parses, show them bare (6985307.00).
        for name in AMOUNT_FIELDS:
            amount = getattr(previous, name, None)
            if amount is not None:
                self.fields[name].help_text = _("Last report: %(amount)s.") % {
                    "amount": money_exact(amount, currency)
                }
        if previous is not None and previous.actual_cost is not None:
            derived = _(
                "Leave it blank with a spend this period: it becomes the previous actual cost to date plus "
                "the spend."
            )
            self.fields["actual_cost"].help_text = f"{self.fields['actual_cost'].help_text} {derived}"
        self.fields[SPEND].help_text = _("What was spent this week (it goes to the actuals by month).")

    def _add_sprint_fields(self, *, unknown_allowed: bool) -> None:
        """The sprint fieldset, prefilled from the previous status: its sprint (or the release plan's
        sprint of today) and, in the same sprint, its points planned. % complete comes from the points."""
        for name in SPRINT_FIELDS:
            self.fields[name] = StatusReport._meta.get_field(name).formfield()
            if name != "iteration":
                self.fields[name].widget.attrs.update({"min": 0, "step": "0.5"})
        self.fields["iteration"].widget.attrs.update({"min": 1})
        previous, release = self.previous, self.release
        sprint = previous.iteration if previous is not None else None
        if release is not None:
            sprint = max(1, release.sprints_ended(timezone.localdate()) + 1)
        if not self.is_bound:
            self.initial.setdefault("iteration", sprint)
            if previous is not None and previous.iteration == sprint:
                self.initial.setdefault("iteration_planned_points", previous.iteration_planned_points)
                self.initial.setdefault("iteration_completed_points", previous.iteration_completed_points)
        done, scope = self._previous_release()
        self.fields["release_points_done"].help_text = _(
            "Blank: %(done)s done at the last status plus the points completed in the sprint."
        ) % {"done": floatformat(done, "-1g")}
        self.fields["release_points"].help_text = _(
            "Blank: the release's %(scope)s points at the last status plus the points added."
        ) % {"scope": floatformat(scope, "-1g") if scope is not None else "—"}
        percent = self.fields["percent_complete"]
        percent.required = False
        percent.help_text = _(
            "Derived from the release points done and the release scope when they are given."
        )
        self.percent_required = not unknown_allowed

    def _previous_release(self, sprint: int | None = None) -> tuple[Decimal, Decimal | None]:
        """The release points done and the release's scope before this status's sprint: the previous
        status's, less what it counted for the same sprint (a sprint reported over several weeks)."""
        previous, release = self.previous, self.release
        done = Decimal(0)
        scope = release.planned_points if release is not None else None
        if previous is not None:
            if previous.release_points_done is not None:
                done = previous.release_points_done
            if previous.release_points is not None:
                scope = previous.release_points
            if sprint is not None and previous.iteration == sprint:
                done -= previous.iteration_completed_points or 0
                if scope is not None:
                    scope -= previous.scope_added_points or 0
        return done, scope

    def _derive_release(self, cleaned: dict) -> None:
        """Release points done and scope left blank: the previous status's plus the sprint's points; %
        complete then follows them (AgileEVM's actual share)."""
        if any(name in self.errors for name in SPRINT_FIELDS):
            return
        done, scope = self._previous_release(cleaned.get("iteration"))
        completed, added = cleaned.get("iteration_completed_points"), cleaned.get("scope_added_points")
        if cleaned.get("release_points") is None and scope is not None:
            cleaned["release_points"] = scope + (added or 0)
        if cleaned.get("release_points_done") is None and completed is not None:
            cleaned["release_points_done"] = done + completed
        done, scope = cleaned.get("release_points_done"), cleaned.get("release_points")
        if done is not None and scope is not None and done > scope:
            self.add_error("release_points_done", _("The points done cannot exceed the release's scope."))
            return
        derived = percent_from_points(done=done, scope=scope)
        if derived is not None:
            cleaned["percent_complete"] = derived
            self.errors.pop("percent_complete", None)
        elif cleaned.get("percent_complete") is None and self.percent_required:
            self.add_error(
                "percent_complete",
                _("Give the completion, or the release points done and the release scope."),
            )

    def rag_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in RAG_FIELDS]

    def sprint_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in SPRINT_FIELDS if name in self.fields]

    def clean(self) -> dict:
        cleaned = super().clean()
        self._derive_actual_cost(cleaned)
        if "release_points" in self.fields:
            self._derive_release(cleaned)
        for name in (*AMOUNT_FIELDS, SPEND):
            amount = cleaned.get(name)
            if amount is not None and amount < 0:
                self.add_error(name, _("An amount cannot be negative."))
        if not cleaned.get("explanation", "").strip():
            for reason in self._reasons_to_explain(cleaned):
                self.add_error("explanation", reason)
        return cleaned

    def _derive_actual_cost(self, cleaned: dict) -> None:
        """Actual cost to date left blank with a spend this period, after a status that had one: the
        previous actual cost plus the spend. Otherwise blank stays blank (refused when it is asked)."""
        spend, previous = cleaned.get(SPEND), self.previous
        if "actual_cost" in self.errors or cleaned.get("actual_cost") is not None:
            return
        if spend is not None and spend >= 0 and previous is not None and previous.actual_cost is not None:
            cleaned["actual_cost"] = previous.actual_cost + spend
        elif self.actual_cost_required:
            self.add_error("actual_cost", self.fields["actual_cost"].error_messages["required"])

    def _reasons_to_explain(self, cleaned: dict) -> list:
        reasons = []
        previous = self.previous
        percent = cleaned.get("percent_complete")
        before = previous.percent_complete if previous is not None else None
        if before is not None and percent is not None and percent < before:
            reasons.append(
                _("Explain why %% complete went down (it was %(previous)s %% in the last report).")
                % {"previous": number_format(before.normalize(), use_l10n=True)}
            )
        flagged = [str(self.fields[n].label) for n in RAG_FIELDS if cleaned.get(n) in (Rag.AMBER, Rag.RED)]
        if flagged:
            reasons.append(
                _("Explain the amber or red rating of: %(dimensions)s.") % {"dimensions": ", ".join(flagged)}
            )
        if previous is not None:
            changed = [
                str(self.fields[n].label)
                for n in RAG_FIELDS
                # A dimension assessed for the first time (not assessed before) is no change to explain.
                if cleaned.get(n) and getattr(previous, n) and cleaned.get(n) != getattr(previous, n)
            ]
            if changed:
                reasons.append(
                    _("Explain why the rating changed since the last report: %(dimensions)s.")
                    % {"dimensions": ", ".join(changed)}
                )
        return reasons

    def differences_from(self, report: StatusReport) -> list[tuple[str, str, str]]:
        """(label, the report's value, this form's value) for each field where they differ."""
        rows = []
        for name in self.Meta.fields:
            field = self.fields[name]
            theirs, mine = getattr(report, name), self.cleaned_data.get(name)
            if (theirs or "") == (mine or ""):
                continue
            rows.append((str(field.label), self._display(name, theirs), self._display(name, mine)))
        return rows

    @staticmethod
    def _display(name: str, value) -> str:
        if value in (None, ""):
            return "—"
        if name in RAG_FIELDS:
            return str(Rag(value).label)
        if isinstance(value, Decimal):
            return money_exact(value)
        return str(value)


class MilestoneDatesForm(forms.Form):
    milestone = forms.IntegerField(widget=forms.HiddenInput)
    forecast_date = forms.DateField(
        label=_("forecast date"),
        widget=forms.DateInput(
            attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"
        ),
        error_messages={"required": _("A forecast date is required.")},
    )
    actual_date = forms.DateField(
        label=_("actual date"),
        required=False,
        widget=forms.DateInput(
            attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"
        ),
    )

    def __init__(self, *args, milestones: dict[int, Milestone], **kwargs) -> None:
        self.milestones = milestones
        super().__init__(*args, **kwargs)

    @property
    def instance(self) -> Milestone | None:
        """The milestone this row is about, for its name, baseline and slip."""
        try:
            return self.milestones.get(int(self["milestone"].value()))
        except (TypeError, ValueError):
            return None

    def clean_milestone(self) -> int:
        pk = self.cleaned_data["milestone"]
        if pk not in self.milestones:
            raise forms.ValidationError(_("This milestone is not one of the project's."))
        return pk

    def clean_actual_date(self) -> date | None:
        actual = self.cleaned_data.get("actual_date")
        if actual is not None and actual > timezone.localdate():
            raise forms.ValidationError(_("A milestone cannot be reached in the future."))
        return actual


class BaseMilestoneDatesFormSet(forms.BaseFormSet):
    def __init__(self, data=None, *, milestones: list[Milestone], **kwargs) -> None:
        self.milestones = {milestone.pk: milestone for milestone in milestones}
        initial = [
            {"milestone": m.pk, "forecast_date": m.forecast_date, "actual_date": m.actual_date}
            for m in milestones
        ]
        super().__init__(data, initial=initial, prefix="milestones", **kwargs)

    def get_form_kwargs(self, index):
        return {"milestones": self.milestones}

    def dates(self) -> dict[int, tuple[date, date | None]]:
        return {
            form.cleaned_data["milestone"]: (
                form.cleaned_data["forecast_date"],
                form.cleaned_data["actual_date"],
            )
            for form in self.forms
            if form.cleaned_data
        }


MilestoneDatesFormSet = forms.formset_factory(
    MilestoneDatesForm, formset=BaseMilestoneDatesFormSet, extra=0, can_delete=False
)
