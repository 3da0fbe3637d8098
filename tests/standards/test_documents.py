"""Governance documents: the register (references, filters, exports, pinned queries), versions kept forever,
approval by the owner or by the committee's decision in the live meeting, the review reminder, the
committee's page showing its terms of reference, and uploads refused as the import refuses them."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from openpyxl import load_workbook

from governance import services as governance
from governance.models import Committee, Decision
from governance.selectors import agenda_proposals
from standards import services_document as services
from standards.models import DocumentVersion, GovernanceDocument
from standards.tasks import remind_document_reviews
from tests.factories import CommitteeFactory, UserFactory, planned_meeting

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LIST = reverse("standards:document_list")
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def new_document(world, **values):
    values = {"title": "Procédure de décision", "kind": GovernanceDocument.Kind.DECISION_PROCEDURE,
              "owner": world.pm, "review_months": 12} | values  # fmt: skip
    return services.document_create(values=values, by=world.pmo)


def add_version(document, by, *, changes="Première version.", name="procedure.pdf", data=PDF):
    upload = SimpleUploadedFile(name, data)
    return services.version_add(
        document=document, by=by, changes=changes, upload=upload, content_type="application/pdf"
    )


def test_the_pmo_creates_a_document_with_the_next_reference(client, world):
    client.force_login(world.pmo)
    committee = CommitteeFactory(code="copil-si", name="COPIL SI")
    response = client.post(
        reverse("standards:document_create"),
        {"title": "Termes de référence du COPIL SI", "kind": "tor", "owner": world.pm.pk,
         "committee": committee.pk, "review_months": 12, "is_active": "on"},
    )  # fmt: skip
    first = GovernanceDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "standards:document_detail", args=[first.pk]
    )
    assert first.reference == "GD-001" and first.committee == committee and first.owner == world.pm
    assert new_document(world).reference == "GD-002"
    page = client.get(LIST, **EN).content.decode()
    assert "GD-001" in page and "GD-002" in page and "Termes de référence du COPIL SI" in page


def test_a_version_is_added_by_its_owner_as_a_draft_and_every_version_is_kept(client, world):
    document = new_document(world)
    client.force_login(world.pm)
    url = reverse("standards:document_new_version", args=[document.pk])
    for number, changes in enumerate(["Première version.", "Quorum précisé."], start=1):
        response = client.post(url, {"file": SimpleUploadedFile("proc.pdf", PDF), "changes": changes})
        assert response.status_code == 302
        version = document.versions.get(number=number)
        assert version.state == DocumentVersion.State.DRAFT and version.content_type == "application/pdf"
        assert version.uploaded_by == world.pm and version.changes == changes
        services.version_approve(version=version, by=world.pm)
    link = client.post(url, {"link": "https://intranet.example/proc", "changes": "Lien vers la GED."})
    assert link.status_code == 302
    assert list(document.versions.order_by("number").values_list("number", "state")) == [
        (1, "approved"), (2, "approved"), (3, "draft"),
    ]  # fmt: skip
    page = client.get(reverse("standards:document_detail", args=[document.pk]), **EN).content.decode()
    assert page.count("proc.pdf") == 2 and "https://intranet.example/proc" in page
    assert "Quorum précisé." in page and "Première version." in page
    download = client.get(reverse("standards:document_version_download", args=[version.pk]))
    assert b"".join(download.streaming_content) == PDF and download["Content-Type"] == "application/pdf"


def test_another_user_may_read_but_not_add_a_version(client, world):
    document = new_document(world)
    version = add_version(document, world.pm)
    client.force_login(world.member)
    assert client.get(reverse("standards:document_detail", args=[document.pk])).status_code == 200
    assert client.get(reverse("standards:document_version_download", args=[version.pk])).status_code == 200
    assert client.get(reverse("standards:document_new_version", args=[document.pk])).status_code == 403
    assert client.post(reverse("standards:document_version_approve", args=[version.pk])).status_code == 403


def test_the_owners_approval_sets_the_next_review_and_keeps_the_earlier_approval(client, world):
    document = new_document(world, review_months=18)
    first = add_version(document, world.pm)
    services.version_approve(version=first, by=world.pm)
    DocumentVersion.objects.filter(pk=first.pk).update(approved_on=timezone.localdate() - timedelta(days=400))
    second = add_version(document, world.pm, changes="Revue annuelle.")
    client.force_login(world.pm)

    response = client.post(reverse("standards:document_version_approve", args=[second.pk]))

    assert response.status_code == 302
    second.refresh_from_db()
    document.refresh_from_db()
    today = timezone.localdate()
    assert second.state == DocumentVersion.State.APPROVED and second.approved_by == world.pm
    assert second.approved_on == today and document.next_review == today + relativedelta(months=18)
    first.refresh_from_db()
    assert first.state == DocumentVersion.State.APPROVED  # history, no longer in force
    row = services.register_rows().get(pk=document.pk)
    assert (row.current_number, row.latest_number) == (2, 2)


def test_only_the_latest_draft_is_approved_and_a_committee_document_is_proposed_instead(world):
    committee = CommitteeFactory()
    document = new_document(world, approving_committee=committee)
    version = add_version(document, world.pm)
    with pytest.raises(services.DocumentError):
        services.version_approve(version=version, by=world.pm)
    free = new_document(world)
    old = add_version(free, world.pm)
    add_version(free, world.pm)
    with pytest.raises(services.DocumentError):
        services.version_approve(version=old, by=world.pm)
    with pytest.raises(services.DocumentError):
        services.version_propose(version=free.versions.get(number=2), by=world.pm)


def proposals(meeting):
    with translation.override("en"):
        return {p.subject_key: p for p in agenda_proposals(meeting, today=timezone.localdate())}


def test_the_committee_approves_a_proposed_version_in_the_live_meeting(client, world):
    committee = CommitteeFactory(code="codir", name="CODIR", kind=Committee.Kind.EXECUTIVE, quorum=1)
    document = new_document(world, approving_committee=committee, review_months=24)
    version = add_version(document, world.pm)
    client.force_login(world.pm)
    assert client.post(reverse("standards:document_version_propose", args=[version.pk])).status_code == 302
    version.refresh_from_db()
    assert version.state == DocumentVersion.State.PROPOSED
    # No new version while the committee has not decided.
    with pytest.raises(services.DocumentError):
        add_version(document, world.pm)

    meeting = planned_meeting(committee=committee, by=world.pmo)
    proposal = proposals(meeting)[f"document-version-{version.pk}"]
    assert proposal.title == f"Approval of {document.reference} v1: Procédure de décision"
    assert proposal.presenter == world.pm
    item = governance.agenda_accept(meeting=meeting, proposal=proposal)
    assert f"document-version-{version.pk}" not in proposals(meeting)  # an item waits for it
    governance.meeting_start(meeting=meeting, by=world.pmo)
    client.force_login(world.pmo)
    response = client.post(
        reverse("governance:live_decision", args=[meeting.pk]),
        {"decision-item": item.pk, "decision-title": "Approbation", "decision-outcome": "approved"},
        **EN,
    )

    assert response.status_code == 200
    version.refresh_from_db()
    document.refresh_from_db()
    decision = Decision.objects.get(agenda_item=item)
    assert version.state == DocumentVersion.State.APPROVED and version.decision == decision
    assert version.approved_on == decision.decided_on
    assert document.next_review == decision.decided_on + relativedelta(months=24)
    page = client.get(reverse("standards:document_detail", args=[document.pk]), **EN).content.decode()
    assert f"decision {decision.reference}" in page


def test_a_rejected_version_stays_in_the_history_and_a_deferred_one_comes_back(world):
    committee = CommitteeFactory(quorum=1)
    document = new_document(world, approving_committee=committee)
    version = services.version_propose(version=add_version(document, world.pm), by=world.pm)
    meeting = planned_meeting(committee=committee, by=world.pmo)
    item = governance.agenda_accept(
        meeting=meeting, proposal=proposals(meeting)[f"document-version-{version.pk}"]
    )
    governance.meeting_start(meeting=meeting, by=world.pmo)
    governance.decision_record(
        committee=committee, meeting=meeting, agenda_item=item, title="Report", by=world.pmo,
        outcome=Decision.Outcome.DEFERRED,
    )  # fmt: skip
    version.refresh_from_db()
    assert version.state == DocumentVersion.State.PROPOSED
    governance.meeting_close(meeting=meeting, by=world.pmo)
    later = planned_meeting(committee=committee, by=world.pmo)
    item = governance.agenda_accept(
        meeting=later, proposal=proposals(later)[f"document-version-{version.pk}"]
    )
    governance.meeting_start(meeting=later, by=world.pmo)
    decision = governance.decision_record(
        committee=committee, meeting=later, agenda_item=item, title="Rejet", by=world.pmo,
        outcome=Decision.Outcome.REJECTED,
    )  # fmt: skip
    version.refresh_from_db()
    document.refresh_from_db()
    assert version.state == DocumentVersion.State.REJECTED and version.decision == decision
    assert document.next_review is None
    assert add_version(document, world.pm).number == 2  # a new version may follow the rejected one


def test_the_reminder_sends_one_email_per_owner_in_their_language_once_a_day(world, settings):
    settings.SITE_URL = "https://pmo.example.test"
    today = timezone.localdate()
    world.pm.language = "en"
    world.pm.save()
    world.member.language = "fr"
    world.member.save()
    overdue = new_document(world, title="RACI", next_review=today - timedelta(days=3))
    soon = new_document(world, title="Procédure d'escalade", next_review=today + timedelta(days=14))
    new_document(world, title="Pas encore", next_review=today + timedelta(days=15))
    theirs = new_document(world, title="Termes de référence", owner=world.member, next_review=today)

    assert remind_document_reviews() == 2

    to_pm = next(message for message in mail.outbox if message.to == [world.pm.email])
    to_member = next(message for message in mail.outbox if message.to == [world.member.email])
    assert to_pm.subject == "Governance documents: 2 reviews due"
    assert "is overdue" in to_pm.body and overdue.reference in to_pm.body and soon.reference in to_pm.body
    assert to_pm.body.index(overdue.reference) < to_pm.body.index(soon.reference)
    assert "Pas encore" not in to_pm.body and theirs.reference not in to_pm.body
    assert f"https://pmo.example.test{reverse('standards:document_detail', args=[soon.pk])}" in to_pm.body
    assert to_member.subject == "Documents de gouvernance : 1 revue à faire"
    assert theirs.reference in to_member.body and "Bonjour" in to_member.body
    assert remind_document_reviews() == 0 and len(mail.outbox) == 2


def test_the_register_flags_overdue_reviews_filters_and_exports(client, world):
    today = timezone.localdate()
    late = new_document(world, title="RACI du portefeuille", next_review=today - timedelta(days=1),
                        kind=GovernanceDocument.Kind.RACI)  # fmt: skip
    fine = new_document(
        world, title="Politique de gouvernance", owner=world.member, next_review=today + timedelta(days=100),
        kind=GovernanceDocument.Kind.POLICY,
    )  # fmt: skip
    client.force_login(world.member)

    def references(**query) -> set[str]:
        page = client.get(LIST, query, **EN).content.decode()
        return {d.reference for d in (late, fine) if d.reference in page}

    page = client.get(LIST, **EN).content.decode()
    assert page.count("Review overdue</span>") == 1
    assert references(review="overdue") == {late.reference}
    assert references(kind="policy") == {fine.reference}
    assert references(owner=world.member.pk) == {fine.reference}
    assert references(q="RACI") == {late.reference}
    by_review = client.get(LIST, {"sort": "-review"}).content.decode()
    assert by_review.index(fine.reference) < by_review.index(late.reference)
    csv = client.get(LIST, {"export": "csv", "review": "overdue"}, **EN).content.decode("utf-8-sig")
    assert late.reference in csv and fine.reference not in csv
    workbook = load_workbook(io.BytesIO(client.get(LIST, {"export": "xlsx"}).content))
    cells = {c for row in workbook.active.iter_rows(values_only=True) for c in row}
    assert {late.reference, fine.reference} <= cells


def queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_the_register_query_count_does_not_grow_with_the_rows(client, world, django_assert_num_queries):
    committee = CommitteeFactory()
    document = new_document(world, committee=committee)
    add_version(document, world.pm)
    client.force_login(world.member)
    small = queries(client, LIST)
    for number in range(6):
        more = new_document(
            world, title=f"Procédure {number}", owner=UserFactory(), committee=CommitteeFactory()
        )
        services.version_approve(version=add_version(more, world.pm), by=world.pm)
    assert len(queries(client, LIST)) == len(small)
    # The session, the user, the groups; the page's count, its rows with their owner, committees and
    # versions (annotations); the committees and owners of the filters.
    with django_assert_num_queries(7):
        client.get(LIST)


def test_an_upload_is_refused_as_the_import_refuses_it(client, world):
    document = new_document(world)
    client.force_login(world.pm)
    url = reverse("standards:document_new_version", args=[document.pk])
    renamed = client.post(url, {"file": SimpleUploadedFile("proc.docx", PDF), "changes": "x"}, **EN)
    assert renamed.status_code == 400 and "its content is not of that type" in renamed.content.decode()
    binary = client.post(url, {"file": SimpleUploadedFile("a.pdf", b"\x00\x01MZ" * 10), "changes": "x"}, **EN)
    assert binary.status_code == 400 and "This type of file is not accepted" in binary.content.decode()
    neither = client.post(url, {"changes": "x"}, **EN)
    assert neither.status_code == 400 and "Give either a file or a link." in neither.content.decode()
    assert not document.versions.exists()


def test_the_committee_page_shows_its_terms_of_reference(client, world):
    committee = CommitteeFactory(code="copil-si", name="COPIL SI", members=[world.member])
    tor = new_document(world, title="Termes de référence du COPIL SI", committee=committee,
                       kind=GovernanceDocument.Kind.TERMS_OF_REFERENCE)  # fmt: skip
    version = add_version(tor, world.pm)
    client.force_login(world.member)
    url = reverse("governance:committee_detail", args=[committee.code])
    assert "no version approved yet" in client.get(url, **EN).content.decode()
    services.version_approve(version=version, by=world.pm)

    page = client.get(url, **EN).content.decode()

    with translation.override("en"):
        day = date_format(timezone.localdate(), "DATE_FORMAT")
    assert "Terms of reference:" in page and f"{tor.reference}</span> v1" in page
    assert f"approved on {day}" in page
    assert reverse("standards:document_detail", args=[tor.pk]) in page
    detail = client.get(reverse("standards:document_detail", args=[tor.pk])).content.decode()
    assert reverse("governance:committee_detail", args=[committee.code]) in detail
