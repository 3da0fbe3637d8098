from benefits.models.benefit import BenefitActual, BenefitProfile
from benefits.models.lesson import ClosureReport, Lesson

__all__ = ["BenefitActual", "BenefitProfile", "ClosureReport", "Lesson"]
