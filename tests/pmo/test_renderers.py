"""Drop-down lists are written in Python (pmo.renderers), with exactly Django's markup, and fast."""

import time

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from pmo.models import Directorate, User
from pmo.renderers import FormRenderer
from tests.factories import DirectorateFactory


class Choices(forms.Form):
    plain = forms.ChoiceField(choices=[("", "---------"), ("a", "Alpha"), ("b", 'Bravo "&" <b>')])
    grouped = forms.ChoiceField(
        choices=[("Ports", [("tng", "Tanger"), ("csa", "Casablanca")]), ("other", "Ailleurs & autres")]
    )
    several = forms.MultipleChoiceField(choices=[("1", "one"), ("2", "two"), ("3", "three")])
    safe = forms.ChoiceField(choices=[("x", mark_safe("<em>kept</em>"))])
    numbers = forms.ChoiceField(choices=[(1, 1000), (2, 2.5)])  # labels a template localises
    tristate = forms.NullBooleanField()
    directorate = forms.ModelChoiceField(queryset=Directorate.objects.order_by("code"), empty_label="All")
    owner = forms.ModelChoiceField(queryset=User.objects.order_by("username"), required=False)


def both(form_class, data=None, **attrs):
    """Each field's widget drawn by Django's templates and by ours."""
    drawn = []
    for renderer in (DjangoTemplates(), FormRenderer()):
        form = form_class(data, renderer=renderer)
        drawn.append([form[name].as_widget(attrs=attrs or None) for name in form.fields])
    return drawn


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [None, {"plain": "b", "grouped": "csa", "several": ["1", "3"], "tristate": "true", "numbers": "2"}],
)
def test_a_select_reads_exactly_as_djangos_template_draws_it(world, data):
    units = DirectorateFactory.create_batch(3, name='R&D "Phase 2" <pilot>')
    if data:
        data = {**data, "directorate": str(units[1].pk), "owner": str(world.pm.pk)}
    django_markup, ours = both(Choices, data, **{"class": "form-select", "disabled": True, "data-x": False})
    assert ours == django_markup
    assert "&quot;Phase 2&quot; &lt;pilot&gt;" in ours[6]
    if data:
        assert f'<option value="{units[1].pk}" selected>' in ours[6]


def test_the_site_uses_the_fast_renderer(settings):
    assert settings.FORM_RENDERER == "pmo.renderers.FormRenderer"


def test_a_thousand_options_are_drawn_in_milliseconds_not_a_second():
    class Many(forms.Form):
        choice = forms.ChoiceField(choices=[(str(n), f"Project {n}") for n in range(1000)])

    form = Many(renderer=FormRenderer())
    started = time.perf_counter()
    markup = form["choice"].as_widget()
    elapsed = time.perf_counter() - started
    assert markup.count("<option") == 1000
    # Django's templates take about 0.3 s here; ours about 3 ms. A generous bound for a busy machine.
    assert elapsed < 0.1
