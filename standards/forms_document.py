"""The governance documents' forms: the register's filters, a document's sheet and a new version."""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Committee
from imports.attachments import ACCEPT, checked_upload
from pmo.filters import StableOrderingFilter
from pmo.models import User
from standards.models import GovernanceDocument

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OVERDUE = "overdue"
DUE_SOON = "soon"


def _people(*keep: int | None):
    """Active users, plus whoever the sheet already names."""
    return User.objects.filter(Q(is_active=True) | Q(pk__in=[pk for pk in keep if pk])).order_by(
        "last_name", "first_name", "username"
    )


class DocumentFilter(django_filters.FilterSet):
    """The register's filters; the queryset comes from `services_document.register_rows`."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=GovernanceDocument.Kind.choices, empty_label=_("All kinds")
    )
    committee = django_filters.ModelChoiceFilter(
        label=_("Committee"), queryset=Committee.objects.none(), empty_label=_("All committees"),
        method="filter_committee",
    )  # fmt: skip
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), queryset=User.objects.none(), empty_label=_("All owners")
    )
    review = django_filters.ChoiceFilter(
        label=_("Review"),
        choices=[(OVERDUE, _("Review overdue")), (DUE_SOON, _("Review overdue or due within 14 days"))],
        empty_label=_("Any review date"),
        method="filter_review",
    )
    sort = StableOrderingFilter(
        tie_breaker="reference",
        label=_("Sort by"),
        nulls_last=("next_review",),
        fields=(
            ("reference", "reference"),
            ("title", "title"),
            ("kind", "kind"),
            ("owner__last_name", "owner"),
            ("next_review", "review"),
        ),
    )

    class Meta:
        model = GovernanceDocument
        fields = ["q", "kind", "committee", "owner", "review"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the committees and owners some document names: a short list, one query each.
        self.filters["committee"].queryset = Committee.objects.filter(
            Q(governance_documents__isnull=False)
            | Q(pk__in=GovernanceDocument.objects.values("approving_committee"))
        ).distinct().order_by("name")  # fmt: skip
        self.filters["owner"].queryset = (
            User.objects.filter(governance_documents__isnull=False)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(reference__icontains=value) | Q(title__icontains=value) | Q(description__icontains=value)
        )

    def filter_committee(self, queryset, name, value):
        return queryset.filter(Q(committee=value) | Q(approving_committee=value))

    def filter_review(self, queryset, name, value):
        from standards.services_document import REMIND_DAYS_BEFORE

        today = timezone.localdate()
        if value == OVERDUE:
            return queryset.filter(next_review__lt=today)
        return queryset.filter(next_review__lte=today + timedelta(days=REMIND_DAYS_BEFORE))


class DocumentForm(forms.ModelForm):
    class Meta:
        model = GovernanceDocument
        fields = [
            "title",
            "kind",
            "description",
            "owner",
            "committee",
            "approving_committee",
            "review_months",
            "next_review",
            "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "next_review": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people(self.instance.owner_id)
        committees = Committee.objects.order_by("name")
        self.fields["committee"].queryset = committees
        self.fields["approving_committee"].queryset = committees
        self.fields["review_months"].min_value = 1
        self.fields["review_months"].widget.attrs["min"] = 1
        self.fields["next_review"].help_text = _(
            "Set again on each approval: its date plus the review period."
        )

    def clean_review_months(self):
        months = self.cleaned_data["review_months"]
        if not months or months > 120:
            raise forms.ValidationError(_("Between 1 and 120 months."))
        return months


class VersionForm(forms.Form):
    file = forms.FileField(
        label=_("File"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )
    link = forms.URLField(
        label=_("Or a link"), required=False, max_length=500, assume_scheme="https",
        help_text=_("Where the document is kept (the intranet's document management, say)."),
    )  # fmt: skip
    changes = forms.CharField(
        label=_("What changed"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    content_type = ""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            self.content_type = checked_upload(upload)
        return upload

    def clean(self):
        data = super().clean()
        if "file" in self.errors:
            return data
        if bool(data.get("file")) == bool(data.get("link")):
            raise forms.ValidationError(_("Give either a file or a link."))
        return data
