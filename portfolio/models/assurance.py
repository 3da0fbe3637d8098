"""The PMO's own voice on a project: its review of each weekly status and its delivery confidence.

A project manager *declares* a RAG each week; the numbers *derive* signals (`portfolio.indicators`); the
PMO, or an assurance review, *assesses* its confidence that the project will deliver. The three are shown
side by side, never merged: a disagreement is flagged, not resolved by a formula.

- `StatusReview` is one entry of the thread kept with a period's status: the PMO validates or challenges
  a revision, the project manager answers with the next revision. The period's review state is its
  latest entry's (`ReviewState`), "unreviewed" when it has none or when the PMO validated an older
  revision than the latest.
- `DeliveryConfidence` is one dated assessment on the IPA's 5-point scale (Green, Amber/Green, Amber,
  Amber/Red, Red); an organisation may use 3-point RAG instead (`StatusPolicy.confidence_scale`). The
  project's confidence as at D is its latest assessment dated D or before. A Red or Amber/Red assessment
  schedules a follow-up review (the IPA's assurance of action review), due `follow_up_due`; it is done
  once a later assessment is recorded.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Confidence(models.TextChoices):
    GREEN = "green", _("Green")
    AMBER_GREEN = "amber_green", _("Amber/Green")
    AMBER = "amber", _("Amber")
    AMBER_RED = "amber_red", _("Amber/Red")
    RED = "red", _("Red")


class ConfidenceScale(models.TextChoices):
    IPA5 = "ipa5", _("Five points (IPA): Green, Amber/Green, Amber, Amber/Red, Red")
    RAG3 = "rag3", _("Three points: Green, Amber, Red")


# Each level's place on one line from green (0) to red (4): a declared RAG sits on the same line (green
# 0, amber 2, red 4), so that a declared and an assessed rating two steps apart or more disagree.
CONFIDENCE_STEP = {
    Confidence.GREEN: 0,
    Confidence.AMBER_GREEN: 1,
    Confidence.AMBER: 2,
    Confidence.AMBER_RED: 3,
    Confidence.RED: 4,
}
DECLARED_STEP = {"green": 0, "amber": 2, "red": 4}
DISAGREEMENT_STEPS = 2
SCALE_LEVELS = {
    ConfidenceScale.IPA5: list(Confidence),
    ConfidenceScale.RAG3: [Confidence.GREEN, Confidence.AMBER, Confidence.RED],
}
# The assessments that call for a follow-up review, and how long after the assessment it is due.
FOLLOW_UP = (Confidence.RED, Confidence.AMBER_RED)


def disagrees(declared: str | None, assessed: str | None) -> bool:
    """Whether the project manager's declared RAG and the PMO's assessed confidence are two steps apart
    or more (declared green, assessed amber, amber/red or red; declared red, assessed green or
    amber/green...). Nothing to compare when either is missing."""
    if not declared or not assessed or declared not in DECLARED_STEP or assessed not in CONFIDENCE_STEP:
        return False
    return abs(DECLARED_STEP[declared] - CONFIDENCE_STEP[assessed]) >= DISAGREEMENT_STEPS


def assessed_worse(declared: str | None, assessed: str | None) -> bool:
    """A disagreement where the PMO sees it worse than declared (the one a committee must hear about)."""
    return disagrees(declared, assessed) and CONFIDENCE_STEP[assessed] > DECLARED_STEP[declared]


class ReviewState(models.TextChoices):
    UNREVIEWED = "unreviewed", _("Unreviewed")
    CHALLENGED = "challenged", _("Challenged")
    ANSWERED = "answered", _("Answered")
    VALIDATED = "validated", _("Validated")


class StatusReviewQuerySet(models.QuerySet):
    def of_period(self, project_id: int, period: date) -> StatusReviewQuerySet:
        return self.filter(project_id=project_id, period=period)


class StatusReview(models.Model):
    """One entry of a period's review thread: the PMO validates or challenges a revision; the project
    manager answers a challenge with the next revision (the entry points at that revision)."""

    class Verdict(models.TextChoices):
        VALIDATED = "validated", _("Validated")
        CHALLENGED = "challenged", _("Challenged")
        ANSWERED = "answered", _("Answered")

    class Request(models.TextChoices):
        COMMENT = "comment", _("Comment")
        QUESTION = "question", _("Question")
        REVISION = "revision", _("Revision requested")

    report = models.ForeignKey(
        "portfolio.StatusReport",
        verbose_name=_("status revision"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    # The report's project and period, kept on the row: the queue and the thread read them without a join.
    project = models.ForeignKey(
        "portfolio.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="+"
    )
    period = models.DateField(_("period"))
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict)
    # What a challenge asks for: a comment, a question, or a revision of the status.
    request = models.CharField(_("request"), max_length=10, choices=Request, blank=True)
    message = models.TextField(_("message"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    objects = StatusReviewQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("status review")
        verbose_name_plural = _("status reviews")
        indexes = [models.Index(fields=["project", "period", "-created_at"], name="review_project_period")]
        constraints = [
            models.CheckConstraint(
                condition=Q(verdict="validated") | ~Q(message=""), name="review_challenge_or_answer_says_why"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.period} {self.verdict}"


def review_state(latest: StatusReview | None, *, latest_revision_id: int | None) -> ReviewState:
    """A period's review state from its latest thread entry: none, or a validation of an older revision
    than the latest one, is "unreviewed"."""
    if latest is None:
        return ReviewState.UNREVIEWED
    if latest.verdict == StatusReview.Verdict.VALIDATED and latest.report_id != latest_revision_id:
        return ReviewState.UNREVIEWED
    return ReviewState(latest.verdict)


class DeliveryConfidenceQuerySet(models.QuerySet):
    def as_at(self, on: date) -> DeliveryConfidenceQuerySet:
        return self.filter(assessed_on__lte=on)

    def latest_first(self) -> DeliveryConfidenceQuerySet:
        return self.order_by("project_id", "-assessed_on", "-pk")

    def follow_ups_due(self, on: date) -> DeliveryConfidenceQuerySet:
        """Red and amber/red assessments still the project's latest, whose follow-up review is due by `on`
        or overdue (the PMO's queue and the committee's preparation list them)."""
        later = DeliveryConfidence.objects.filter(
            project_id=models.OuterRef("project_id"), assessed_on__gt=models.OuterRef("assessed_on")
        )
        return self.filter(follow_up_due__isnull=False, follow_up_due__lte=on).exclude(models.Exists(later))


class DeliveryConfidence(models.Model):
    """A delivery confidence assessment of a project, dated, with its reason."""

    class Source(models.TextChoices):
        PMO = "pmo", _("PMO review")
        ASSURANCE = "assurance", _("Assurance review")
        IMPORT = "import", _("Import")

    project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="confidence_assessments",
    )
    rating = models.CharField(_("delivery confidence"), max_length=12, choices=Confidence)
    assessed_on = models.DateField(_("assessed on"))
    reason = models.TextField(_("reason"), blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.PMO)
    follow_up_due = models.DateField(
        _("follow-up review due"),
        null=True,
        blank=True,
        help_text=_("A Red or Amber/Red assessment schedules a follow-up review (assurance of action)."),
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = DeliveryConfidenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        get_latest_by = ["assessed_on", "pk"]
        verbose_name = _("delivery confidence assessment")
        verbose_name_plural = _("delivery confidence assessments")
        indexes = [models.Index(fields=["project", "-assessed_on"], name="confidence_project_date")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.assessed_on} {self.rating}"

    @property
    def calls_for_follow_up(self) -> bool:
        return self.rating in FOLLOW_UP

    @staticmethod
    def follow_up_date(rating: str, assessed_on: date) -> date | None:
        if rating not in FOLLOW_UP:
            return None
        return assessed_on + timedelta(days=settings.CONFIDENCE_FOLLOW_UP_DAYS)
