"""The heatmap partial's one tag: a row's cells, written in Python (`resources.heatmap.cells_html`)."""

from django import template

from resources.heatmap import cells_html

register = template.Library()


@register.simple_tag
def heatmap_cells(row, drill=False):
    return cells_html(row, drill=bool(drill))
