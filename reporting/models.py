# Models of this app arrive with its own issue; the app is installed now so that
# its URLs, templates and migrations have a home from the start.
