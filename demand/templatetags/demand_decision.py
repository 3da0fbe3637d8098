"""The committee panel of a request's page: proposed to which committee, the G0 decision, the project
created (the G0 part fills it in)."""

from django import template

register = template.Library()


@register.inclusion_tag("demand/_request_decision.html", takes_context=True)
def request_decision(context, request_obj):
    return {"project_request": request_obj, "user": context["user"]}
