from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from planning.dependency_map import MapFilters, csv_columns, csv_rows, dependencies_for, graph, map_edges
from pmo.spreadsheets import csv_response


@login_required
@require_GET
def dependency_map(request):
    """The dependencies between the reader's projects: a graph, the same edges as a table (the keyboard's
    and the no-script way), and as CSV (`?format=csv`)."""
    form = MapFilters(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    edges = map_edges(dependencies_for(request.user, filters=filters))
    if request.GET.get("format") == "csv":
        return csv_response(csv_columns(), csv_rows(edges), filename="dependencies")
    return render(
        request,
        "planning/dependency_map.html",
        {"form": form, "edges": edges, "graph": graph(edges), "broken_count": sum(e.broken for e in edges)},
    )
