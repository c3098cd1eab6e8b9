"""The search API (Circular 01/2019 F-6.d–h), over the same `documents.search` as the page: criteria on
every Annex VI input field, the chosen columns and order, saved searches, and exports of the results."""

import dataclasses
from datetime import date, datetime
from typing import Any

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import create_model

from qlvb import access
from qlvb.access import Action
from qlvb.accounts import selectors as saved_selectors
from qlvb.accounts import services as saved_services
from qlvb.core.pagination import Pages
from qlvb.core.text import clean

from . import exports, fulltext, search, services

router = Router(tags=["Tìm kiếm"])

TYPES = {search.TEXT: str, search.NUMBER: int, search.ID: int, search.DATE_FROM: date, search.DATE_TO: date,
         search.CHOICE: str}


def _criteria_schema(kind: search.Kind):
    """The kind's filters as query parameters, titled by their labels (which the 400 answers name)."""
    fields = {f.name: (TYPES[f.type] | None, Field(None, title=str(f.label))) for f in kind.filters}
    fields["columns"] = (str, Field("", title="Cột hiển thị",
                                    description="Khóa các cột, cách nhau bởi dấu phẩy: "
                                                + ", ".join(c.key for c in kind.columns)))
    fields["order"] = (str, Field("", title="Sắp xếp theo",
                                  description="Khóa một cột (thêm '-' phía trước để xếp giảm dần)"))
    return create_model(f"{kind.name.title()}SearchQuery", __base__=Schema, **fields)


class ResultOut(Schema):
    id: int
    url: str
    values: dict[str, str]  # column key → the text shown


class SavedOut(Schema):
    id: int
    name: str
    kind: str
    params: dict
    columns: list[str]
    order: str
    created_at: datetime
    updated_at: datetime


class SavedIn(Schema):
    name: str = Field(title="Tên tìm kiếm", max_length=100)
    kind: str = Field(title="Loại văn bản", description="incoming hoặc outgoing")
    params: dict[str, str] = Field(default_factory=dict, title="Điều kiện tìm kiếm")
    columns: list[str] = Field(default_factory=list, title="Cột hiển thị")
    order: str = Field("", title="Sắp xếp theo", max_length=40)


class RenameIn(Schema):
    name: str = Field(title="Tên tìm kiếm", max_length=100)


def _columns(text: str) -> list[str]:
    return [key.strip() for key in text.split(",") if key.strip()]


def _results(request, kind, criteria: dict, columns, order):
    access.require(request.user, Action.HANDLE_DOCUMENTS)
    shown = search.columns_of(kind, columns)
    documents = search.results(request.user, kind, criteria, order=order, columns=columns)
    return _Rows(kind, documents, shown)


class _Rows:
    """The results as the paginator slices them: documents turned into rows page by page."""

    def __init__(self, kind, documents, columns):
        self.kind, self.documents, self.columns = kind, documents, columns

    def count(self):
        return self.documents.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        page = list(self.documents[index])
        return [{"id": d.pk, "url": self.kind.url(d), "values": dict(zip([c.key for c in self.columns], values,
                                                                          strict=True))}
                for d, values in zip(page, search.rows(self.kind, page, self.columns), strict=True)]


def _file(content: bytes, name: str, file_format: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.FORMATS[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class HitOut(Schema):
    kind: str = Field(description="incoming, outgoing, draft hoặc record")
    id: int
    url: str
    title: str
    snippet: str = Field(description="Đoạn trích quanh từ tìm thấy (HTML, từ tìm thấy trong <mark>)")
    rank: float


class FacetValueOut(Schema):
    value: str = Field(description="Giá trị truyền lại vào tham số cùng tên để lọc")
    label: str
    count: int
    chosen: bool


class FacetOut(Schema):
    name: str = Field(description="type, period, issuer, unit, status hoặc register")
    label: str
    values: list[FacetValueOut]


class FacetPages(Pages):
    """Pages of hits with the facets of every match: `count` counts at most `fulltext.FACET_CAP` + 1 of
    them (`capped` says when more matched), the facets count the first `FACET_CAP`."""

    class Output(Schema):
        items: list[Any]
        count: int
        capped: bool = Field(description="Có hơn FACET_CAP kết quả: số đếm tính trên FACET_CAP kết quả đầu tiên")
        facets: list[FacetOut]

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        counted = getattr(queryset, "facets", None)
        return {**page, "capped": bool(counted and counted.capped),
                "facets": [dataclasses.asdict(f) for f in counted.facets] if counted else []}


@router.get("/all", response=list[HitOut], summary="Tìm kiếm toàn văn (mọi loại)", operation_id="search_all",
            description="Văn bản đến, văn bản đi, dự thảo và hồ sơ công việc người dùng được xem: mọi trường và "
                        "nội dung tệp, không phân biệt dấu (đ → d), xếp theo mức phù hợp; lọc theo loại văn bản, "
                        "năm, cơ quan ban hành, đơn vị, trạng thái, sổ văn bản, mỗi giá trị kèm số kết quả "
                        "(chỉ đếm những gì người dùng được xem). Quá 1000 kết quả (capped): xếp mới nhất trước.")
@paginate(FacetPages)
def search_all(request, q: str = Query(..., title="Từ khóa", max_length=200),
               kinds: str = Query("", title="Loại", description="incoming, outgoing, draft, record, cách nhau "
                                                                   "bởi dấu phẩy (trống: mọi loại)"),
               type: int | None = Query(None, title="Loại văn bản", description="id loại văn bản"),  # noqa: A002
               period: int | None = Query(None, title="Năm", description="năm của ngày văn bản"),
               issuer: str | None = Query(None, title="Cơ quan ban hành", max_length=255),
               unit: int | None = Query(None, title="Đơn vị", description="id đơn vị"),
               status: str | None = Query(None, title="Trạng thái", description="loại:mã, ví dụ incoming:done"),
               register_id: int | None = Query(None, alias="register", title="Sổ văn bản",
                                              description="id sổ văn bản")):
    access.require(request.user, Action.HANDLE_DOCUMENTS)
    chosen_kinds = [k for k in _columns(kinds) if k in fulltext.Kind.values] or None
    chosen = fulltext.parse_filters({"type": type, "period": period, "issuer": issuer, "unit": unit,
                                     "status": status, "register": register_id})
    result = fulltext.found(request.user, clean(q), kinds=chosen_kinds, chosen=chosen)
    if result is None:
        return []
    counted, entries = result
    return _Hits(entries, clean(q), counted)


class _Hits:
    """The hits as the paginator slices them, each page with its snippets; counted (capped) with the facets."""

    def __init__(self, entries, query, facets):
        self.entries, self.query, self.facets = entries, query, facets

    def count(self):
        return self.facets.total

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not self.facets.total:  # nothing matched: no need to ask again for the page (as the page does)
            return []
        return [{"kind": h.kind, "id": h.object_id, "url": h.url, "title": h.title, "snippet": str(h.snippet),
                 "rank": h.rank} for h in fulltext.hits(self.entries[index], self.query)]


def _add_kind(kind: search.Kind):
    Criteria = _criteria_schema(kind)

    @router.get(f"/{kind.name}", response=list[ResultOut], summary=f"Tìm kiếm {str(kind.label).lower()}",
                operation_id=f"search_{kind.name}")
    @paginate(Pages)
    def results(request, query: Query[Criteria]):
        data = query.dict()
        return _results(request, kind, search.parse(kind, data), _columns(data["columns"]), data["order"])

    @router.get(f"/{kind.name}/export", summary=f"Xuất kết quả tìm kiếm {str(kind.label).lower()}",
                description="Tệp xlsx, docx hoặc pdf của kết quả (các cột và thứ tự đã chọn); quá "
                            "QLVB_SEARCH_EXPORT_MAX_ROWS văn bản thì trả lỗi 400.",
                operation_id=f"export_{kind.name}", response={200: None})
    def export(request, query: Query[Criteria],
               format: str = Query(..., title="Định dạng tệp", description="xlsx, docx hoặc pdf")):  # noqa: A002
        data = query.dict()
        content, name = services.export_search(
            actor=request.user, kind=kind, criteria=search.parse(kind, data), order=data["order"],
            columns=_columns(data["columns"]), file_format=format)
        return _file(content, name, format)


for _kind in search.KINDS.values():
    _add_kind(_kind)


@router.get("/saved", response=list[SavedOut], summary="Tìm kiếm đã lưu của tôi")
def saved_list(request):
    return list(saved_selectors.saved_searches(request.user))


@router.post("/saved", response={201: SavedOut}, summary="Lưu một tìm kiếm")
def save(request, payload: SavedIn):
    return Status(201, saved_services.save_search(actor=request.user, name=payload.name, kind=payload.kind,
                                                  params=payload.params, columns=payload.columns,
                                                  order=payload.order))


@router.patch("/saved/{int:saved_id}", response=SavedOut, summary="Đổi tên tìm kiếm đã lưu")
def rename(request, saved_id: int, payload: RenameIn):
    saved = saved_selectors.get_saved_search_for(request.user, saved_id)
    return saved_services.rename_search(actor=request.user, saved=saved, name=payload.name)


@router.delete("/saved/{int:saved_id}", response={204: None}, summary="Xóa tìm kiếm đã lưu")
def delete(request, saved_id: int):
    saved = saved_selectors.get_saved_search_for(request.user, saved_id)
    saved_services.delete_search(actor=request.user, saved=saved)
    return Status(204, None)


@router.get("/saved/{int:saved_id}/results", response=list[ResultOut], summary="Chạy lại tìm kiếm đã lưu")
@paginate(Pages)
def rerun(request, saved_id: int):
    saved = saved_selectors.get_saved_search_for(request.user, saved_id)
    kind = search.KINDS[saved.kind]
    return _results(request, kind, search.parse(kind, saved.params), saved.columns, saved.order)
