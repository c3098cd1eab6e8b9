"""Validation errors of the REST API in one shape, each naming its field, in the request's language.

A refused input answers 400 with `{"detail": [{"field", "loc", "type", "msg"}, …]}`: `field` is the dotted
path of the input as the client sent it (`targets.0.role`, `q`; null for an error about the whole
request), `loc` the same path with its source first (`["body", "targets", 0, "role"]`), `type` the
machine-readable kind (pydantic's error type or Django's error code) and `msg` a sentence naming the
field by its label. A label is the schema field's explicit title, else the table below, else the
verbose name of a model field of that name (the API section's own app first), else the name itself.
"""

import re
from datetime import date, datetime

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel

from qlvb.core.text import UNSTORABLE

# Input names of the API that are not model fields, or whose model field says something else.
LABELS = {
    "q": _("Từ khóa tìm kiếm"),
    "box": _("Hộp văn bản"),
    "page": _("Trang"),
    "page_size": _("Số dòng mỗi trang"),
    "start": _("Từ ngày"),
    "end": _("Đến ngày"),
    "action": _("Thao tác"),
    "targets": _("Nơi nhận"),
    "person_id": _("Người nhận"),
    "unit_id": _("Đơn vị"),
    "send_to_id": _("Trình hoặc chuyển cho"),
    "incoming_id": _("Văn bản đến"),
    "document_id": _("Văn bản"),
    "record_id": _("Hồ sơ công việc"),
    "draft_id": _("Dự thảo"),
    "assignment_id": _("Mục xử lý"),
    "note": _("Ghi chú"),
    "comment": _("Ý kiến"),
    "kind": _("Hình thức điều chỉnh"),
    "files": _("Tệp đính kèm"),
    "attachments": _("Phụ lục, văn bản kèm theo"),
}
WHOLE_BODY = _("Nội dung yêu cầu")

# pydantic error types and Django error codes → a sentence naming the field (`%(field)s`).
MESSAGES = {
    ("missing", "required", "blank", "null"): _("“%(field)s” là bắt buộc."),
    ("unstorable_character",): _("“%(field)s” chứa ký tự không được phép (ký tự NUL hoặc mã UTF-16 lẻ)."),
    ("string_type",): _("“%(field)s” phải là một chuỗi ký tự."),
    ("string_too_short", "min_length"): _("“%(field)s” phải có ít nhất %(min_length)s ký tự."),
    ("string_too_long", "max_length"): _("“%(field)s” chỉ được có tối đa %(max_length)s ký tự."),
    ("int_parsing", "int_type", "int_from_float", "int_parsing_size"): _("“%(field)s” phải là một số nguyên."),
    ("float_parsing", "float_type", "decimal_parsing", "decimal_type"): _("“%(field)s” phải là một số."),
    ("greater_than",): _("“%(field)s” phải lớn hơn %(gt)s."),
    ("greater_than_equal", "min_value"): _("“%(field)s” phải lớn hơn hoặc bằng %(ge)s."),
    ("less_than",): _("“%(field)s” phải nhỏ hơn %(lt)s."),
    ("less_than_equal", "max_value"): _("“%(field)s” phải nhỏ hơn hoặc bằng %(le)s."),
    ("bool_parsing", "bool_type"): _("“%(field)s” phải là true hoặc false."),
    ("date_parsing", "date_type", "date_from_datetime_parsing", "date_from_datetime_inexact"):
        _("“%(field)s” phải là một ngày dạng YYYY-MM-DD."),
    ("datetime_parsing", "datetime_type", "datetime_from_date_parsing", "datetime_object_invalid"):
        _("“%(field)s” phải là một thời điểm dạng YYYY-MM-DDThh:mm:ss."),
    ("enum", "literal_error"): _("“%(field)s” phải là một trong các giá trị: %(expected)s."),
    ("list_type", "tuple_type", "set_type"): _("“%(field)s” phải là một danh sách."),
    ("too_short",): _("“%(field)s” phải có ít nhất %(min_length)s phần tử."),
    ("too_long",): _("“%(field)s” chỉ được có tối đa %(max_length)s phần tử."),
    ("dict_type", "model_type", "model_attributes_type", "dataclass_type"):
        _("“%(field)s” phải là một đối tượng JSON."),
    ("extra_forbidden",): _("“%(field)s” không phải là trường được nhận."),
    ("json_invalid", "json_type"): _("“%(field)s” không phải là JSON hợp lệ."),
    ("multipart_invalid",): _("“%(field)s” không phải là dữ liệu multipart/form-data hợp lệ."),
    ("date_out_of_range",): _("“%(field)s” phải nằm trong khoảng từ %(min)s đến %(max)s."),
    ("out_of_range",): _("“%(field)s” có giá trị vượt quá giới hạn lưu trữ."),
}
BY_TYPE = {kind: message for kinds, message in MESSAGES.items() for kind in kinds}
INVALID = _("“%(field)s” không hợp lệ.")
WITH_REASON = _("“%(field)s”: %(reason)s")


def problem(source: str, path=(), kind: str = "invalid", *, ctx=None, label=None, reason=None) -> dict:
    """One refused input: its place (`source` then `path`), its kind, what the message needs. `reason` is
    a sentence already written (a service's); it is shown when the kind has no message of its own."""
    return {"loc": (source, *path), "type": kind, "ctx": ctx or {}, "label": label, "reason": reason}


def render(problems: list[dict], section: str = "") -> list[dict]:
    """The response items for `problems` in the active language; `section` is the app the request is
    for (`/api/records/…` → "records"), whose models name fields first."""
    return [_item(p, section) for p in problems]


def _item(p: dict, section: str) -> dict:
    loc = list(p["loc"])
    path = loc[1:]
    names = [part for part in path if isinstance(part, str)]
    field = ".".join(str(part) for part in path) or None
    if p.get("reason") and not names:  # about the request as a whole (a service's rule)
        return {"field": None, "loc": loc, "type": p["type"], "msg": str(p["reason"])}
    label = p.get("label") or (label_for(names[-1], section) if names else WHOLE_BODY)
    params = {k: v for k, v in (p.get("ctx") or {}).items() if isinstance(v, (str, int, float))}
    if isinstance(params.get("expected"), str):  # pydantic's "'a', 'b' or 'c'": keep the values only
        params["expected"] = params["expected"].replace(" or ", ", ")
    params.update(field=capfirst(str(label)), reason=p.get("reason") or "")
    template = BY_TYPE.get(p["type"]) or (WITH_REASON if p.get("reason") else INVALID)
    try:
        msg = template % params
    except (KeyError, TypeError, ValueError):  # a context without the number the sentence names
        msg = INVALID % params
    return {"field": field, "loc": loc, "type": p["type"], "msg": msg}


def label_for(name: str, section: str = "") -> str:
    """The human name of input `name` (see the module's docstring)."""
    if name in LABELS:
        return str(LABELS[name])
    configs = sorted((c for c in apps.get_app_configs() if c.name.startswith("qlvb.")),
                     key=lambda c: c.label != section)
    for config in configs:
        for model in config.get_models():
            for field in model._meta.concrete_fields:
                if name in (field.name, field.attname) and _explicit(field):
                    return str(field.verbose_name)
    return name


def _explicit(field) -> bool:
    """Whether the model field has a verbose name of its own (Django's default is its name, untranslated)."""
    return isinstance(field.verbose_name, Promise) or field.verbose_name != field.name.replace("_", " ")


def from_django(error, source: str) -> list[dict]:
    """Problems from a Django ValidationError: a service refusing its input, often by `full_clean`."""
    if not hasattr(error, "error_dict"):
        return [_from_message(e, source, ()) for e in error.error_list]
    return [_from_message(e, source, () if name == NON_FIELD_ERRORS else (name,))
            for name, errors in error.error_dict.items() for e in errors]


# Django's limit validators name their limit `limit_value`; the messages above name it as pydantic does.
LIMITS = {"max_length": "max_length", "min_length": "min_length", "max_value": "le", "min_value": "ge"}


def _from_message(error, source: str, path: tuple) -> dict:
    params = error.params or {}
    reason = error.message % params if params else error.message
    ctx = {LIMITS[error.code]: params["limit_value"]} if error.code in LIMITS and "limit_value" in params else {}
    return problem(source, path, error.code or "invalid", ctx=ctx, reason=reason)


def from_database(error, data, source: str) -> list[dict]:
    """Problems from a value the database refused (PostgreSQL: text longer than its column, a number out
    of range) that no validation caught: the inputs longer than the column's limit, else the request."""
    limit = re.search(r"character varying\((\d+)\)", str(error))
    too_long = [path for path, text in strings(data) if len(text) > int(limit[1])] if limit else []
    if too_long:
        return [problem(source, path, "string_too_long", ctx={"max_length": int(limit[1])}) for path in too_long]
    return [problem(source, (), "out_of_range")]


def unstorable_path(data):
    """The path of the first key or string in `data` (parsed JSON, form values) a database cannot keep."""
    return next((path for path, text in strings(data) if UNSTORABLE.search(text)), None)


def strings(data, path=()):
    """(path, text) of every string in `data`, keys included (a key's path ends with the key)."""
    if isinstance(data, str):
        yield path, data
        return
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        if isinstance(key, str):
            yield (*path, key), key
        yield from strings(value, (*path, key))


def dates_outside(data, low: date, high: date, path=()):
    """Paths of the dates (and date-times) in validated input `data` outside [low, high]."""
    if isinstance(data, date):
        day = data.date() if isinstance(data, datetime) else data
        if not low <= day <= high:
            yield path
        return
    if isinstance(data, BaseModel):
        data = {name: getattr(data, name) for name in type(data).model_fields}
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        yield from dates_outside(value, low, high, (*path, key))


def storable_ids(ids) -> list[int]:
    """The ids of a request that a database column can hold: a larger one names no row (SQLite even
    refuses to bind it), so it is left out and the caller answers as for any id that names nothing."""
    return [i for i in ids if 0 < i < 2**63]
