"""A request's attachments: typed by their content, served to who sees the request, deleted by who
edits it."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from demand.models import RequestAttachment
from tests.demand.intake_world import _in_english, _media_in_a_temporary_directory, submit  # noqa: F401

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("_media_in_a_temporary_directory", "_in_english"),
]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def upload(client, project_request, name, content):
    url = reverse("demand:attachment_upload", kwargs={"code": project_request.code})
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def test_the_requester_attaches_a_pdf_and_a_colleague_downloads_it(client, world):
    project_request = submit(world.pm)
    client.force_login(world.pm)
    assert upload(client, project_request, "cahier des charges.pdf", PDF).status_code == 302
    attachment = RequestAttachment.objects.get()
    assert attachment.content_type == "application/pdf" and attachment.size == len(PDF)

    client.force_login(world.pmo)
    response = client.get(reverse("demand:attachment_download", kwargs={"pk": attachment.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF


def test_an_office_document_is_recognised_by_its_content(client, world):
    project_request = submit(world.pm)
    client.force_login(world.pm)
    assert upload(client, project_request, "note.docx", docx()).status_code == 302
    assert RequestAttachment.objects.get().content_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("note.docx", PDF, "but its content is not of that type"),
        ("programme.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "This type of file is not accepted"),
        ("vide.txt", b"", "is empty"),
    ],
)
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(client, world, name, content, message):
    project_request = submit(world.pm)
    client.force_login(world.pm)
    response = upload(client, project_request, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RequestAttachment.objects.exists()


def test_a_file_over_the_limit_is_refused(client, world, monkeypatch):
    monkeypatch.setattr("imports.attachments.MAX_BYTES", 10)
    project_request = submit(world.pm)
    client.force_login(world.pm)
    response = upload(client, project_request, "gros.pdf", PDF)
    assert response.status_code == 400
    assert "the largest file accepted is" in response.content.decode()


def test_an_outsider_gets_404_for_the_download_and_a_reader_403_for_the_deletion(client, world):
    project_request = submit(world.pm)
    client.force_login(world.pm)
    upload(client, project_request, "budget.pdf", PDF)
    attachment = RequestAttachment.objects.get()
    client.force_login(world.other_pm)
    assert client.get(reverse("demand:attachment_download", kwargs={"pk": attachment.pk})).status_code == 404
    assert client.post(reverse("demand:attachment_delete", kwargs={"pk": attachment.pk})).status_code == 404
    client.force_login(world.executive)
    assert client.post(reverse("demand:attachment_delete", kwargs={"pk": attachment.pk})).status_code == 403
    client.force_login(world.pm)
    assert client.post(reverse("demand:attachment_delete", kwargs={"pk": attachment.pk})).status_code == 302
    assert not RequestAttachment.objects.exists()
