import pytest


@pytest.fixture
def client(client):
    """The reporting pages as an English reader sees them: the tests read their words and numbers."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
