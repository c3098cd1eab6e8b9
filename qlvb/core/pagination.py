from django.core.paginator import Paginator
from django.utils.functional import cached_property
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """Page-number pagination for the API with bounded inputs (a huge page number overflows SQL OFFSET)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=100_000)
        page_size: int | None = Field(None, ge=1, le=100)

    def __init__(self, page_size: int = 25, **kwargs):
        super().__init__(page_size=page_size, max_page_size=100, **kwargs)


def page_of(object_list, number, *, searching: bool = False, per_page: int = 25, count: int | None = None,
            cap: int = 1000):
    """The requested page of a list (the last one if out of range); search results count at most `cap`
    matches. `count`: the matches counted already (at most `cap` + 1, as `SearchPaginator.count` counts
    them), so that they are not counted again."""
    paginator = SearchPaginator(object_list, per_page, cap=cap) if searching else Paginator(object_list, per_page)
    if count is not None:
        paginator.count = count  # a cached property: the given value takes its place
    return paginator.get_page(number)


class SearchPaginator(Paginator):
    """Pages of search results, counting at most `cap` of them: counting every match of a common word
    in a long history tests each row, while the first pages come at once. The pager then reads
    "1/40+" and a narrower search finds the rest."""

    def __init__(self, object_list, per_page, *, cap: int = 1000, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap
