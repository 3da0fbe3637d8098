"""The roles catalogue's form (the grids are read cell by cell: `resources.grids`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from resources.models import ResourceRole


class RoleForm(forms.ModelForm):
    class Meta:
        model = ResourceRole
        fields = ["code", "name", "name_en", "order", "is_active"]
        help_texts = {
            "code": _("Short and stable: exports and imports name the role by it."),
            "is_active": _(
                "An inactive role is no longer offered for new capacity or demand; what was recorded "
                "with it stays. A role is never deleted."
            ),
        }
        error_messages = {
            "code": {"unique": _("A role with this code already exists.")},
            "name": {"required": _("Give the role's name in French.")},
            "name_en": {"required": _("Give the role's name in English.")},
        }

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().upper()
        if not code.replace("-", "").replace("_", "").isalnum():
            raise forms.ValidationError(_("Letters, digits, hyphens and underscores only."))
        clash = ResourceRole.objects.filter(code__iexact=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("A role with this code already exists."))
        return code

    def _unique_name(self, field: str, message) -> str:
        name = " ".join(self.cleaned_data[field].split())
        if ResourceRole.objects.filter(**{f"{field}__iexact": name}).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(message)
        return name

    def clean_name(self) -> str:
        return self._unique_name("name", _("Another role already has this French name."))

    def clean_name_en(self) -> str:
        return self._unique_name("name_en", _("Another role already has this English name."))
