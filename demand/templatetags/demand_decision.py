"""The committee panel of a request's page: the portfolio committee and the meeting where it is (or will
be) decided, the G0 decision with its outcome and reason, the project created; for the PMO, the form that
brings it to a committee."""

from django import template

from demand.forms_g0 import ProposeForm
from demand.g0 import PROPOSABLE
from demand.selectors_g0 import g0_panel
from demand.views.g0 import may_propose

register = template.Library()


@register.inclusion_tag("demand/_request_decision.html", takes_context=True)
def request_decision(context, request_obj):
    user = context["user"]
    proposable = may_propose(user) and request_obj.state in PROPOSABLE
    return {
        "project_request": request_obj,
        "user": user,
        **g0_panel(request_obj, user=user),
        "propose_form": ProposeForm(initial={"committee": request_obj.committee_id}) if proposable else None,
    }
