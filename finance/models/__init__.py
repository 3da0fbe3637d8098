from finance.models.amounts import CostCategory, MonthlyAmount

__all__ = ["CostCategory", "MonthlyAmount"]
