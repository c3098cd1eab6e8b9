"""The register books over the API (Decree 30 Annex IV; Art 16.2.b, 22.3.b): the registers one may read,
a book's rows for a period, its PDF and Excel files, and closing a period. A register the caller may not
read answers 404."""

from datetime import date, datetime
from typing import Literal

from ninja import Query, Router, Schema, Status
from pydantic import Field

from qlvb import access

from . import book_exports as exports
from . import book_signatures, selectors, services
from .book_views import CONTENT_TYPES, attachment
from .books import BOOKS, Period, period_of

router = Router(tags=["Sổ đăng ký"])
BookKey = Literal["incoming", "outgoing", "followup"]


class RegisterOut(Schema):
    id: int
    kind: str
    year: int
    code: str
    name: str
    is_confidential: bool


class PeriodIn(Schema):
    period: Literal["month", "quarter", "year", "range"] = Field("month", title="Kỳ")
    month: int | None = Field(None, ge=1, le=12, title="Tháng")
    quarter: int | None = Field(None, ge=1, le=4, title="Quý")
    start: date | None = Field(None, title="Từ ngày")
    end: date | None = Field(None, title="Đến ngày")


class PeriodOut(Schema):
    start: date
    end: date
    label: str


class RowOut(Schema):
    document_id: int
    cells: list[str]
    flag: str = Field(description="late: vào sổ sau khi đã khóa sổ kỳ này; changed: sửa sau khi khóa; rỗng")
    signature: str = Field(description="modified: tệp PDF của văn bản bị sửa đổi sau khi ký số; rỗng")


class ClosingOut(Schema):
    id: int
    book: str
    start: date
    end: date
    sha256: str
    closed_by: str
    closed_at: datetime
    download_url: str | None = Field(description="Bản PDF đã lưu; null khi sổ có văn bản người gọi không được xem")


class BookOut(Schema):
    book: str
    title: str
    agency: str
    register_id: int
    register_name: str
    year: int
    is_confidential: bool
    period: PeriodOut
    columns: list[str]
    rows: list[RowOut]
    hidden_count: int = Field(description="Văn bản trong kỳ người gọi không được xem: chỉ đếm, không liệt kê")
    closing: ClosingOut | None


@router.get("/", response=list[RegisterOut], summary="Sổ đăng ký được xem")
def list_registers(request):
    return list(access.visible_registers(request.user).order_by("-year", "kind", "is_confidential", "code"))


def _chosen(request, book_key, register_id, query: PeriodIn):
    book = BOOKS[book_key]
    register = access.get_register_for(request.user, register_id)
    if register.kind not in book.kinds:
        from django.http import Http404

        raise Http404
    period = period_of(register.year, kind=query.period, month=query.month, quarter=query.quarter,
                       start=query.start, end=query.end)
    return book, register, period


def _closing_out(request, closing) -> dict:
    from django.urls import reverse

    return {"id": closing.pk, "book": closing.book, "start": closing.start, "end": closing.end,
            "sha256": closing.sha256, "closed_by": str(closing.closed_by), "closed_at": closing.closed_at,
            "download_url": reverse("documents:closed_download", args=[closing.pk])
            if selectors.may_open_closed(request.user, closing) else None}


def _period_out(period: Period) -> dict:
    return {"start": period.start, "end": period.end, "label": period.label}


@router.get("/{register_id}/books/{book}", response=BookOut, summary="Các dòng của sổ trong kỳ")
def book_rows(request, register_id: int, book: BookKey, query: Query[PeriodIn]):
    book_, register, period = _chosen(request, book, register_id, query)
    rows = selectors.book_rows(request.user, book_, register, period)
    book_signatures.mark(book_.key, rows)
    closing = selectors.closing_of(register, book_, period)
    return {"book": book_.key, "title": str(book_.title), "agency": register.agency.name, "register_id": register.pk,
            "register_name": register.name, "year": register.year, "is_confidential": register.is_confidential,
            "period": _period_out(period), "columns": [str(c.title) for c in book_.columns],
            "rows": [{"document_id": r.document_id, "cells": r.cells, "flag": r.flag, "signature": r.signature}
                     for r in rows],
            "hidden_count": selectors.hidden_count(request.user, book_, register, period),
            "closing": _closing_out(request, closing) if closing else None}


@router.get("/{register_id}/books/{book}/file", summary="Tải sổ (PDF khổ A4 ngang, hoặc Excel)",
            openapi_extra={"responses": {200: {"description": "Tệp PDF hoặc Excel", "content": {
                CONTENT_TYPES["pdf"]: {"schema": {"type": "string", "format": "binary"}},
                CONTENT_TYPES["xlsx"]: {"schema": {"type": "string", "format": "binary"}}}}}})
def book_file(request, register_id: int, book: BookKey, query: Query[PeriodIn], fmt: Literal["pdf", "xlsx"] = "pdf"):
    book_, register, period = _chosen(request, book, register_id, query)
    printed = exports.Printed(book_, register, period, selectors.book_rows(request.user, book_, register, period))
    content = exports.pdf(printed) if fmt == "pdf" else exports.xlsx(printed)
    return attachment(content, CONTENT_TYPES[fmt], exports.file_name(printed, fmt))


@router.post("/{register_id}/books/{book}/close", response={201: ClosingOut}, summary="Khóa sổ kỳ đã chọn")
def close(request, register_id: int, book: BookKey, query: Query[PeriodIn]):
    book_, register, period = _chosen(request, book, register_id, query)
    closing = services.close_book(actor=request.user, register=register, book=book_, period=period)
    return Status(201, _closing_out(request, closing))
