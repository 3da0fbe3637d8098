"""Forms of the deliverables part. Files are typed by their content (`imports.attachments`), with the same
messages as every other upload; a refused file leaves what was kept untouched."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from imports.attachments import ACCEPT, checked_upload
from pmo.models import User
from standards.models import Deliverable, DeliverableType, Template


class _TypedFile:
    """Sets `content_type` from the upload's content when it is accepted."""

    content_type = ""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            self.content_type = checked_upload(upload)
        return upload


class TemplateForm(_TypedFile, forms.Form):
    deliverable_type = forms.ModelChoiceField(
        label=_("Deliverable"), queryset=DeliverableType.objects.filter(is_active=True)
    )
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("Word, Excel or PowerPoint (or PDF); its type is judged by its content."),
    )
    notes = forms.CharField(label=_("What changed"), max_length=300)


class DeliverableForm(_TypedFile, forms.Form):
    file = forms.FileField(
        label=_("File"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("Leave empty to keep the file already provided."),
    )
    link = forms.URLField(
        label=_("Or a link"), required=False, max_length=500, assume_scheme="https",
        help_text=_("To the document where it is kept (intranet, document library)."),
    )  # fmt: skip
    template = forms.ModelChoiceField(
        label=_("Started from template"), queryset=Template.objects.none(), required=False
    )
    approver = forms.ModelChoiceField(
        label=_("Approver"),
        queryset=User.objects.filter(is_active=True).order_by("last_name", "first_name"),
        required=False,
        empty_label=_("The PMO"),
        help_text=_("Blank: the PMO approves."),
    )

    def __init__(self, *args, deliverable: Deliverable | None, deliverable_type, **kwargs):
        self.deliverable = deliverable
        initial = kwargs.pop("initial", {})
        if deliverable is not None:
            initial = {"link": deliverable.link, "approver": deliverable.approver_id, **initial}
            if deliverable.template_id:
                initial["template"] = deliverable.template_id
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["template"].queryset = Template.objects.filter(deliverable_type=deliverable_type)

    def clean(self):
        data = super().clean()
        has_file = bool(data.get("file")) or bool(self.deliverable and self.deliverable.file)
        if not self.errors and not has_file and not data.get("link"):
            raise forms.ValidationError(_("Provide a file or a link."))
        return data


class ReviewForm(forms.Form):
    APPROVE, SEND_BACK = "approve", "send_back"
    verdict = forms.ChoiceField(
        label=_("Verdict"), choices=[(APPROVE, _("Approve")), (SEND_BACK, _("Send back to draft"))]
    )
    comment = forms.CharField(
        label=_("Comment"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("verdict") == self.SEND_BACK and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what is to be changed."))
        return data


class WaiverForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the waiver"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
