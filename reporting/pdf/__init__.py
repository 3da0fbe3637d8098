"""PDF reports: HTML templates laid out by WeasyPrint, charts exported by kaleido."""

# The origin report templates are rendered against: the fetcher serves the static files under it,
# and nothing else.
BASE_URL = "https://report.invalid/"
