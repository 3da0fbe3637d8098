"""The demand app's pages, one module per concept; each brings its own URL patterns."""
