import csv
import io

import pytest
from django.utils import translation

from imports.mapping import Mapping
from imports.tables import Table, read_table


@pytest.fixture(autouse=True)
def _media_in_a_temporary_directory(settings, tmp_path):
    # Uploaded files go through the storage API: here, into a directory the test owns.
    settings.MEDIA_ROOT = tmp_path / "media"


def csv_bytes(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def table_of(rows: list[list]) -> Table:
    return read_table(csv_bytes(rows))


def mapping_of(**definition) -> Mapping:
    return Mapping.from_dict(definition)


@pytest.fixture(autouse=True)
def _in_english():
    # Messages are asserted in English, the source language (French is the app's default).
    with translation.override("en"):
        yield
