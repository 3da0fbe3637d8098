"""The PMO's review of a status: validate it as it stands, or challenge it with a message."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portfolio import assurance
from portfolio.models import StatusReport, StatusReview


class StatusReviewForm(forms.Form):
    """A validation needs nothing more; a challenge says what it asks for (a comment, a question, a
    revision) and why. `revision` is the revision the reviewer read: a newer one is refused, so that
    nobody validates a status they have not seen."""

    VALIDATE, CHALLENGE = "validate", "challenge"

    verdict = forms.ChoiceField(
        label=_("verdict"),
        choices=[(VALIDATE, _("Validate")), (CHALLENGE, _("Challenge"))],
        error_messages={"required": _("Choose to validate or to challenge the status.")},
    )
    request = forms.ChoiceField(
        label=_("request"),
        choices=[("", "---------"), *StatusReview.Request.choices],
        required=False,
    )
    message = forms.CharField(label=_("message"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, report: StatusReport, **kwargs) -> None:
        self.report = report
        kwargs.setdefault("initial", {"revision": report.pk, "request": StatusReview.Request.QUESTION})
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        cleaned = super().clean()
        revision = cleaned.get("revision")
        if revision is not None and revision != self.report.pk:
            raise forms.ValidationError(
                _("The project manager submitted revision %(revision)s since: read it before reviewing."),
                code="stale",
                params={"revision": self.report.revision},
            )
        if cleaned.get("verdict") == self.CHALLENGE:
            if not cleaned.get("request"):
                self.add_error(
                    "request", _("Say what the challenge asks for: a comment, a question or a revision.")
                )
            if not cleaned.get("message", "").strip():
                self.add_error(
                    "message", _("A challenge needs a message: what the project manager should answer.")
                )
        return cleaned

    def save(self, *, user) -> StatusReview:
        if self.cleaned_data["verdict"] == self.VALIDATE:
            return assurance.status_validate(report=self.report, user=user)
        return assurance.status_challenge(
            report=self.report,
            user=user,
            message=self.cleaned_data["message"],
            request=self.cleaned_data["request"],
        )


class StatusAnswerForm(forms.Form):
    """The project manager's answer to the PMO's challenge, given with the week's next revision: asked
    (and required) only while the period is challenged."""

    answer = forms.CharField(
        label=_("Answer to the PMO"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Your answer is kept in the review thread with this revision."),
    )

    def __init__(self, *args, challenged: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.challenged = challenged
        field = self.fields["answer"]
        field.required = challenged
        field.error_messages["required"] = _(
            "The PMO challenged this status: answer it before submitting the new revision."
        )

    def clean_answer(self) -> str:
        answer = self.cleaned_data["answer"].strip()
        if self.challenged and not answer:
            raise forms.ValidationError(self.fields["answer"].error_messages["required"], code="required")
        # Nothing to answer: no entry in the thread.
        return answer if self.challenged else ""
