"""The PMO's executive packs: the list (with the form to open one and the policy), the editor, the
preview of the draft as a PDF, and publishing (`reporting.packs` does the writing).

Access: the PMO's and administrators' only (403 for every other role, before anything is read); a pack
that does not exist is a 404. Every change is a POST. A save from a stale form answers 409 with both
versions: the one saved meanwhile, and the one typed (kept in the form).

The preview is rendered in the request (the PMO waits for it, nothing is stored) by the report's own
build (`reporting.pdf.kinds.build`) from an unsaved report built from the draft (`packs.draft_report`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from reporting.models import ExecutivePack, PackPolicy, PackPublication, Report
from reporting.pack_forms import PackEditor, PackOpenForm, PackPolicyForm
from reporting.packs import (
    NothingToPublish,
    PackConflict,
    draft_report,
    pack_exceptions,
    pack_open,
    pack_publish,
    pack_save,
    period_of,
)
from reporting.pdf.content.curation import SECTIONS
from reporting.views.reports import may_manage


def _manager(request) -> None:
    if not may_manage(request.user):
        raise PermissionDenied


def _pack(request, pk: int) -> ExecutivePack:
    _manager(request)
    return get_object_or_404(ExecutivePack.objects.select_related("opened_by", "updated_by"), pk=pk)


def _list_context(form: PackOpenForm, policy_form: PackPolicyForm | None = None) -> dict:
    latest = Prefetch(
        "publications",
        queryset=PackPublication.objects.select_related("published_by").order_by("-number"),
    )
    packs = list(ExecutivePack.objects.select_related("updated_by").prefetch_related(latest))
    for pack in packs:
        pack.period_label = period_of(pack).label
    return {
        "packs": packs,
        "form": form,
        "policy_form": policy_form or PackPolicyForm(instance=PackPolicy.current()),
    }


@login_required
@require_http_methods(["GET", "POST"])
def packs(request):
    """The packs, the form to open one (POST), and the policy."""
    _manager(request)
    today = timezone.localdate()
    if request.method == "GET":
        kind = request.GET.get("kind")
        form = PackOpenForm(initial={"kind": kind} if kind else {}, today=today)
        return render(request, "reporting/pack_list.html", _list_context(form))
    form = PackOpenForm(request.POST, today=today)
    if not form.is_valid():
        return render(request, "reporting/pack_list.html", _list_context(form), status=400)
    data = form.cleaned_data
    pack, created = pack_open(kind=data["kind"], period=data["period"], user=request.user)
    if created:
        messages.success(
            request, _("The draft is opened: write its key messages, then preview and publish it.")
        )
    else:
        messages.info(request, _("This pack was already opened: here it is."))
    return redirect("reporting:pack_edit", pk=pack.pk)


@login_required
@require_POST
def pack_policy(request):
    """The two boxes: which scheduled reports wait for the PMO's publication."""
    _manager(request)
    form = PackPolicyForm(request.POST, instance=PackPolicy.current())
    form.save()  # two boxes: nothing can be invalid
    messages.success(request, _("The policy is saved."))
    return redirect("reporting:packs")


def _editor_context(pack: ExecutivePack, editor: PackEditor, **more) -> dict:
    versions = (
        pack.publications.select_related("published_by")
        .prefetch_related(Prefetch("reports", queryset=Report.objects.order_by("language", "-version")))
        .order_by("-number")
    )
    conflict = more.get("conflict")
    return {
        "pack": pack,
        "period": period_of(pack),
        "editor": editor,
        "versions": versions,
        # The other version's section comments under their sections' names.
        "conflict_sections": [
            (label, conflict.section_comments[code])
            for code, label in SECTIONS[pack.kind]
            if conflict and conflict.section_comments.get(code)
        ],
        **more,
    }


def _render_editor(request, pack: ExecutivePack, editor: PackEditor, *, status: int = 200, **more):
    return render(request, "reporting/pack_edit.html", _editor_context(pack, editor, **more), status=status)


def _posted_editor(request, pack: ExecutivePack) -> PackEditor:
    return PackEditor(pack, exceptions=pack_exceptions(pack), data=request.POST)


def _conflict(request, error: PackConflict):
    """409: the pack as saved meanwhile beside the form, which keeps what was typed and now carries the
    current revision (saving again replaces the other version, knowingly)."""
    data = request.POST.copy()
    data["revision"] = str(error.current.revision)
    editor = PackEditor(error.current, exceptions=pack_exceptions(error.current), data=data)
    editor.is_valid()
    return _render_editor(request, error.current, editor, status=409, conflict=error.current)


@login_required
@require_http_methods(["GET", "POST"])
def pack_edit(request, pk: int):
    pack = _pack(request, pk)
    if request.method == "GET":
        return _render_editor(request, pack, PackEditor(pack, exceptions=pack_exceptions(pack)))
    editor = _posted_editor(request, pack)
    if not editor.is_valid():
        return _render_editor(request, pack, editor, status=400)
    try:
        saved = pack_save(pack, content=editor.content(), revision=editor.revision, user=request.user)
    except PackConflict as error:
        return _conflict(request, error)
    messages.success(request, _("The draft is saved."))
    return redirect("reporting:pack_edit", pk=saved.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def pack_preview(request, pk: int):
    """The draft's PDF in the reader's language: as saved (GET), or as typed in the editor (POST, saving
    nothing)."""
    from reporting.pdf.kinds import build  # WeasyPrint loads late: no other page needs it

    pack = _pack(request, pk)
    content = None
    if request.method == "POST":
        editor = _posted_editor(request, pack)
        if not editor.is_valid():
            return _render_editor(request, pack, editor, status=400)
        content = editor.content()
    report = draft_report(pack, language=request.LANGUAGE_CODE, content=content)
    rendered = build(report)
    response = HttpResponse(rendered.pdf, content_type="application/pdf")
    name = f"{pack.kind}-{pack.period.isoformat()}-{report.language}-draft.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
@require_POST
def pack_publish_view(request, pk: int):
    """Two steps: the editor's Publish saves what is typed and asks for confirmation; the confirmation
    (`confirm`, with the revision it showed) publishes."""
    pack = _pack(request, pk)
    if request.POST.get("confirm"):
        try:
            revision = int(request.POST.get("revision", ""))
        except ValueError:
            return HttpResponse(_("The form is incomplete: open the pack again."), status=400)
        try:
            publication = pack_publish(pack, user=request.user, revision=revision)
        except PackConflict as error:
            messages.error(
                request, _("The pack was saved by someone else meanwhile: nothing was published. Check it.")
            )
            editor = PackEditor(error.current, exceptions=pack_exceptions(error.current))
            return _render_editor(request, error.current, editor, status=409, conflict=error.current)
        except NothingToPublish as published:
            messages.info(
                request,
                _("Nothing changed since version %(number)d: it stands.")
                % {"number": published.args[0].number},
            )
            return redirect("reporting:pack_edit", pk=pack.pk)
        messages.success(
            request,
            _(
                "Version %(number)d is published: its reports are built in each language and emailed to "
                "the subscribers."
            )
            % {"number": publication.number},
        )
        return redirect("reporting:pack_edit", pk=pack.pk)
    editor = _posted_editor(request, pack)
    if not editor.is_valid():
        return _render_editor(request, pack, editor, status=400)
    try:
        saved = pack_save(pack, content=editor.content(), revision=editor.revision, user=request.user)
    except PackConflict as error:
        return _conflict(request, error)
    latest = saved.publications.order_by("-number").first()
    return render(
        request,
        "reporting/pack_publish.html",
        {
            "pack": saved,
            "period": period_of(saved),
            "number": (latest.number if latest else 0) + 1,
            "unchanged": saved.state == ExecutivePack.State.PUBLISHED,
            "latest": latest,
            "preview_url": reverse("reporting:pack_preview", args=[saved.pk]),
        },
    )


urlpatterns = [
    path("reports/packs/", packs, name="packs"),
    path("reports/packs/policy/", pack_policy, name="pack_policy"),
    path("reports/packs/<int:pk>/", pack_edit, name="pack_edit"),
    path("reports/packs/<int:pk>/preview/", pack_preview, name="pack_preview"),
    path("reports/packs/<int:pk>/publish/", pack_publish_view, name="pack_publish"),
]
