from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import Action


class ActionStateForm(forms.Form):
    """The owner's update of an action: its state, and what was done when it is done."""

    state = forms.ChoiceField(
        label=_("State"), choices=Action.State.choices, widget=forms.Select(attrs={"data-action-state": ""})
    )
    note = forms.CharField(
        label=_("Completion note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was done, in a few words (needed when marking the action done)."),
    )

    def __init__(self, *args, action: Action, **kwargs):
        kwargs.setdefault("initial", {"state": action.state, "note": action.completion_note})
        super().__init__(*args, **kwargs)
        self.action = action

    def clean(self):
        cleaned = super().clean()
        cleaned["note"] = cleaned.get("note", "").strip()
        if cleaned.get("state") == Action.State.DONE and not (cleaned["note"] or self.action.completion_note):
            self.add_error("note", _("Say in a few words what was done."))
        return cleaned
