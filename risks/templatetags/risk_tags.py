from django import template

from risks.models import RiskLevel

register = template.Library()


@register.inclusion_tag("risks/_level.html")
def risk_level(level: str | None, score: int | None = None, small: bool = False) -> dict:
    """A level badge, with the score when given: `{% risk_level risk.level risk.score %}`.

    The level comes from `Risk.objects.with_levels(policy)` or `policy.level_of(score)`.
    """
    level = RiskLevel(level) if level else None
    return {"level": level, "score": score, "small": small}
