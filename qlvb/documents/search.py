"""Advanced search over incoming and outgoing documents (Circular 01/2019, Decree 30 Annex VI I.III F-6.d–g):
every input field of Annex VI II is a filter, the viewer chooses the displayed columns and their order.

The one place the query is built: the page, the API, saved searches and exports all call `results`.
It starts from the viewer's visible set (`access.visible_incoming` / `visible_outgoing`), so a result,
a count or an exported row never names a document its viewer may not open. Free words go through the
quick search (`incoming.search.matching`: the trigram index); a text filter on one field compares the
folded column (`core.text.Fold`) with the folded words. Free words also match the full-text index
(`documents.fulltext`: the words inside the files), and the `content` filter matches it alone.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.lookups import Contains
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from qlvb import access
from qlvb.core.text import Fold, clean, containing, terms
from qlvb.documents.models import Confidentiality, Urgency

TEXT, NUMBER, DATE_FROM, DATE_TO, CHOICE, ID = "text", "number", "date_from", "date_to", "choice", "id"
DATE_LOW, DATE_HIGH = date(1900, 1, 1), date(9998, 12, 31)


@dataclass(frozen=True)
class Filter:
    """One search input: its name in the query string and the API, its label, and how it narrows `qs`."""

    name: str
    label: str
    type: str
    apply: Callable  # (qs, value) -> qs
    choices: Callable = lambda: []  # CHOICE and ID: [(value, label)]


@dataclass(frozen=True)
class Column:
    """One displayed column: its key, heading, the text of one document, and the ordering it sorts by."""

    key: str
    label: str
    value: Callable  # (document) -> str
    order: str = ""


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    visible: Callable  # (person) -> queryset: where every search starts
    filters: list[Filter]
    columns: list[Column]
    default_columns: list[str]
    default_order: str
    url: Callable  # (document) -> str
    prepare: Callable = lambda qs, keys: qs  # select/prefetch what the chosen columns show


# ---- conditions --------------------------------------------------------------------------------------

def _text(path):
    """Every folded word of the value occurs in the folded column `path`."""
    def apply(qs, value):
        for word in terms(value):
            qs = qs.filter(Contains(Fold(path), word))
        return qs
    return apply


def _any_text(*paths):
    """Every word occurs in one of the columns."""
    def apply(qs, value):
        for word in terms(value):
            qs = qs.filter(_either(Contains(Fold(p), word) for p in paths))
        return qs
    return apply


def _either(conditions):
    found = Q()
    for condition in conditions:
        found |= Q(condition)
    return found


def _equal(path):
    return lambda qs, value: qs.filter(**{path: value})


def _keywords_incoming(qs, value):
    from qlvb.incoming.search import matching

    return matching(qs, value) | _content("incoming")(qs, value)


def _keywords_outgoing(qs, value):
    return containing(qs, terms(value)) | _content("outgoing")(qs, value)


def _content(kind_name):
    """Every word in the document's full-text entry: its metadata and the text of its files."""
    def apply(qs, value):
        from . import fulltext

        return qs.filter(pk__in=fulltext.matching_ids(kind_name, value))
    return apply


def _number(path):
    """The number as written, with leading zeros or without (`417` finds `0417`, `05` finds `5`)."""
    def apply(qs, value):
        bare = value.strip().lstrip("0") or "0"
        return qs.filter(**{f"{path}__in": {value.strip(), *(bare.zfill(n) for n in range(len(bare), 12))}})
    return apply


def _on_item(match: Callable):
    """Incoming documents with a processing item matching `match(value)` (the document is visible, so
    are its items: architecture.md, Visibility)."""
    from qlvb.assignments.models import Assignment

    return lambda qs, value: qs.filter(Exists(Assignment.objects.filter(match(value), document=OuterRef("pk"))))


def _to_recipient(qs, value):
    """Outgoing documents with an addressee (unit, person or agency) whose name holds every word."""
    from qlvb.outgoing.models import Recipient

    for word in terms(value):
        named = _either(Contains(Fold(p), word) for p in ("unit__name", "person__full_name", "agency__name"))
        qs = qs.filter(Exists(Recipient.objects.filter(named, document=OuterRef("pk"))))
    return qs


def _replaced(qs, value):
    from qlvb.documents.models import Correction
    from qlvb.outgoing.models import OutgoingDocument

    replaced = Exists(OutgoingDocument.objects.filter(replaces=OuterRef("pk"), correction=Correction.REPLACE))
    return qs.filter(replaced) if value == "replaced" else qs.exclude(replaced)


# ---- choices -----------------------------------------------------------------------------------------

def _types():
    from qlvb.documents.models import DocumentType

    return [(t.pk, t.name) for t in DocumentType.objects.order_by("name")]


def _registers(kind):
    def choices():
        from qlvb.documents.models import Register

        kinds = [Register.Kind.OUTGOING, Register.Kind.COPY] if kind == "outgoing" else [Register.Kind.INCOMING]
        return [(r.pk, f"{r.name} {r.year}") for r in Register.objects.filter(kind__in=kinds).order_by("-year", "code")]
    return choices


def _fields():
    from qlvb.organization.models import Field

    return [(f.pk, f.name) for f in Field.objects.order_by("name")]


def _units():
    from qlvb.organization.models import Unit

    return [(u.pk, u.name) for u in Unit.objects.order_by("name")]


def _people():
    from qlvb.organization.models import Person

    return [(p.pk, p.full_name) for p in Person.objects.filter(is_active=True).order_by("full_name")]


def _incoming_status():
    from qlvb.incoming.models import IncomingDocument

    return list(IncomingDocument.Status.choices)


def _outgoing_status():
    return [("in_force", _("Còn hiệu lực")), ("replaced", _("Đã bị thay thế"))]


# ---- column values -----------------------------------------------------------------------------------

def _day(value):
    return date_format(value, "d/m/Y") if value else ""


def _moment(value):
    from django.utils import timezone

    return date_format(timezone.localtime(value), "d/m/Y H:i") if value else ""


def _main_handler():
    """The receiver of the document's newest main-handler item: who holds the work now."""
    from qlvb.assignments.models import Assignment

    return Subquery(Assignment.objects.filter(document=OuterRef("pk"), role=Assignment.Role.MAIN)
                    .order_by("-created_at", "-pk").values("receiver__full_name")[:1])


def _prepare_incoming(qs, keys):
    qs = qs.select_related("document_type", "field", "register")
    return qs.annotate(main_handler=_main_handler()) if "handler" in keys else qs


def _prepare_outgoing(qs, keys):
    from django.db.models import Prefetch

    from qlvb.documents.models import Correction
    from qlvb.outgoing.models import OutgoingDocument, Recipient

    qs = qs.select_related("document_type", "drafting_unit", "register", "draft__record__owner",
                           "draft__record__field")
    if "recipients" in keys:
        # The addressees of documents the viewer sees (the document's own "Nơi nhận" list).
        qs = qs.prefetch_related(Prefetch("recipients", queryset=Recipient.objects.select_related(
            "unit", "person", "agency").order_by("pk")))
    if "status" in keys:
        replaced = OutgoingDocument.objects.filter(replaces=OuterRef("pk"), correction=Correction.REPLACE)
        qs = qs.annotate(is_replaced=Exists(replaced))
    return qs


def _recipients(document) -> str:
    return "; ".join(str(r) for r in document.recipients.all())


def _outgoing_status_of(document) -> str:
    return str(_("Đã bị thay thế") if getattr(document, "is_replaced", False) else _("Còn hiệu lực"))


# ---- the two kinds -----------------------------------------------------------------------------------

INCOMING = Kind(
    name="incoming", label=_lazy("Văn bản đến"),
    visible=lambda person: access.visible_incoming(person),
    filters=[
        Filter("q", _lazy("Từ khóa (số, ký hiệu, trích yếu, cơ quan ban hành, nội dung tệp)"), TEXT,
               _keywords_incoming),
        Filter("content", _lazy("Nội dung toàn văn (cả chữ trong tệp)"), TEXT, _content("incoming")),
        Filter("notation", _lazy("Số và ký hiệu"), TEXT, _text("notation")),
        Filter("code_number", _lazy("Số"), TEXT, _number("code_number")),
        Filter("code_notation", _lazy("Ký hiệu"), TEXT, _text("code_notation")),
        Filter("issuer", _lazy("Cơ quan ban hành"), TEXT, _any_text("issuer_name", "issuer_code")),
        Filter("signer_name", _lazy("Họ tên người ký"), TEXT, _text("signer_name")),
        Filter("signer_position", _lazy("Chức vụ người ký"), TEXT, _text("signer_position")),
        Filter("document_type_id", _lazy("Loại văn bản"), ID, _equal("document_type_id"), _types),
        Filter("summary", _lazy("Trích yếu"), TEXT, _text("summary")),
        Filter("issued_from", _lazy("Ngày văn bản từ"), DATE_FROM, _equal("issued_on__gte")),
        Filter("issued_to", _lazy("Ngày văn bản đến"), DATE_TO, _equal("issued_on__lte")),
        Filter("arrived_from", _lazy("Ngày đến từ"), DATE_FROM, _equal("arrived_at__date__gte")),
        Filter("arrived_to", _lazy("Ngày đến đến"), DATE_TO, _equal("arrived_at__date__lte")),
        Filter("arrival_number", _lazy("Số đến"), NUMBER, _equal("arrival_number")),
        Filter("register_id", _lazy("Sổ văn bản"), ID, _equal("register_id"), _registers("incoming")),
        Filter("urgency", _lazy("Độ khẩn"), CHOICE, _equal("urgency"), lambda: list(Urgency.choices)),
        Filter("confidentiality", _lazy("Độ mật"), CHOICE, _equal("confidentiality"),
               lambda: list(Confidentiality.choices)),
        Filter("field_id", _lazy("Lĩnh vực"), ID, _equal("field_id"), _fields),
        Filter("status", _lazy("Trạng thái xử lý"), CHOICE, _equal("status"), _incoming_status),
        Filter("unit_id", _lazy("Đơn vị nhận"), ID,
               _on_item(lambda unit: Q(receiver_unit_id=unit) | Q(receiver__unit_id=unit)), _units),
        Filter("handler_id", _lazy("Người xử lý chính"), ID,
               _on_item(lambda person: Q(receiver_id=person, role="main")), _people),
        Filter("deadline_from", _lazy("Hạn xử lý từ"), DATE_FROM, _equal("deadline__gte")),
        Filter("deadline_to", _lazy("Hạn xử lý đến"), DATE_TO, _equal("deadline__lte")),
    ],
    columns=[
        Column("arrival_number", _lazy("Số đến"), lambda d: str(d.arrival_number), "arrival_number"),
        Column("arrived_at", _lazy("Ngày đến"), lambda d: _moment(d.arrived_at), "arrived_at"),
        Column("notation", _lazy("Số, ký hiệu"), lambda d: d.notation, "notation"),
        Column("issued_on", _lazy("Ngày văn bản"), lambda d: _day(d.issued_on), "issued_on"),
        Column("issuer", _lazy("Cơ quan ban hành"), lambda d: d.issuer_name, "issuer_name"),
        Column("document_type", _lazy("Loại văn bản"), lambda d: d.document_type.name, "document_type__name"),
        Column("summary", _lazy("Trích yếu"), lambda d: d.summary, "summary"),
        Column("signer", _lazy("Người ký"), lambda d: d.signer, "signer_name"),
        Column("register", _lazy("Sổ văn bản"), lambda d: d.register.name, "register__code"),
        Column("urgency", _lazy("Độ khẩn"), lambda d: d.get_urgency_display(), "urgency"),
        Column("confidentiality", _lazy("Độ mật"), lambda d: d.get_confidentiality_display(), "confidentiality"),
        Column("field", _lazy("Lĩnh vực"), lambda d: d.field.name if d.field else "", "field__name"),
        Column("status", _lazy("Trạng thái"), lambda d: d.get_status_display(), "status"),
        Column("handler", _lazy("Người xử lý chính"), lambda d: d.main_handler or "", "main_handler"),
        Column("deadline", _lazy("Hạn xử lý"), lambda d: _day(d.deadline), "deadline"),
    ],
    default_columns=["arrival_number", "arrived_at", "notation", "issuer", "summary", "deadline", "status"],
    default_order="-arrived_at",
    url=lambda d: reverse("incoming:detail", args=[d.pk]),
    prepare=_prepare_incoming,
)

OUTGOING = Kind(
    name="outgoing", label=_lazy("Văn bản đi"),
    visible=lambda person: access.visible_outgoing(person),
    filters=[
        Filter("q", _lazy("Từ khóa (số, ký hiệu, trích yếu, nội dung tệp)"), TEXT, _keywords_outgoing),
        Filter("content", _lazy("Nội dung toàn văn (cả chữ trong tệp)"), TEXT, _content("outgoing")),
        Filter("notation", _lazy("Số và ký hiệu"), TEXT, _text("notation")),
        Filter("code_number", _lazy("Số"), NUMBER, _equal("number")),
        Filter("code_notation", _lazy("Ký hiệu"), TEXT, _text("notation")),
        Filter("issuer", _lazy("Cơ quan ban hành"), TEXT, _any_text("agency_name", "parent_agency_name")),
        Filter("signer_name", _lazy("Họ tên người ký"), TEXT, _text("signer_name")),
        Filter("signer_position", _lazy("Chức vụ người ký"), TEXT, _any_text("signer_title", "signing_authority")),
        Filter("document_type_id", _lazy("Loại văn bản"), ID, _equal("document_type_id"), _types),
        Filter("summary", _lazy("Trích yếu"), TEXT, _text("summary")),
        Filter("issued_from", _lazy("Ngày ban hành từ"), DATE_FROM, _equal("issued_on__gte")),
        Filter("issued_to", _lazy("Ngày ban hành đến"), DATE_TO, _equal("issued_on__lte")),
        Filter("register_id", _lazy("Sổ văn bản"), ID, _equal("register_id"), _registers("outgoing")),
        Filter("urgency", _lazy("Độ khẩn"), CHOICE, _equal("urgency"), lambda: list(Urgency.choices)),
        Filter("confidentiality", _lazy("Độ mật"), CHOICE, _equal("confidentiality"),
               lambda: list(Confidentiality.choices)),
        Filter("field_id", _lazy("Lĩnh vực"), ID, _equal("draft__record__field_id"), _fields),
        Filter("status", _lazy("Hiệu lực"), CHOICE, _replaced, _outgoing_status),
        Filter("unit_id", _lazy("Đơn vị soạn thảo"), ID, _equal("drafting_unit_id"), _units),
        Filter("handler_id", _lazy("Người soạn thảo"), ID, _equal("draft__record__owner_id"), _people),
        Filter("recipients", _lazy("Nơi nhận"), TEXT, _to_recipient),
    ],
    columns=[
        Column("number", _lazy("Số"), lambda d: str(d.number), "number"),
        Column("notation", _lazy("Số, ký hiệu"), lambda d: d.notation, "notation"),
        Column("issued_on", _lazy("Ngày ban hành"), lambda d: _day(d.issued_on), "issued_on"),
        Column("document_type", _lazy("Loại văn bản"), lambda d: d.document_type.name, "document_type__name"),
        Column("summary", _lazy("Trích yếu"), lambda d: d.summary, "summary"),
        Column("issuer", _lazy("Cơ quan ban hành"), lambda d: d.agency_name, "agency_name"),
        Column("signer", _lazy("Người ký"), lambda d: " ".join(filter(None, [d.signer_title, d.signer_name])),
               "signer_name"),
        Column("register", _lazy("Sổ văn bản"), lambda d: d.register.name, "register__code"),
        Column("urgency", _lazy("Độ khẩn"), lambda d: d.get_urgency_display(), "urgency"),
        Column("confidentiality", _lazy("Độ mật"), lambda d: d.get_confidentiality_display(), "confidentiality"),
        Column("field", _lazy("Lĩnh vực"), lambda d: d.draft.record.field.name if d.draft.record.field else "",
               "draft__record__field__name"),
        Column("unit", _lazy("Đơn vị soạn thảo"), lambda d: d.drafting_unit.name, "drafting_unit__name"),
        Column("handler", _lazy("Người soạn thảo"), lambda d: d.draft.record.owner.full_name,
               "draft__record__owner__full_name"),
        Column("recipients", _lazy("Nơi nhận"), _recipients),
        Column("status", _lazy("Hiệu lực"), _outgoing_status_of),
    ],
    default_columns=["notation", "issued_on", "document_type", "summary", "signer", "unit"],
    default_order="-issued_on",
    url=lambda d: reverse("outgoing:detail", args=[d.pk]),
    prepare=_prepare_outgoing,
)

KINDS = {k.name: k for k in (INCOMING, OUTGOING)}


def kind_of(name: str) -> Kind:
    """The kind named `name` (incoming when it names none)."""
    return KINDS.get(name) or INCOMING


# ---- input ----------------------------------------------------------------------------------------------

def parse(kind: Kind, data) -> dict:
    """The criteria of a query string or API call, typed; a value that is not one names its field
    (ValidationError by field name). Empty values are left out."""
    criteria, errors = {}, {}
    for f in kind.filters:
        raw = data.get(f.name)
        if raw is None or (isinstance(raw, str) and not clean(raw).strip()):
            continue
        try:
            criteria[f.name] = _typed(f, clean(raw).strip()[:200] if isinstance(raw, str) else raw)
        except ValidationError as error:
            errors[f.name] = error.messages
    for low, high in _ranges(kind):
        if criteria.get(low) and criteria.get(high) and criteria[low] > criteria[high]:
            errors[high] = [_("“%(field)s” phải sau hoặc cùng ngày “%(other)s”.") % {
                "field": kind_filter(kind, high).label, "other": kind_filter(kind, low).label}]
    if errors:
        raise ValidationError(errors)
    return criteria


def _ranges(kind):
    names = [f.name for f in kind.filters]
    return [(n, n[:-5] + "_to") for n in names if n.endswith("_from") and n[:-5] + "_to" in names]


def kind_filter(kind: Kind, name: str) -> Filter:
    return next(f for f in kind.filters if f.name == name)


def _typed(f: Filter, raw):
    label = {"field": f.label}
    if f.type == TEXT:
        return str(raw)
    if f.type in (NUMBER, ID):
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise ValidationError(_("“%(field)s” phải là một số nguyên.") % label, code="invalid") from None
        if not 0 <= value <= 2**31 - 1:
            raise ValidationError(_("“%(field)s” nằm ngoài khoảng cho phép.") % label, code="invalid")
        return value
    if f.type in (DATE_FROM, DATE_TO):
        value = raw if isinstance(raw, date) else _date(str(raw))
        if value is None:
            raise ValidationError(_("“%(field)s” phải là một ngày (năm-tháng-ngày hoặc ngày/tháng/năm).") % label,
                                  code="invalid")
        if not DATE_LOW <= value <= DATE_HIGH:
            raise ValidationError(_("“%(field)s” phải trong khoảng năm 1900 đến 9998.") % label, code="invalid")
        return value
    if str(raw) not in {str(v) for v, _label in f.choices()}:
        raise ValidationError(_("“%(field)s” không có giá trị “%(value)s”.") % {**label, "value": raw},
                              code="invalid_choice")
    return str(raw)


def _date(text: str):
    try:
        if "/" in text:
            day, month, year = (int(p) for p in text.split("/"))
            return date(year, month, day)
        return parse_date(text)
    except (TypeError, ValueError):
        return None


def as_params(criteria: dict) -> dict:
    """Criteria as query-string values (dates as ISO): what a saved search keeps."""
    return {k: v.isoformat() if isinstance(v, date) else str(v) for k, v in criteria.items()}


def columns_of(kind: Kind, keys) -> list[Column]:
    """The chosen columns in the kind's order; unknown keys are dropped, none chosen gives the defaults."""
    chosen = [c for c in kind.columns if c.key in set(keys or ())]
    return chosen or [c for c in kind.columns if c.key in kind.default_columns]


def order_of(kind: Kind, order: str) -> str:
    """`order` (a column key, `-` for descending) if the kind sorts by it, else the default."""
    key = (order or "").lstrip("-")
    return order if any(c.key == key and c.order for c in kind.columns) else kind.default_order


# ---- the query --------------------------------------------------------------------------------------------

def results(person, kind: Kind, criteria: dict, *, order: str = "", columns=()):
    """The documents of `kind` the person may open that match every criterion, in the chosen order
    (then newest first, so pages never shuffle), with what the `columns` show loaded."""
    qs = kind.visible(person)
    for f in kind.filters:
        if f.name in criteria:
            qs = f.apply(qs, criteria[f.name])
    keys = [c.key for c in columns_of(kind, columns)]
    order = order_of(kind, order)
    if order.lstrip("-") == "handler":
        keys.append("handler")
    qs = kind.prepare(qs, keys)
    column = next(c for c in kind.columns if c.key == order.lstrip("-"))
    return qs.order_by(("-" if order.startswith("-") else "") + column.order, "-pk")


def rows(kind: Kind, documents, columns: list[Column]) -> list[list[str]]:
    """The text of each document in each column, as shown and exported."""
    return [[str(c.value(d) or "") for c in columns] for d in documents]


def describe(kind: Kind, criteria: dict) -> list[tuple[str, str]]:
    """Each criterion as (label, value as read): printed above exported results."""
    described = []
    for f in kind.filters:
        if f.name not in criteria:
            continue
        value = criteria[f.name]
        if f.type in (CHOICE, ID):
            value = {str(v): label for v, label in f.choices()}.get(str(value), value)
        elif isinstance(value, date):
            value = _day(value)
        described.append((str(f.label), str(value)))
    return described
