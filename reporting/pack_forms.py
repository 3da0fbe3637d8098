"""The executive pack's forms: opening one (kind and period), the policy (two boxes), and the editor (key
messages and decisions expected as ordered formsets, a comment per section and per exceptional project,
and the revision the editor started from)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reporting.models import ExecutivePack, PackPolicy, Report
from reporting.models.pack import CURATED_KINDS
from reporting.packs import MESSAGE_LENGTH, TITLE_LENGTH, last_complete
from reporting.pdf.content.common import TableRow
from reporting.pdf.content.curation import SECTIONS
from reporting.report_forms import KindAndPeriod, period_choices, period_value


class PackOpenForm(KindAndPeriod, forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=CURATED_KINDS)
    period = forms.CharField(label=_("Period"), max_length=20, widget=forms.Select)

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        kind = self.data.get("kind") if self.is_bound else self.initial.get("kind")
        kind = kind if kind in dict(CURATED_KINDS) else Report.Kind.MONTHLY
        self.initial.setdefault("kind", kind)
        self.initial.setdefault("period", period_value(last_complete(kind, today)))
        self.fields["period"].widget.choices = period_choices(kind, today)
        self.period_follows_kind(reverse("reporting:packs"))

    def clean(self):
        data = super().clean()
        self.clean_period_of_kind(data)
        return data


class PackPolicyForm(forms.ModelForm):
    class Meta:
        model = PackPolicy
        fields = ["monthly_waits", "quarterly_waits"]


def _text(label, *, length: int = MESSAGE_LENGTH, rows: int = 2) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=length,
        widget=forms.Textarea(attrs={"rows": rows, "class": "form-control"}),
    )


class OrderedRows(forms.BaseFormSet):
    """Rows with a number to order them by and a box to remove them, drawn as a table's cells."""

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("Order")
        form.fields["ORDER"].widget.attrs.update(
            {"class": "form-control form-control-sm pack-order", "min": 1}
        )
        form.fields["DELETE"].label = _("Remove")
        form.fields["DELETE"].widget.attrs.update({"class": "form-check-input"})


class KeyMessageForm(forms.Form):
    text = _text(_("Key message"))


class DecisionForm(forms.Form):
    title = forms.CharField(
        label=_("Decision expected"),
        required=False,
        max_length=TITLE_LENGTH,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    detail = _text(_("Detail"))

    def clean(self):
        data = super().clean()
        if data.get("detail", "").strip() and not data.get("title", "").strip():
            self.add_error("title", _("Give the decision a title (or clear its detail)."))
        return data


KeyMessageFormSet = forms.formset_factory(
    KeyMessageForm, formset=OrderedRows, extra=2, can_order=True, can_delete=True
)
DecisionFormSet = forms.formset_factory(
    DecisionForm, formset=OrderedRows, extra=1, can_order=True, can_delete=True
)


class CommentsForm(forms.Form):
    """A comment per section of the kind's PDF, and per exceptional project (and per project commented
    before that is no longer one: its comment is kept, and printed only if it is one again)."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, kind: str, exceptions: list[TableRow], commented: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = [(code, f"section_{code}") for code, _label in SECTIONS[kind]]
        for (_code, label), (_same, name) in zip(SECTIONS[kind], self.sections, strict=True):
            self.fields[name] = _text(label)
        codes = [line.project.code for line in exceptions]
        self.projects = [(line.project.code, f"project_{line.project.code}", line) for line in exceptions]
        self.projects += [(code, f"project_{code}", None) for code in commented if code not in codes]
        for code, name, line in self.projects:
            self.fields[name] = _text(f"{code} {line.project.name}" if line else code)

    def project_rows(self):
        """(code, table line or None, bound field) for the template."""
        return [(code, line, self[name]) for code, name, line in self.projects]

    def section_rows(self):
        return [self[name] for _code, name in self.sections]


class PackEditor:
    """The editor's forms as one: bound to a POST, or to the pack's content."""

    def __init__(self, pack: ExecutivePack, *, exceptions: list[TableRow], data=None) -> None:
        self.pack = pack
        content = pack.content()
        # Bound, the rows are what was posted: an unchanged row is kept whatever the initial rows were.
        rows = data is None
        self.messages = KeyMessageFormSet(
            data,
            prefix="messages",
            initial=[{"text": text, "ORDER": n} for n, text in enumerate(content["key_messages"], 1)]
            if rows
            else None,
        )
        self.decisions = DecisionFormSet(
            data,
            prefix="decisions",
            initial=[{**row, "ORDER": n} for n, row in enumerate(content["decisions_expected"], 1)]
            if rows
            else None,
        )
        initial = {"revision": pack.revision}
        initial.update({f"section_{code}": text for code, text in content["section_comments"].items()})
        initial.update({f"project_{code}": text for code, text in content["project_comments"].items()})
        self.comments = CommentsForm(
            data,
            initial=initial,
            kind=pack.kind,
            exceptions=exceptions,
            commented=list(content["project_comments"]),
        )

    def is_valid(self) -> bool:
        # Every part validated, so that every error shows at once.
        return all([self.messages.is_valid(), self.decisions.is_valid(), self.comments.is_valid()])

    @property
    def has_errors(self) -> bool:
        return self.comments.is_bound and not self.is_valid()

    @property
    def revision(self) -> int:
        return self.comments.cleaned_data["revision"]

    def content(self) -> dict:
        """The content typed, in the order chosen (a valid editor only)."""
        data = self.comments.cleaned_data
        return {
            "key_messages": [form.cleaned_data["text"] for form in self.messages.ordered_forms],
            "decisions_expected": [
                {"title": form.cleaned_data["title"], "detail": form.cleaned_data["detail"]}
                for form in self.decisions.ordered_forms
            ],
            "section_comments": {code: data[name] for code, name in self.sections()},
            "project_comments": {code: data[name] for code, name, _line in self.comments.projects},
        }

    def sections(self):
        return self.comments.sections
