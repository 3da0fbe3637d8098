"""The row-by-row results of a dry run or a commit, filtered and paginated (stored on the import)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _

from imports.fields import BY_NAME, CHOICE
from imports.models import Import
from imports.runs import rows_done

RESULTS_PER_PAGE = 50
FILTERS = (
    ("", _("All rows")),
    ("error", _("Errors")),
    ("create", _("Created")),
    ("update", _("Updated")),
    ("unchanged", _("Unchanged")),
)


def _row(result: dict[str, Any]) -> dict[str, Any]:
    """A stored row result, with each change's field label and a choice's label ("Green" or "Vert"),
    in the reader's language."""
    changes = []
    for name, before, after, *week in result.get("changes", []):
        target = BY_NAME.get(name)
        labels = dict(target.choices) if target and target.kind == CHOICE else {}
        changes.append(
            {
                "label": target.label if target else name,
                "before": labels.get(before, before),
                "after": labels.get(after, after),
                "week": week[0] if week else "",
            }
        )
    errors = [
        dict(zip(("row", "column", "value", "message", "sheet"), error, strict=False))
        for error in result.get("errors", [])
    ]
    return {**result, "changes": changes, "errors": errors}


def results_context(request, upload: Import) -> dict[str, Any]:
    shown = request.GET.get("show", "")
    if shown not in {key for key, _label in FILTERS}:
        shown = ""
    rows = upload.results or []
    counts = {key: sum(1 for row in rows if row.get("action") == key) for key, _label in FILTERS if key}
    counts[""] = len(rows)
    selected = [row for row in rows if not shown or row.get("action") == shown]
    page = Paginator(selected, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return {
        "results_page": page,
        "result_rows": [_row(row) for row in page.object_list],
        "filters": [(key, label, counts.get(key, 0)) for key, label in FILTERS],
        "shown": shown,
        "summary": upload.summary or {},
    }


def progress_context(upload: Import) -> dict[str, Any]:
    """Where the import's dry run or commit is: rows done out of the file's rows."""
    done, total = rows_done(upload), upload.rows_total
    return {
        "running": upload.is_running,
        "rows_done": done,
        "rows_total": total,
        "percent": int(done * 100 / total) if total else 0,
        "run_error": upload.run_error,
    }
