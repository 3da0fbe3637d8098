from resources.urls_capacity import urlpatterns as capacity_patterns
from resources.urls_data import urlpatterns as data_patterns
from resources.urls_whatif import urlpatterns as whatif_patterns

app_name = "resources"

# Roles, capacity, demand and the heatmap; what-if scenarios and their way to the committee.
urlpatterns = [*capacity_patterns, *whatif_patterns, *data_patterns]
