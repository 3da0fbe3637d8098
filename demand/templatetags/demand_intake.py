"""The request's state badge, one colour per state for every page that shows requests."""

from django import template

register = template.Library()

STATE_STYLES = {
    "submitted": "text-bg-info",
    "incomplete": "text-bg-warning",
    "qualified": "text-bg-primary",
    "proposed": "text-bg-primary",
    "approved": "text-bg-success",
    "rejected": "text-bg-danger",
    "deferred": "text-bg-secondary",
    "withdrawn": "text-bg-light border",
}


@register.inclusion_tag("demand/_request_state.html")
def request_state(project_request):
    return {
        "state": project_request.state,
        "label": project_request.get_state_display(),
        "style": STATE_STYLES.get(project_request.state, "text-bg-light"),
    }
