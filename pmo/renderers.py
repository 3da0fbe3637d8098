"""The form renderer: Django's, with drop-down lists written in Python.

Django renders a `<select>` from a template that includes one template per option, and one more per
option for its attributes: about half a millisecond an option. The filters of the lists offer every
project and every owner the user may see, so at a thousand projects the risk register spent most of
its time drawing its filter form (0.6 s of 0.8 s, `benchmarks/profile_page.py`). This writes the
same markup, character for character (tests/pmo/test_renderers.py compares the two), in a few
microseconds an option. Any other template, or a select whose options use another template, goes
to Django's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import conditional_escape

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: Mapping[str, Any]) -> str:
    """As django/forms/widgets/attrs.html: ` name="value"`, the bare name for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {conditional_escape(name)}")
        if value is not True:
            parts.append(f'="{conditional_escape(str(value))}"')
    return "".join(parts)


def _option(option: Mapping[str, Any]) -> str:
    return (
        f'<option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>\n"  # select_option.html ends with a newline
    )


def _text(value: Any) -> bool:
    """Text the template would print as is; a number or a date it would localise (left to Django)."""
    return isinstance(value, str | Promise)


def render_select(widget: Mapping[str, Any]) -> str | None:
    """The markup of select.html for this widget context, or None where Django's templates should
    draw it (an option with a template of its own, a label that is not text)."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _group_index in widget["optgroups"]:
        if group_name and not _text(group_name):
            return None
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != OPTION or not _text(option["label"]):
                return None
            parts.append("\n  " + _option(option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    """settings.FORM_RENDERER: selects in Python, everything else from Django's templates."""

    def render(self, template_name, context, request=None):
        if template_name == SELECT and "widget" in context:
            markup = render_select(context["widget"])
            if markup is not None:
                return markup
        return super().render(template_name, context, request=request)
