from __future__ import annotations

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class ReferenceCounter(models.Model):
    """The last number given for a reference series such as DEC-2026: references never repeat,
    even when two secretaries record at the same moment (the row is locked while it is bumped)."""

    series = models.CharField(_("series"), max_length=20, unique=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")

    def __str__(self) -> str:
        return f"{self.series}-{self.last:04d}"


def next_reference(series: str) -> str:
    """`next_reference("DEC-2026")` -> "DEC-2026-0042"."""
    with transaction.atomic():
        ReferenceCounter.objects.get_or_create(series=series)
        counter = ReferenceCounter.objects.select_for_update().get(series=series)
        counter.last += 1
        counter.save(update_fields=["last"])
    return f"{series}-{counter.last:04d}"
