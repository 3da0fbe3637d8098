"""The forms of scoring: a criterion of the draft, the publication note, a score."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from demand.models import CriteriaSet, Criterion


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = [
            "order",
            "code",
            "name",
            "name_en",
            "weight",
            "scale_max",
            "inverted",
            "guidance",
            "guidance_en",
        ]
        widgets = {
            "guidance": forms.Textarea(attrs={"rows": 2}),
            "guidance_en": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weight"].validators.append(MinValueValidator(1))
        self.fields["weight"].widget.attrs["min"] = 1
        self.fields["scale_max"].validators += [MinValueValidator(2), MaxValueValidator(10)]
        self.fields["scale_max"].widget.attrs.update(min=2, max=10)


CriteriaFormSet = forms.inlineformset_factory(
    CriteriaSet, Criterion, form=CriterionForm, extra=1, can_delete=True, min_num=1, validate_min=True
)


class PublishForm(forms.Form):
    note = forms.CharField(label=_("What changed"), max_length=300)


class ScoreForm(forms.Form):
    """One radio row per criterion of the version (1 to its scale), and a comment."""

    comment = forms.CharField(
        label=_("Comment"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args, criteria: list[Criterion], initial_values: dict[int, int] | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        english = get_language() == "en"
        initial_values = initial_values or {}
        for criterion in criteria:
            self.fields[self.key(criterion)] = forms.TypedChoiceField(
                label=str(criterion),
                choices=[(n, str(n)) for n in range(1, criterion.scale_max + 1)],
                coerce=int,
                widget=forms.RadioSelect,
                help_text=(criterion.guidance_en if english else criterion.guidance) or "",
                initial=initial_values.get(criterion.pk),
            )
        self.order_fields([self.key(c) for c in criteria] + ["comment"])

    @staticmethod
    def key(criterion: Criterion) -> str:
        return f"c{criterion.pk}"

    def criterion_fields(self):
        return [(criterion, self[self.key(criterion)]) for criterion in self.criteria]

    @property
    def values(self) -> dict[int, int]:
        return {criterion.pk: self.cleaned_data[self.key(criterion)] for criterion in self.criteria}
