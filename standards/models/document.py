"""The register of the governance framework's own documents: committee terms of reference, decision
procedures, the RACI of roles, procedures. Each has an owner and a review date that reminds them; each
version is kept, approved by a person or by a committee's decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from standards.models.deliverable import StoredFile


class GovernanceDocument(models.Model):
    class Kind(models.TextChoices):
        TERMS_OF_REFERENCE = "tor", _("Terms of reference")
        DECISION_PROCEDURE = "decision", _("Decision procedure")
        RACI = "raci", _("Roles and responsibilities (RACI)")
        PROCEDURE = "procedure", _("Procedure")
        POLICY = "policy", _("Policy")
        OTHER = "other", _("Other")

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.PROCEDURE)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT,
        related_name="governance_documents",
    )  # fmt: skip
    committee = models.ForeignKey(
        "governance.Committee", verbose_name=_("committee it governs"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="governance_documents",
        help_text=_("For terms of reference: the committee they set up."),
    )  # fmt: skip
    approving_committee = models.ForeignKey(
        "governance.Committee", verbose_name=_("approved by the committee"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("Blank: its owner approves its versions; otherwise a decision of this committee does."),
    )  # fmt: skip
    review_months = models.PositiveSmallIntegerField(_("review every (months)"), default=12)
    next_review = models.DateField(_("next review"), null=True, blank=True)
    last_reminded_on = models.DateField(_("last reminded on"), null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("in force"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("governance document")
        verbose_name_plural = _("governance documents")

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class DocumentVersion(StoredFile):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSED = "proposed", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    document = models.ForeignKey(
        GovernanceDocument, verbose_name=_("document"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to="standards/documents/", max_length=300, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    changes = models.TextField(_("what changed"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.DRAFT)
    decision = models.ForeignKey(
        "governance.Decision", verbose_name=_("approving decision"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["document", "-number"]
        get_latest_by = "number"
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")]

    def __str__(self) -> str:
        return f"{self.document.reference} v{self.number}"
