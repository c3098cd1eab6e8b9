"""The REST API (OpenAPI at /api/docs): routers of each app, calling the same services as the pages.

Errors are answered here, once for every router: refused input 400 (`qlvb/core/api_errors.py`: each
error names its field), not signed in 401, refused 403, not found 404, too many requests 429, in the
request's language (the language cookie, else Accept-Language, else Vietnamese), and all documented in
the OpenAPI schema. Text no database can keep (NUL, lone surrogates) is refused in what is stored
(bodies, forms) and dropped from query parameters, which are only ever looked up.
"""

import functools
import json
import logging
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as InputError
from ninja.parser import Parser
from ninja.security import django_auth
from ninja.throttling import AuthRateThrottle
from pydantic import BaseModel, Field

from qlvb.core import api_errors
from qlvb.core.text import clean

logger = logging.getLogger(__name__)


class UnstorableInput(ValueError):
    """A request body holding text no database can keep, at `path`."""

    def __init__(self, path):
        super().__init__(path)
        self.path = path


class InputParser(Parser):
    def parse_body(self, request):
        data = json.loads(request.body)
        path = api_errors.unstorable_path(data)
        if path is not None:
            raise UnstorableInput(path)  # django-ninja turns this into HttpError(400), answered below
        return data

    def parse_querydict(self, data, list_fields, request):
        values = super().parse_querydict(data, list_fields, request)
        if data is request.GET:
            return {key: [clean(v) for v in value] if isinstance(value, list) else clean(value)
                    for key, value in values.items()}
        path = api_errors.unstorable_path(values)
        if path is not None:
            raise InputError([api_errors.problem("form", path, "unstorable_character")])
        return values


class FieldError(Schema):
    field: str | None = Field(description="Đường dẫn của trường trong yêu cầu (`targets.0.role`); null: cả yêu cầu")
    loc: list[str | int] = Field(description="Nguồn (body, form, query, path) và đường dẫn của trường")
    type: str = Field(description="Loại lỗi (missing, string_too_long, int_parsing, …)")
    msg: str = Field(description="Thông báo nêu tên trường, theo ngôn ngữ của yêu cầu")


class ValidationErrors(Schema):
    detail: list[FieldError]


class Message(Schema):
    detail: str


ERROR_RESPONSES = {
    400: ("ValidationErrors", "Dữ liệu gửi lên không hợp lệ: mỗi lỗi nêu tên trường."),
    401: ("Message", "Chưa đăng nhập, hoặc khóa API không hợp lệ."),
    403: ("Message", "Không có quyền thực hiện."),
    404: ("Message", "Không tìm thấy (hoặc không được xem)."),
    429: ("Message", "Quá nhiều yêu cầu."),
}


class QlvbAPI(NinjaAPI):
    def validation_error_from_error_contexts(self, error_contexts):
        """pydantic's errors as problems: the path as the client sent it, and the field's own title."""
        problems = []
        for context in error_contexts:
            model = context.model
            single = getattr(model, "__read_from_single_attr__", None)
            for error in context.pydantic_validation_error.errors(include_url=False):
                loc = model.__ninja_flatten_map_reverse__.get(error["loc"], error["loc"])
                if single and loc[:1] == (single,):  # the body itself, not a field named after the argument
                    loc = loc[1:]
                problems.append(api_errors.problem(model.__ninja_param_source__, loc, error["type"],
                                                   ctx=error.get("ctx"), label=_title(model, error["loc"])))
        return InputError(problems)

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        for model in (ValidationErrors, Message):
            found = model.model_json_schema(ref_template="#/components/schemas/{model}")
            schema["components"]["schemas"].update(found.pop("$defs", {}), **{model.__name__: found})
        for operations in schema["paths"].values():
            for operation in operations.values():
                has_id = any(p["in"] == "path" for p in operation.get("parameters", []))
                for status, (name, description) in ERROR_RESPONSES.items():
                    if status == 404 and not has_id:
                        continue
                    operation["responses"].setdefault(status, {"description": description, "content": {
                        "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}})
        return schema


def _title(model, loc):
    """The explicit title of the schema field at pydantic location `loc`, if it has one."""
    title = None
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return None
        title, model = field.title, _model_in(field.annotation)
    return title


def _model_in(annotation):
    """The pydantic model inside an annotation (`list[TargetIn]`, `TargetIn | None`), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        if found := _model_in(arg):
            return found
    return None


api = QlvbAPI(
    title="QLVB API",
    version="1",
    description=_("API của phần mềm Quản lý văn bản và hồ sơ công việc."),
    auth=django_auth,
    urls_namespace="api",
    parser=InputParser(),
    # Per signed-in person; generous for people, a brake on runaway scripts.
    throttle=[AuthRateThrottle(settings.QLVB_API_RATE)],
)


# Dates the API accepts: any real document's, with room; beyond, date arithmetic overflows (year 1, 9999).
DATES = (date(1900, 1, 1), date(9998, 12, 31))


def dates_in_range(view):
    """Refuse, naming the field, a date no calculation can use (after validation, before the view)."""

    @functools.wraps(view)
    def wrapper(request, **values):
        paths = [path[1:] if isinstance(values.get(path[0]), BaseModel) else path  # the body itself
                 for path in api_errors.dates_outside(values, *DATES)]
        if paths:
            low, high = (d.isoformat() for d in DATES)
            raise InputError([api_errors.problem(_source(request), path, "date_out_of_range",
                                                 ctx={"min": low, "max": high}) for path in paths])
        return view(request, **values)

    return wrapper


api.add_decorator(dates_in_range)


def localized(handler):
    """Answer in the request's language: the language cookie, else Accept-Language, else Vietnamese."""

    @functools.wraps(handler)
    def wrapper(request, exc):
        with translation.override(translation.get_language_from_request(request)):
            return handler(request, exc)

    return wrapper


def _invalid(request, problems):
    section = request.path.removeprefix("/api/").split("/", 1)[0]
    return api.create_response(request, {"detail": api_errors.render(problems, section)}, status=400)


@api.exception_handler(InputError)
@localized
def input_error(request, exc):
    return _invalid(request, exc.errors)


def _source(request) -> str:
    return "query" if request.method == "GET" else "body" if request.content_type == "application/json" else "form"


@api.exception_handler(ValidationError)
@localized
def validation_error(request, exc):
    return _invalid(request, api_errors.from_django(exc, _source(request)))


@api.exception_handler(MultiPartParserError)
@localized
def unreadable_form(request, exc):
    return _invalid(request, [api_errors.problem("form", (), "multipart_invalid")])


@api.exception_handler(DataError)
@localized
def data_error(request, exc):
    """A value the database refused that the service did not check first (PostgreSQL keeps text no
    longer than its column; SQLite keeps it): still the client's input, named where it can be."""
    logger.warning("API input refused by the database, not by validation: %s %s: %s", request.method,
                   request.path, exc)
    source = _source(request)
    try:
        data = json.loads(request.body) if source == "body" else dict(request.POST.lists())
    except ValueError:
        data = None
    return _invalid(request, api_errors.from_database(exc, data, source))


@api.exception_handler(HttpError)
@localized
def http_error(request, exc):
    cause = exc.__cause__
    if isinstance(cause, UnstorableInput):
        return _invalid(request, [api_errors.problem("body", cause.path, "unstorable_character")])
    if exc.status_code == 400 and isinstance(cause, ValueError):  # JSON or its encoding
        return _invalid(request, [api_errors.problem("body", (), "json_invalid")])
    messages = {401: _("Chưa đăng nhập, phiên đã hết hạn, hoặc khóa API không hợp lệ."),
                403: _("Yêu cầu bị từ chối: thiếu hoặc sai mã CSRF.") if "CSRF" in str(exc) else _("Không có quyền."),
                429: _("Quá nhiều yêu cầu, vui lòng thử lại sau.")}
    return api.create_response(request, {"detail": messages.get(exc.status_code, str(exc))}, status=exc.status_code)


@api.exception_handler(PermissionDenied)
@localized
def permission_denied(request, exc):
    from qlvb.audit.services import record

    record(actor=request.user if request.user.is_authenticated else None, action="access.denied",
           changes={"path": request.path, "method": request.method})
    return api.create_response(request, {"detail": str(exc) or _("Không có quyền.")}, status=403)


@api.exception_handler(Http404)
@localized
def not_found(request, exc):
    return api.create_response(request, {"detail": _("Không tìm thấy.")}, status=404)


def _routers():
    from qlvb.archive.api import router as archive
    from qlvb.archive.reading_api import router as archive_reading
    from qlvb.assignments.api import router as assignments
    from qlvb.documents.api import router as search
    from qlvb.documents.book_api import router as registers
    from qlvb.exchange.api import router as exchange
    from qlvb.incoming.api import router as incoming
    from qlvb.outgoing.api import router as outgoing
    from qlvb.records.api import router as records
    from qlvb.reports.api import router as reports
    from qlvb.signing.api import router as signing

    api.add_router("/incoming", incoming)
    api.add_router("/assignments", assignments)
    api.add_router("/records", records)
    api.add_router("/archive", archive)
    api.add_router("/archive", archive_reading)
    api.add_router("/outgoing", outgoing)
    api.add_router("/reports", reports)
    api.add_router("/search", search)
    api.add_router("/registers", registers)
    api.add_router("/signing", signing)
    api.add_router("/exchange", exchange)


_routers()
