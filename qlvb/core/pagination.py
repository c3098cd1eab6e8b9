from ninja import Field, Schema
from ninja.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """Page-number pagination for the API with bounded inputs (a huge page number overflows SQL OFFSET)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=100_000)
        page_size: int | None = Field(None, ge=1, le=100)

    def __init__(self, page_size: int = 25, **kwargs):
        super().__init__(page_size=page_size, max_page_size=100, **kwargs)
