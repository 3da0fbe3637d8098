"""The register of governance documents: the list (filters, sort, exports), a document's page with every
version, the PMO's sheet, adding a version, approving or proposing it, downloading a version's file.

The governance framework is not confidential: every signed-in user reads the register, each document and
its versions' files (a document tied to a committee too). The PMO and administrators create and change
documents; a document's owner (or the PMO) adds its versions and approves them, or proposes them to the
approving committee (403 for the others).
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance.models import Committee
from pmo import spreadsheets
from pmo.spreadsheets import DATE_FORMAT, Column, choice_labels, label, requested
from standards import services_document as services
from standards.forms_document import DocumentFilter, DocumentForm, VersionForm
from standards.models import DocumentVersion, GovernanceDocument

PAGE_SIZE = 25

COLUMNS = [
    Column(gettext_lazy("Reference"), 10),
    Column(gettext_lazy("Title"), 45),
    Column(gettext_lazy("Kind"), 28),
    Column(gettext_lazy("Owner"), 22),
    Column(gettext_lazy("Committee it governs"), 30),
    Column(gettext_lazy("Approved by the committee"), 30),
    Column(gettext_lazy("Version in force"), 10),
    Column(gettext_lazy("Approved on"), 12, DATE_FORMAT),
    Column(gettext_lazy("Latest version"), 10),
    Column(gettext_lazy("Latest version's state"), 18),
    Column(gettext_lazy("Review every (months)"), 10),
    Column(gettext_lazy("Next review"), 12, DATE_FORMAT),
    Column(gettext_lazy("Review overdue"), 10),
]


def _rows(documents, today):
    labels = choice_labels(GovernanceDocument, "kind")
    states = dict(DocumentVersion.State.choices)
    yes, no = _("Yes"), _("No")
    for row in documents:
        yield [
            row.reference,
            row.title,
            label(labels["kind"], row.kind),
            str(row.owner),
            row.committee.name if row.committee else "",
            row.approving_committee.name if row.approving_committee else "",
            row.current_number,
            row.current_approved_on,
            row.latest_number,
            str(states.get(row.latest_state, "")),
            row.review_months,
            row.next_review,
            yes if row.next_review and row.next_review < today else no,
        ]


@login_required
@require_GET
def document_list(request):
    rows = services.register_rows()
    filterset = DocumentFilter(request.GET, queryset=rows, request=request)
    documents = filterset.qs if filterset.is_valid() else rows.none()
    today = timezone.localdate()
    kind = requested(request)
    if kind:
        return spreadsheets.export_response(
            kind,
            COLUMNS,
            _rows(documents, today),
            filename=f"{_('governance-documents')}-{today:%Y-%m-%d}",
            title=_("Governance documents"),
        )
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "standards/document_list.html",
        {
            "filter": filterset,
            "page": page,
            "sort": request.GET.get("sort", ""),
            "today": today,
            "soon": today + timedelta(days=services.REMIND_DAYS_BEFORE),
            "can_create": services.can_manage_register(request.user),
        },
    )


def _document(pk: int) -> GovernanceDocument:
    return get_object_or_404(services.register_rows(), pk=pk)


@login_required
@require_GET
def document_detail(request, pk):
    document = _document(pk)
    versions = list(
        document.versions.select_related("approved_by", "uploaded_by", "decision").order_by("-number")
    )
    latest = versions[0] if versions else None
    can_change = services.can_change_versions(request.user, document)
    visible = set(
        Committee.objects.visible_to(request.user)
        .filter(pk__in=[document.committee_id, document.approving_committee_id])
        .values_list("pk", flat=True)
    )
    today = timezone.localdate()
    return render(
        request,
        "standards/document_detail.html",
        {
            "document": document,
            "versions": versions,
            "latest": latest,
            "current_number": document.current_number,
            "can_edit": services.can_manage_register(request.user),
            "can_change": can_change,
            "can_add": can_change and not (latest and latest.state == DocumentVersion.State.PROPOSED),
            "can_approve": can_change
            and latest is not None
            and latest.state == DocumentVersion.State.DRAFT
            and not document.approving_committee_id,
            "can_propose": can_change
            and latest is not None
            and latest.state == DocumentVersion.State.DRAFT
            and bool(document.approving_committee_id),
            "committee_visible": document.committee_id in visible,
            "approving_visible": document.approving_committee_id in visible,
            "today": today,
            "overdue": document.next_review is not None and document.next_review < today,
        },
    )


def _sheet(request, document: GovernanceDocument):
    creating = document.pk is None
    form = DocumentForm(request.POST if request.method == "POST" else None, instance=document)
    if request.method == "POST" and form.is_valid():
        if creating:
            values = {name: form.cleaned_data[name] for name in form.Meta.fields}
            document = services.document_create(values=values, by=request.user)
            messages.success(
                request, _("Document %(reference)s created.") % {"reference": document.reference}
            )
        else:
            document = form.save()
            messages.success(request, _("Document %(reference)s saved.") % {"reference": document.reference})
        return redirect("standards:document_detail", pk=document.pk)
    return render(request, "standards/document_form.html", {"form": form, "document": document})


@login_required
@require_http_methods(["GET", "POST"])
def document_create(request):
    if not services.can_manage_register(request.user):
        raise PermissionDenied
    return _sheet(request, GovernanceDocument())


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request, pk):
    document = get_object_or_404(GovernanceDocument, pk=pk)
    if not services.can_manage_register(request.user):
        raise PermissionDenied
    return _sheet(request, document)


@login_required
@require_http_methods(["GET", "POST"])
def document_new_version(request, pk):
    document = get_object_or_404(GovernanceDocument.objects.select_related("owner"), pk=pk)
    if not services.can_change_versions(request.user, document):
        raise PermissionDenied
    form = VersionForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                version = services.version_add(
                    document=document,
                    by=request.user,
                    changes=form.cleaned_data["changes"],
                    upload=form.cleaned_data.get("file") or None,
                    content_type=form.content_type,
                    link=form.cleaned_data.get("link") or "",
                )
            except services.DocumentError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Version %(number)s added as a draft.") % {"number": version.number}
                )
                return redirect("standards:document_detail", pk=document.pk)
        status = 400
    return render(
        request, "standards/document_version_form.html", {"form": form, "document": document}, status=status
    )


def _version(pk: int) -> DocumentVersion:
    return get_object_or_404(DocumentVersion.objects.select_related("document"), pk=pk)


def _step(request, pk, service, done: str):
    version = _version(pk)
    if not services.can_change_versions(request.user, version.document):
        raise PermissionDenied
    try:
        service(version=version, by=request.user)
    except services.DocumentError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done % {"number": version.number})
    return redirect("standards:document_detail", pk=version.document_id)


@login_required
@require_POST
def document_version_approve(request, pk):
    return _step(request, pk, services.version_approve, _("Version %(number)s approved."))


@login_required
@require_POST
def document_version_propose(request, pk):
    return _step(
        request,
        pk,
        services.version_propose,
        _("Version %(number)s proposed: it is on the approving committee's next agenda."),
    )


@login_required
@require_GET
def document_version_download(request, pk):
    version = _version(pk)
    if not version.file:
        raise Http404
    try:
        handle = version.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=version.file_name or version.file.name.rsplit("/", 1)[-1],
        content_type=version.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("documents/", document_list, name="document_list"),
    path("documents/new/", document_create, name="document_create"),
    path("documents/<int:pk>/", document_detail, name="document_detail"),
    path("documents/<int:pk>/edit/", document_edit, name="document_edit"),
    path("documents/<int:pk>/versions/new/", document_new_version, name="document_new_version"),
    path("documents/versions/<int:pk>/approve/", document_version_approve, name="document_version_approve"),
    path("documents/versions/<int:pk>/propose/", document_version_propose, name="document_version_propose"),
    path("documents/versions/<int:pk>/file/", document_version_download, name="document_version_download"),
]
