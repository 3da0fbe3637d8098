"""The content of each kind of report: `context(report) -> dict`, read in the report's language."""
