"""The PMO's form to upload a slide template: a name and a .pptx or .potx file, checked by its content
(`reporting.slides.layouts.inspect`), not by its name alone."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reporting.slides.layouts import MAX_BYTES, inspect


class SlideTemplateForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    file = forms.FileField(
        label=gettext_lazy("PowerPoint template (.pptx or .potx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pptx,.potx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".pptx", ".potx")):
            raise ValidationError(_("Choose a .pptx or .potx file."))
        if upload.size > MAX_BYTES:  # refused before it is read into memory
            size = MAX_BYTES // (1024 * 1024)
            raise ValidationError(_("The file is larger than %(size)d MB.") % {"size": size})
        self.data_bytes = upload.read()
        self.layouts = inspect(self.data_bytes)  # its content, not its name, makes it a template
        return upload
