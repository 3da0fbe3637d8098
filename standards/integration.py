"""How standards plugs into portfolio's, governance's and reporting's registries (none of them depends
on it), one module per part."""

from __future__ import annotations


def register() -> None:
    """Called from StandardsConfig.ready()."""
    from standards import (
        compliance_integration,
        deliverable_integration,
        document_integration,
        exception_integration,
        methodology_integration,
    )

    methodology_integration.register()
    deliverable_integration.register()
    compliance_integration.register()
    document_integration.register()
    exception_integration.register()
