"""The benefits app's pages, one module per concept."""
