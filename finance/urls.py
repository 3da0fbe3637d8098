from finance.urls_data import urlpatterns as data_patterns
from finance.urls_portfolio import urlpatterns as portfolio_patterns
from finance.urls_project import urlpatterns as project_patterns

app_name = "finance"

# The portfolio's financial view (by fiscal year) and each project's money by month.
urlpatterns = [*portfolio_patterns, *project_patterns, *data_patterns]
