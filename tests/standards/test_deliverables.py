"""A project's deliverables and the PMO's templates: provided by the manager from the template, approved
by the approver or the PMO, waived with a reason, checked at the gate, typed by content like every
upload, and served only to who may see the project."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.extensions import gate_check
from portfolio.models import Phase
from standards.deliverable_integration import GATE_CHECK
from standards.models import (
    Deliverable,
    DeliverableRequirement,
    DeliverableType,
    Methodology,
    ProjectMethodology,
    Template,
)
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def docx(text: str = "Charte") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", f"<document>{text}</document>")
    return buffer.getvalue()


class Standard:
    """A methodology that requires, of the Design phase, a charter and a business case at the gate (and a
    plan of the Build phase, not due yet); a project in Design follows it."""

    def __init__(self, world, *, confidential=False, extra_types: int = 0):
        phases = list(Phase.objects.order_by("order"))
        self.design, self.build = phases[1], phases[2]
        self.methodology = Methodology.objects.create(code="std-test", name="Standard", name_en="Standard")
        self.charter = DeliverableType.objects.create(
            name="Charte projet", name_en="Project charter", order=1
        )
        self.case = DeliverableType.objects.create(
            name="Dossier d'opportunité", name_en="Business case", order=2
        )
        self.plan = DeliverableType.objects.create(name="Plan", name_en="Plan", order=3)
        self.charter_due = self.require(self.design, self.charter)
        self.case_due = self.require(self.design, self.case)
        self.plan_due = self.require(self.build, self.plan)
        for n in range(extra_types):
            extra = DeliverableType.objects.create(name=f"Annexe {n}", name_en=f"Appendix {n}", order=10 + n)
            self.require(self.design, extra, at_gate=False)
        self.project = ProjectFactory(
            project_manager=world.pm, directorate=world.it, phase=self.design, confidential=confidential
        )
        ProjectMethodology.objects.create(project=self.project, methodology=self.methodology)

    def require(self, phase, deliverable_type, *, at_gate=True):
        return DeliverableRequirement.objects.create(
            methodology=self.methodology,
            phase=phase,
            deliverable_type=deliverable_type,
            required_at_gate=at_gate,
        )

    def url(self, name, requirement=None):
        args = [self.project.code] + ([requirement.pk] if requirement is not None else [])
        return reverse(f"standards:{name}", args=args)


def publish(client, deliverable_type, content: bytes, notes="Première version", name="modele.docx"):
    return client.post(
        reverse("standards:template_new"),
        {"deliverable_type": deliverable_type.pk, "file": SimpleUploadedFile(name, content), "notes": notes},
        **EN,
    )


def provide(client, std, requirement, name, content, action="submit", **more):
    data = {"action": action, **more}
    if name:
        data["file"] = SimpleUploadedFile(name, content)
    return client.post(std.url("deliverable", requirement), data, **EN)


def test_the_manager_starts_from_the_template_submits_and_the_pmo_approves(client, world):
    std = Standard(world)
    client.force_login(world.pmo)
    assert publish(client, std.charter, docx("Modèle de charte")).status_code == 302
    template = Template.objects.get()

    client.force_login(world.pm)
    listing = client.get(std.url("project_deliverables"), **EN).content.decode()
    assert reverse("standards:template_download", args=[template.pk]) in listing
    download = client.get(reverse("standards:template_download", args=[template.pk]))
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == template.content_type
    started_from = b"".join(download.streaming_content)

    response = provide(client, std, std.charter_due, "charte DSI.docx", started_from, template=template.pk)
    assert response.status_code == 302
    deliverable = Deliverable.objects.get()
    assert deliverable.state == Deliverable.State.SUBMITTED and deliverable.template == template
    assert deliverable.content_type.endswith("wordprocessingml.document")

    client.force_login(world.pmo)
    approved = client.post(std.url("deliverable_review", std.charter_due), {"verdict": "approve"}, **EN)
    assert approved.status_code == 302
    deliverable.refresh_from_db()
    assert deliverable.state == Deliverable.State.APPROVED and deliverable.approved_by == world.pmo

    page = client.get(std.url("deliverable", std.charter_due), **EN).content.decode()
    assert "Approved" in page and "Submitted for approval" in page  # the history keeps both
    assert deliverable.history.count() == 2
    file = client.get(reverse("standards:deliverable_file", args=[deliverable.pk]))
    assert b"".join(file.streaming_content) == started_from
    assert file["X-Content-Type-Options"] == "nosniff"


def test_the_approver_sends_it_back_with_a_comment_and_another_manager_may_not_review(client, world):
    std = Standard(world)
    client.force_login(world.pm)
    provide(client, std, std.case_due, "", b"", link="https://ged.example/bc", approver=world.executive.pk)
    client.force_login(world.other_pm)  # sees the open project, may not review its deliverables
    assert client.post(std.url("deliverable_review", std.case_due), {"verdict": "approve"}).status_code == 403
    client.force_login(world.executive)
    refused = client.post(std.url("deliverable_review", std.case_due), {"verdict": "send_back"}, **EN)
    assert refused.status_code == 400 and "Say what is to be changed." in refused.content.decode()
    back = client.post(
        std.url("deliverable_review", std.case_due), {"verdict": "send_back", "comment": "Chiffrer les gains"}
    )
    assert back.status_code == 302
    deliverable = Deliverable.objects.get()
    assert deliverable.state == Deliverable.State.DRAFT and deliverable.comment == "Chiffrer les gains"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("charte.docx", PDF, "but its content is not of that type"),
        ("programme.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "This type of file is not accepted"),
        ("gros.pdf", PDF, "the largest file accepted is"),
    ],
)
def test_an_upload_the_import_refuses_is_refused_and_nothing_is_lost(
    client, world, monkeypatch, name, content, message
):
    std = Standard(world)
    client.force_login(world.pm)
    provide(client, std, std.charter_due, "charte.docx", docx(), action="draft")
    kept = Deliverable.objects.get()
    if name == "gros.pdf":
        monkeypatch.setattr("imports.attachments.MAX_BYTES", 10)

    response = provide(client, std, std.charter_due, name, content, link="https://ged.example/charte")
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "https://ged.example/charte" in page  # what was typed is shown again
    refreshed = Deliverable.objects.get()
    assert (refreshed.file.name, refreshed.state, refreshed.link) == (kept.file.name, kept.state, kept.link)

    client.force_login(world.pmo)
    refused = publish(client, std.charter, content, name=name)
    assert refused.status_code == 400 and message in refused.content.decode()
    assert not Template.objects.exists()


def test_the_gate_check_is_met_once_every_deliverable_required_at_the_gate_is_approved_or_waived(
    client, world
):
    std = Standard(world)
    rule = gate_check(GATE_CHECK)
    assert rule.check(std.project) is False
    assert "Project charter" in rule.explain(std.project) and "Business case" in rule.explain(std.project)

    Deliverable.objects.create(
        project=std.project, deliverable_type=std.charter, phase=std.design, state=Deliverable.State.APPROVED
    )
    assert rule.check(std.project) is False
    explained = rule.explain(std.project)
    assert "Business case" in explained and "Project charter" not in explained

    client.force_login(world.pmo)
    assert client.post(std.url("deliverable_waive", std.case_due), {"reason": ""}).status_code == 400
    waived = client.post(std.url("deliverable_waive", std.case_due), {"reason": "Porté par le programme"})
    assert waived.status_code == 302
    assert rule.check(std.project) is True


def test_the_gate_request_page_shows_the_deliverable_still_missing(client, world):
    std = Standard(world)
    Deliverable.objects.create(
        project=std.project, deliverable_type=std.charter, phase=std.design, state=Deliverable.State.APPROVED
    )
    client.force_login(world.pm)
    page = client.get(reverse("governance:gate_request", args=[std.project.code]), **EN).content.decode()
    checklist = page[page.index("gate-deliverables-title") :]
    assert "Project charter" in checklist and "Business case" in checklist
    assert "Missing" in checklist and "Not approved yet: Business case (Missing)." in checklist


def test_a_deliverable_the_methodology_does_not_require_yet_cannot_be_provided(client, world):
    std = Standard(world)
    client.force_login(world.pm)
    assert provide(client, std, std.plan_due, "plan.docx", docx()).status_code == 404
    assert not Deliverable.objects.exists()


@pytest.mark.parametrize("outsider", ["other_pm", "member"])
def test_an_outsider_gets_404_for_a_confidential_projects_deliverables_and_their_files(
    client, world, outsider
):
    std = Standard(world, confidential=True)
    client.force_login(world.pm)
    provide(client, std, std.charter_due, "charte.docx", docx())
    deliverable = Deliverable.objects.get()
    client.force_login(getattr(world, outsider))
    for url in (
        std.url("project_deliverables"),
        std.url("deliverable", std.charter_due),
        reverse("standards:deliverable_file", args=[deliverable.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_every_version_of_a_template_is_kept_and_numbered(client, world):
    std = Standard(world)
    client.force_login(world.pmo)
    for n in range(3):
        publish(client, std.charter, docx(f"v{n}"), notes=f"Révision {n}")
    assert list(Template.objects.values_list("version", flat=True)) == [3, 2, 1]
    client.force_login(world.member)
    page = client.get(reverse("standards:template_list"), **EN).content.decode()
    for template in Template.objects.all():
        assert reverse("standards:template_download", args=[template.pk]) in page and template.notes in page
    client.force_login(world.pm)
    assert publish(client, std.charter, docx()).status_code == 403


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_deliverables_page_costs_the_same_queries_for_one_or_many_rows(client, world):
    few = Standard(world)
    client.force_login(world.pm)
    provide(client, few, few.charter_due, "charte.docx", docx(), approver=world.executive.pk)
    one = queries_for(client, few.url("project_deliverables"))
    DeliverableRequirement.objects.filter(pk=few.case_due.pk).delete()
    assert queries_for(client, few.url("project_deliverables")) == one

    for n in range(8):
        extra = DeliverableType.objects.create(name=f"Annexe {n}", name_en=f"Appendix {n}", order=10 + n)
        due = few.require(few.design, extra)
        provide(client, few, due, f"annexe{n}.docx", docx(), approver=world.executive.pk)
        client.force_login(world.pmo)
        publish(client, extra, docx())
        client.force_login(world.pm)
    # session, user, groups; the project with its phase; deliverables_due (the project's methodology,
    # the defaults, the requirements, the deliverables: 4); the current templates; the approvers; may the
    # user provide (editable_by): 11.
    assert queries_for(client, few.url("project_deliverables")) == one == 11


def test_the_project_page_panel_counts_the_current_phase_and_names_the_missing(client, world):
    std = Standard(world)
    Deliverable.objects.create(
        project=std.project, deliverable_type=std.charter, phase=std.design, state=Deliverable.State.APPROVED
    )
    client.force_login(world.pm)
    page = client.get(std.project.get_absolute_url(), **EN).content.decode()
    panel = page[page.index("deliverables-panel-title") :]
    assert "Current phase: 1 of 2 deliverables approved or waived." in panel
    assert "Business case" in panel[: panel.index("</section>")]
