"""The governance documents of the demo: the terms of reference of each demo committee, a decision
procedure, the RACI of the governance, two procedures. Most have an approved version (some two, the
earlier kept as history); the decision procedure has a draft awaiting its owner, the CODIR's terms of
reference a version proposed to the CODIR (on its next agenda); the RACI's review is overdue. Files are
small text documents kept through Django's storage; some versions are links."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile

from governance.models import Committee, ReferenceCounter
from pmo import audit
from pmo.demo import DemoContext
from pmo.roles import Role
from standards.models import DocumentVersion, GovernanceDocument
from standards.services_document import SERIES

Kind, State = GovernanceDocument.Kind, DocumentVersion.State
INTRANET = "https://intranet.example/gouvernance/"


def has_data() -> bool:
    return GovernanceDocument.objects.exists()


def reset() -> None:
    for version in DocumentVersion.objects.exclude(file=""):
        version.file.delete(save=False)
    audit.forget_history(GovernanceDocument)
    GovernanceDocument.objects.all().delete()
    ReferenceCounter.objects.filter(series=SERIES).delete()


class _Seeder:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx, self.today = ctx, ctx.today
        self.pmo = ctx.demo_users[Role.PMO]
        self.number = 0
        self.versions = 0

    def document(self, *, title, kind, owner, description="", committee=None, approving=None, months=12):
        self.number += 1
        document = GovernanceDocument.objects.create(
            reference=f"{SERIES}-{self.number:03d}",
            title=title,
            kind=kind,
            description=description,
            owner=owner,
            committee=committee,
            approving_committee=approving,
            review_months=months,
        )
        return document

    def version(self, document, *, changes, state=State.APPROVED, approved_on: date | None = None, text=None):
        """A version: a small text file when `text` is given, else a link to the intranet."""
        last = document.versions.order_by("-number").first()
        number = (last.number if last else 0) + 1
        version = DocumentVersion(document=document, number=number, changes=changes, state=state)
        version.uploaded_by = document.owner
        if text is None:
            version.link = f"{INTRANET}{document.reference.lower()}/v{number}"
        else:
            data = text.encode()
            name = f"{document.reference}-v{number}.txt"
            version.file_name, version.content_type, version.size = name, "text/plain", len(data)
            version.file.save(f"{document.reference}/v{number}/{name}", ContentFile(data), save=False)
        if state == State.APPROVED:
            version.approved_on, version.approved_by = approved_on, document.owner
            document.next_review = approved_on + relativedelta(months=document.review_months)
            document.save(update_fields=["next_review"])
        version.save()
        # Added a week before its approval (a pending one: last week), as the demo's past tells it.
        added = (approved_on or self.today) - timedelta(days=7)
        DocumentVersion.objects.filter(pk=version.pk).update(uploaded_at=audit.local(added, 10))
        self.versions += 1
        return version

    def run(self) -> None:
        today = self.today
        committees = list(Committee.objects.select_related("chair", "secretary").order_by("code"))
        codir = next((c for c in committees if c.code == "codir"), None)
        for n, committee in enumerate(committees):
            owner = committee.secretary or self.pmo
            proposed = committee == codir
            tor = self.document(
                title=f"Termes de référence — {committee.name}",
                kind=Kind.TERMS_OF_REFERENCE,
                owner=owner,
                description=f"Mandat, composition, quorum et fonctionnement du comité {committee.name}.",
                committee=committee,
                approving=codir if proposed else None,
                months=12,
            )
            text = (
                f"Termes de référence — {committee.name}\n\nMandat : {committee.mandate or '—'}\n"
                f"Quorum : {committee.quorum} membres votants.\n"
            )
            self.version(
                tor, changes="Première version.", approved_on=today - timedelta(days=200 + 30 * n), text=text
            )
            if proposed:
                self.version(tor, changes="Quorum et suppléances précisés.", state=State.PROPOSED, text=text)
        procedure = self.document(
            title="Procédure de décision des comités",
            kind=Kind.DECISION_PROCEDURE,
            owner=self.pmo,
            description="Comment un comité décide : quorum, vote, décisions sous conditions, report.",
            months=24,
        )
        self.version(
            procedure,
            changes="Première version.",
            approved_on=today - timedelta(days=400),
            text="Procédure de décision des comités\n\n1. Quorum\n2. Vote\n3. Conditions\n",
        )
        self.version(
            procedure,
            changes="Décisions sous conditions : suivi des conditions par le PMO.",
            state=State.DRAFT,
            text="Procédure de décision des comités\n\n1. Quorum\n2. Vote\n3. Conditions suivies\n",
        )
        raci = self.document(
            title="RACI de la gouvernance du portefeuille",
            kind=Kind.RACI,
            owner=self.pmo,
            description="Qui est responsable, approbateur, consulté et informé à chaque étape.",
            months=12,
        )
        # Approved fourteen months ago with a yearly review: overdue.
        self.version(raci, changes="Première version.", approved_on=today - timedelta(days=425))
        changes = self.document(
            title="Procédure de gestion des demandes de changement",
            kind=Kind.PROCEDURE,
            owner=self.pmo,
            description="De la demande de changement à la décision du comité et à la nouvelle baseline.",
            months=12,
        )
        self.version(changes, changes="Première version.", approved_on=today - timedelta(days=330))
        self.version(
            changes,
            changes="Seuils d'escalade au comité revus.",
            approved_on=today - timedelta(days=40),
            text="Procédure de gestion des changements\n\nSeuils : +10 % coût, +4 semaines.\n",
        )
        escalation = self.document(
            title="Procédure d'escalade des risques",
            kind=Kind.PROCEDURE,
            owner=self.pmo,
            description="Quand et comment un risque est porté au comité.",
            months=12,
        )
        self.version(
            escalation,
            changes="Première version.",
            state=State.DRAFT,
            text="Procédure d'escalade des risques\n\nScore critique : escalade au COPIL.\n",
        )
        # Each document was set up a week before its first version (the demo's clock, not the seeding's).
        for document in GovernanceDocument.objects.all():
            first = document.versions.order_by("number").first()
            created = first.uploaded_at - timedelta(days=7) if first else audit.local(today, 9)
            GovernanceDocument.objects.filter(pk=document.pk).update(created_at=created)
        ReferenceCounter.objects.update_or_create(series=SERIES, defaults={"last": self.number})
        self.ctx.count(GovernanceDocument, self.number)
        self.ctx.count(DocumentVersion, self.versions)


def seed(ctx: DemoContext) -> None:
    _Seeder(ctx).run()


def seed_history(ctx: DemoContext) -> None:
    ctx.history_records += audit.record_created(
        GovernanceDocument,
        GovernanceDocument.objects.order_by("pk"),
        when=lambda row: row["created_at"],
        who=lambda row: row["owner_id"],
    )
