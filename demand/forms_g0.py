"""The PMO's form that brings a request to a portfolio committee for its G0."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import Committee


class ProposeForm(forms.Form):
    committee = forms.ModelChoiceField(
        label=_("Portfolio committee"),
        queryset=Committee.objects.filter(kind=Committee.Kind.PORTFOLIO).order_by("name"),
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text=_("Its next meeting's agenda will propose the request for the G0 decision."),
    )
