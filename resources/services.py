"""Writes of the capacity and demand grids: each saves one grid, all or nothing, in one transaction.

Only the cells whose value changed are written, row by row (not in bulk), so that each change is kept in
the model's history (simple_history) with who made it (`updated_by`). A blank cell removes the stored
value: unknown capacity, no demand; it is never stored as 0. The views check the grid's fingerprint
(`resources.grids`) before calling these: a service writes what it is given.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.db import transaction

from portfolio.models import Project
from resources.models import Capacity, Demand

CapacityKey = tuple[int, int, date]  # directorate id, role id, month
DemandKey = tuple[int, int | None, date]  # role id, person id (None: unnamed), month


@transaction.atomic
def capacity_save(*, values: Mapping[CapacityKey, Decimal | None], by) -> int:
    """Store these cells' capacity (None: none recorded); the number of rows written or removed."""
    directorates = {d for d, _r, _m in values}
    months = {m for _d, _r, m in values}
    stored = {
        (c.directorate_id, c.role_id, c.month): c
        for c in Capacity.objects.filter(directorate__in=directorates, month__in=months)
    }
    changed = 0
    for key, fte in values.items():
        current = stored.get(key)
        if fte is None:
            if current is not None:
                current.delete()
                changed += 1
        elif current is None:
            directorate_id, role_id, month = key
            Capacity.objects.create(
                directorate_id=directorate_id, role_id=role_id, month=month, fte=fte, updated_by=by
            )
            changed += 1
        elif current.fte != fte:
            current.fte, current.updated_by = fte, by
            current.save(update_fields=["fte", "updated_by", "updated_at"])
            changed += 1
    return changed


@transaction.atomic
def demand_save(*, project: Project, months: list[date], values: Mapping[DemandKey, Decimal], by) -> int:
    """Make the project's demand over `months` exactly `values` (a line absent, or at 0, is removed);
    the number of rows written or removed. Months outside `months` are not touched."""
    stored = {
        (d.role_id, d.person_id, d.month): d for d in Demand.objects.filter(project=project, month__in=months)
    }
    changed = 0
    for key, current in stored.items():
        if not values.get(key):
            current.delete()
            changed += 1
    for key, fte in values.items():
        if not fte:
            continue
        current = stored.get(key)
        if current is None:
            role_id, person_id, month = key
            Demand.objects.create(
                project=project, role_id=role_id, person_id=person_id, month=month, fte=fte, updated_by=by
            )
            changed += 1
        elif current.fte != fte:
            current.fte, current.updated_by = fte, by
            current.save(update_fields=["fte", "updated_by", "updated_at"])
            changed += 1
    return changed
