"""The scores panel of a request's page (the scoring part fills it in)."""

from django import template

register = template.Library()


@register.inclusion_tag("demand/_request_scores.html", takes_context=True)
def request_scores(context, request_obj):
    return {"project_request": request_obj, "user": context["user"]}
