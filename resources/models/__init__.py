from resources.models.capacity import Capacity, Demand, ResourceRole
from resources.models.scenario import Scenario, ScenarioChange

__all__ = ["Capacity", "Demand", "ResourceRole", "Scenario", "ScenarioChange"]
