"""The benefits app's demo data (pmo.demo): benefit profiles and their actuals (benefits.demo_benefits)."""

from __future__ import annotations

from benefits.demo_benefits import has_data, reset, seed

__all__ = ["has_data", "reset", "seed"]
