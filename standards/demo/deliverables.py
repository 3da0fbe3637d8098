"""The deliverables demo: a template (version 1, a few with a version 2) for each deliverable type, as small
real Office files built in memory (Word, Excel, PowerPoint), and the deliverables of the demo projects that
owe some (standards.selectors.deliverables_due), in every state: approved, submitted, draft, waived with a
reason, and missing. Deterministic (the context's seeded stream).

Call `seed(ctx)` after the methodologies' demo (it needs their required deliverables); when no methodology
requires anything yet, it first requires the usual deliverables of the default methodologies, so that the
pages have something to show. `seed_history(ctx)` writes the deliverables' first history record.
"""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

from django.core.files.base import ContentFile

# Which office file each deliverable type's template is, by the type's order (charter, business case,
# plan, test report, closure report); the others are Word documents.
KINDS = {20: "xlsx", 30: "pptx"}
# The usual requirements, by phase order, when no methodology requires any deliverable yet.
USUAL = {10: [10, 20], 20: [30], 40: [40], 60: [50]}


def has_data() -> bool:
    from standards.models import Deliverable, Template

    return Template.objects.exists() or Deliverable.objects.exists()


def reset() -> None:
    from pmo import audit
    from standards.models import Deliverable, Template

    audit.forget_history(Deliverable)
    Deliverable.objects.all().delete()
    Template.objects.all().delete()


def docx(title: str) -> bytes:
    """A minimal valid Word document (the parts Word needs), built by hand: python-docx is not installed."""
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="word/document.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
        "</Relationships>"
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        f"<w:p><w:r><w:t>{title}</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>1. Contexte et objectifs</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>2. Périmètre</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>3. Organisation et gouvernance</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def xlsx(title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Modèle"
    sheet.append([title])
    sheet.append(["Poste", "Montant (MAD)", "Commentaire"])
    for item in ("Coûts internes", "Coûts externes", "Gains annuels"):
        sheet.append([item, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pptx(title: str) -> bytes:
    from pptx import Presentation

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = title
    slide.placeholders[1].text = "Jalons · Budget · Risques · Organisation"
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def office_file(deliverable_type, *, version: int) -> tuple[str, bytes, str]:
    """(file name, bytes, content type) of the type's template."""
    from imports.attachments import OFFICE

    kind = KINDS.get(deliverable_type.order, "docx")
    title = f"{deliverable_type.name} — modèle v{version}"
    data = {"docx": docx, "xlsx": xlsx, "pptx": pptx}[kind](title)
    content_type = next(found[1] for found in OFFICE.values() if found[0] == kind)
    stem = deliverable_type.name_en.lower().replace(" ", "-")
    return f"{stem}-template-v{version}.{kind}", data, content_type


def _usual_requirements() -> None:
    from portfolio.models import Phase
    from standards.models import DeliverableRequirement, DeliverableType, Methodology

    if DeliverableRequirement.objects.exists():
        return
    types = {t.order: t for t in DeliverableType.objects.filter(is_active=True)}
    phases = {p.order: p for p in Phase.objects.all()}
    for methodology in Methodology.objects.filter(is_default=True, is_active=True):
        for phase_order, type_orders in USUAL.items():
            for type_order in type_orders:
                if phase_order in phases and type_order in types:
                    DeliverableRequirement.objects.get_or_create(
                        methodology=methodology, phase=phases[phase_order], deliverable_type=types[type_order]
                    )


def _templates(ctx) -> dict[int, object]:
    from pmo.roles import Role
    from standards.models import DeliverableType, Template

    pmo = ctx.demo_users.get(Role.PMO)
    current = {}
    for deliverable_type in DeliverableType.objects.filter(is_active=True):
        versions = 2 if ctx.rng.random() < 0.4 else 1
        for version in range(1, versions + 1):
            name, data, content_type = office_file(deliverable_type, version=version)
            template = Template(
                deliverable_type=deliverable_type, version=version, file_name=name, content_type=content_type,
                size=len(data), uploaded_by=pmo,
                notes="Première version" if version == 1 else "Ajout de la section risques et du planning",
            )  # fmt: skip
            template.file.save(name, ContentFile(data), save=False)
            template.save()
            current[deliverable_type.pk] = template
    return current


def seed(ctx) -> None:
    from pmo.roles import Role
    from standards.models import Deliverable
    from standards.selectors import deliverables_due

    _usual_requirements()
    templates = _templates(ctx)
    pmo = ctx.demo_users.get(Role.PMO)
    projects = [p for p in ctx.projects if p.phase_id is not None]
    due = deliverables_due(projects)
    states = Deliverable.State
    rows = []
    for project in projects:
        for row in due[project.pk]:
            # The phases left: mostly approved, some waived; the current one: every state, some missing.
            draw = ctx.rng.random()
            if row.in_current_phase:
                state = (
                    None if draw < 0.3 else states.DRAFT if draw < 0.5
                    else states.SUBMITTED if draw < 0.75 else states.APPROVED
                )  # fmt: skip
            else:
                state = states.WAIVED if draw < 0.1 else None if draw < 0.15 else states.APPROVED
            if state is None:
                continue
            deliverable = Deliverable(
                project=project, deliverable_type=row.requirement.deliverable_type,
                phase=row.requirement.phase, state=state, updated_by=project.project_manager,
                template=templates.get(row.requirement.deliverable_type_id),
            )  # fmt: skip
            if state == states.WAIVED:
                deliverable.waiver_reason = "Couvert par le dossier du programme."
                deliverable.approved_by, deliverable.approved_on = pmo, ctx.today - timedelta(days=30)
            elif ctx.rng.random() < 0.3:
                deliverable.link = f"https://ged.intranet.example/projets/{project.pk}/{row.requirement.pk}"
            else:
                template = templates.get(row.requirement.deliverable_type_id)
                name, data, content_type = office_file(row.requirement.deliverable_type, version=1)
                name = name.replace("template", "projet")
                if template is not None:
                    name = template.file_name.replace("template", "projet")
                    data = template.file.open("rb").read()
                    template.file.close()
                    content_type = template.content_type
                deliverable.file_name, deliverable.content_type, deliverable.size = (
                    name,
                    content_type,
                    len(data),
                )
                deliverable.file.save(name, ContentFile(data), save=False)
            if state in (states.SUBMITTED, states.APPROVED):
                deliverable.submitted_on = ctx.today - timedelta(days=ctx.rng.randint(5, 40))
            if state == states.APPROVED:
                deliverable.approved_by = pmo
                deliverable.approved_on = deliverable.submitted_on + timedelta(days=ctx.rng.randint(1, 4))
            rows.append(deliverable)
    # One INSERT a batch, not one a deliverable: their number grows with the projects.
    Deliverable.objects.bulk_create(rows, batch_size=200)
    ctx.count(Deliverable, len(rows))


def seed_history(ctx) -> None:
    from pmo import audit
    from standards.models import Deliverable

    ctx.history_records += audit.record_created(
        Deliverable,
        Deliverable.objects.all(),
        when=lambda row: audit.local(row["approved_on"] or row["submitted_on"] or ctx.today, 9),
        who=lambda row: row["updated_by_id"],
    )
