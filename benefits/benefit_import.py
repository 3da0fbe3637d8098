"""The import's "Baseline benefits (whole life)" column (a GMPP file's "Baseline Benefits (£m)"), registered
as an extra project field of the imports app (imports.fields.register_project_field).

A row's amount, read and scaled as the budget's ("(£m)" in the header, or the mapping's money unit) and
in the project's currency, becomes the project's imported benefit profile: financial, measured by hand,
baseline 0, target the amount, counted from the project's baseline end (else its forecast end, else the
day of the import) for a year, owned by the sponsor (else the manager), in draft for the PMO to approve.

The imported profile is the project's financial, hand-measured profile titled "Baseline benefits
(imported)" in one of the site's languages (the title is given in the site language at creation): a new
import updates its target (an approved one goes back to draft, as any change of plan) and never creates
a second. Renaming it makes it the project's own: the next import creates a new imported one.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy, gettext_noop, override

FIELD = "baseline_benefits"
IMPORTED_TITLE = gettext_noop("Baseline benefits (imported)")


def imported_titles() -> set[str]:
    titles = {IMPORTED_TITLE}
    for code, _name in settings.LANGUAGES:
        with override(code):
            titles.add(gettext(IMPORTED_TITLE))
    return titles


def _a_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def apply_baseline_benefits(
    *, project, value: Decimal, author, today: date
) -> tuple[Decimal | None, Decimal] | None:
    """Create or update the project's imported profile; (target before, target after), None if unchanged."""
    from benefits.models import BenefitProfile

    profile = (
        BenefitProfile.objects.filter(
            project=project,
            kind=BenefitProfile.Kind.FINANCIAL,
            measure=BenefitProfile.Measure.MANUAL,
            title__in=imported_titles(),
        )
        .order_by("pk")
        .first()
    )
    if profile is None:
        starts_on = project.baseline_end or project.forecast_end or today
        with override(settings.LANGUAGE_CODE):
            title = gettext(IMPORTED_TITLE)
        profile = BenefitProfile(
            project=project,
            title=title,
            kind=BenefitProfile.Kind.FINANCIAL,
            measure=BenefitProfile.Measure.MANUAL,
            currency=project.currency,
            baseline_value=Decimal(0),
            target_value=value,
            starts_on=starts_on,
            target_date=_a_year_after(starts_on),
            owner_id=project.sponsor_id or project.project_manager_id or getattr(author, "pk", None),
            state=BenefitProfile.State.DRAFT,
        )
        _save(profile, author)
        return None, value
    if profile.target_value == value and profile.currency == project.currency:
        return None
    before = profile.target_value
    profile.target_value, profile.currency = value, project.currency
    _save(profile, author)
    return before, value


def _save(profile, author) -> None:
    """Saved as the profile's form would; its refusals named by field, for the row's error. A project with
    neither sponsor nor manager (imported by the command line) gives a draft with no owner yet: the PMO
    names one before approving it."""
    from benefits.models import BenefitProfile
    from benefits.services import profile_save

    try:
        profile_save(profile=profile, by=author, unchecked=("owner",) if profile.owner_id is None else ())
    except ValidationError as error:
        fields = {field.name: field for field in BenefitProfile._meta.fields}
        raise ValidationError(
            [
                f"{capfirst(fields[name].verbose_name) if name in fields else gettext('Benefit')}: {message}"
                for name, messages in error.message_dict.items()
                for message in messages
            ]
        ) from None


def register() -> None:
    from imports.fields import EXTRA, MONEY, Target, register_project_field

    register_project_field(
        Target(
            FIELD,
            MONEY,
            EXTRA,
            (
                "baseline benefits",
                "total baseline benefits",
                "whole life benefits",
                "benefits",
                "bénéfices",
                "gains attendus",
            ),
            label_override=gettext_lazy("Baseline benefits (whole life)"),
        ),
        apply_baseline_benefits,
    )
