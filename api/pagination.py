"""One page size for every list of the API, which a client may change within a limit."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    # Enough for an integration to page through a thousand projects in a few requests, small enough
    # that one request stays one quick query.
    max_page_size = 200
