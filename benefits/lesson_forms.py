"""Forms of lessons learned: a lesson, the register's filters, the closure report and its lessons."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from benefits.models import ClosureReport, Lesson
from pmo.models import Directorate
from portfolio.models import Phase, Project

TEXTAREA = {"rows": 3}


class LessonForm(forms.ModelForm):
    class Meta:
        model = Lesson
        fields = [
            "title",
            "category",
            "effect",
            "what_happened",
            "recommendation",
            "source",
            "phase",
            "directorate",
            "methodology",
        ]
        widgets = {
            "what_happened": forms.Textarea(attrs=TEXTAREA),
            "recommendation": forms.Textarea(attrs=TEXTAREA),
            "methodology": forms.Select(choices=[("", "—"), *Project.Methodology.choices]),
        }
        help_texts = {"phase": _("Left blank: the project's phase, directorate and methodology of today.")}


class ClosureLessonForm(forms.ModelForm):
    """A lesson of the closure report: its source is the closure, its phase the project's."""

    class Meta:
        model = Lesson
        fields = ["title", "category", "effect", "what_happened", "recommendation"]
        widgets = {
            "what_happened": forms.Textarea(attrs={"rows": 2}),
            "recommendation": forms.Textarea(attrs={"rows": 2}),
        }


ClosureLessonFormSet = forms.modelformset_factory(Lesson, form=ClosureLessonForm, extra=2, max_num=10)


class ClosureReportForm(forms.ModelForm):
    no_lesson = forms.BooleanField(
        label=_("This project leaves no lesson to record"),
        required=False,
        help_text=_("Tick only when no lesson is given below."),
    )

    class Meta:
        model = ClosureReport
        fields = ["objectives_met", "objectives_comment", "benefits_handover"]
        widgets = {
            "objectives_met": forms.RadioSelect,
            "objectives_comment": forms.Textarea(attrs={"rows": 4}),
            "benefits_handover": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objectives_met"].choices = ClosureReport.ObjectivesMet.choices  # no blank radio


class LessonFilterForm(forms.Form):
    SORTS = {
        "-recorded": ("-recorded_at", "-pk"),
        "recorded": ("recorded_at", "pk"),
        "project": ("project__code", "-recorded_at"),
        "category": ("category", "-recorded_at"),
        "title": ("title", "pk"),
    }

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    phase = forms.ModelChoiceField(label=_("Phase"), queryset=Phase.objects.all(), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    directorate = forms.ModelChoiceField(
        label=_("Directorate"), queryset=Directorate.objects.all(), required=False
    )
    methodology = forms.ChoiceField(label=_("Methodology"), required=False)
    source = forms.ChoiceField(label=_("Source"), required=False)
    effect = forms.ChoiceField(label=_("Effect"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("-recorded", _("Newest first")),
            ("recorded", _("Oldest first")),
            ("project", _("Project")),
            ("category", _("Category")),
            ("title", _("Lesson")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["category"].choices = every + Lesson.Category.choices
        self.fields["methodology"].choices = every + Project.Methodology.choices
        self.fields["source"].choices = every + Lesson.Source.choices
        self.fields["effect"].choices = every + Lesson.Effect.choices
        self.fields["phase"].empty_label = _("All")
        self.fields["directorate"].empty_label = _("All")

    def filter(self, lessons):
        from benefits.lessons import search

        data = self.cleaned_data
        if data.get("q"):
            lessons = search(lessons, data["q"])
        for name in ("phase", "category", "directorate", "methodology", "source", "effect"):
            if data.get(name):
                lessons = lessons.filter(**{name: data[name]})
        return lessons.order_by(*self.SORTS[data.get("sort") or "-recorded"])
