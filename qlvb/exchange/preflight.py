"""Pre-flight before a package is queued or exported (issue 15 item 4): every check the clerk can act on,
each with one Vietnamese sentence. Blocking checks refuse sending (services, page, API alike); advisory
ones are shown in amber but do not stop it (the outbox keeps a package while a peer is down; an unsigned
PDF is sent unless QLVB_EXCHANGE_REQUIRE_SIGNED_PDF). Cheap: no network call, the peer's state is read
from its last deliveries in the outbox; the PDF's signature from the verification cache, else a scan
for a signature dictionary."""

import dataclasses

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from qlvb.documents.identifiers import organ_id_format
from qlvb.documents.models import Confidentiality
from qlvb.files.storage import PDF_ONLY, open_checked
from qlvb.organization.models import Agency
from qlvb.outgoing.selectors import recall_problem

from .edxml import codes
from .models import OutboxItem, Peer

BASE64_GROWTH = 4 / 3  # the attachment travels base64-encoded inside the package
HEADER_ALLOWANCE = 256 * 1024
SCAN_CHUNK = 1024 * 1024


@dataclasses.dataclass
class Check:
    key: str
    label: str
    ok: bool
    problem: str = ""
    blocking: bool = True

    @property
    def level(self) -> str:
        return "ok" if self.ok else ("error" if self.blocking else "warning")


def checks(recipient, *, direct: bool | None = None) -> list[Check]:
    """The checklist for sending `recipient`'s document (`direct`: through a peer; None: a peer if one is
    declared for the recipient's agency, else by file)."""
    document = recipient.document
    agency_row = recipient.agency
    name = agency_row.name if agency_row is not None else str(recipient)
    organ_id = ((agency_row.identifier if agency_row is not None else "") or "").strip().upper()
    peer = Peer.objects.filter(organ_id=organ_id).first() if organ_id else None
    if direct is None:
        direct = peer is not None and peer.is_active
    result = [_state(document)]
    ours = Agency.objects.first()
    result.append(Check("sender", _("Mã định danh của cơ quan mình"),
                        ok=bool(ours and organ_id_format((ours.identifier or "").strip().upper())),
                        problem=_("Cơ quan chưa khai báo mã định danh hợp lệ: khai báo ở Quản trị → Cơ quan.")))
    result.append(Check("organ_id", _("Mã định danh của nơi nhận"), ok=bool(organ_id_format(organ_id)),
                        problem=_("Nơi nhận “%(name)s” chưa có mã định danh hợp lệ: khai báo ở danh mục cơ quan bên "
                                  "ngoài (Quản trị → Cơ quan bên ngoài).") % {"name": name}))
    if direct:
        result.append(_peer(peer, name))
    result += [_file(document), _size(document), _type(document), _pdf_signature(document), _credential(ours)]
    return result


def problems(recipient, *, direct: bool | None = None) -> list[str]:
    """The sentences of the failed blocking checks ([] when the package may be sent)."""
    return [c.problem for c in checks(recipient, direct=direct) if not c.ok and c.blocking]


def _state(document) -> Check:
    problem = recall_problem(document)
    if not problem and document.confidentiality != Confidentiality.NORMAL:
        problem = _("Văn bản mật không được gửi qua trục liên thông điện tử; gửi bản giấy theo quy định bảo vệ bí "
                    "mật nhà nước.")
    return Check("state", _("Văn bản được phép gửi điện tử"), ok=not problem, problem=problem)


def _peer(peer, name) -> Check:
    label = _("Hệ thống của nơi nhận đang liên thông")
    if peer is None or not peer.is_active:
        return Check("peer", label, ok=False,
                     problem=_("Nơi nhận “%(name)s” chưa được khai báo liên thông trực tiếp (Quản trị → Cơ quan liên "
                               "thông trực tiếp): xuất tệp .edxml để gửi qua trục liên thông.") % {"name": name})
    last = OutboxItem.objects.filter(peer=peer).order_by("-pk").first()
    if last is not None and last.state == OutboxItem.State.PENDING and last.attempts:
        return Check("peer", label, ok=False, blocking=False,
                     problem=_("Hệ thống của “%(name)s” không trả lời từ lần gửi gần nhất (%(error)s): gói tin sẽ nằm "
                               "trong hàng đợi và được gửi lại khi bên kia hoạt động.")
                     % {"name": name, "error": last.last_error[:120]})
    return Check("peer", label, ok=True)


def _file(document) -> Check:
    label = _("Tệp văn bản đúng định dạng (PDF)")
    if not document.blob_id:
        return Check("file", label, ok=False,
                     problem=_("Văn bản chưa có tệp PDF ban hành: đính kèm bản PDF đã ký trước khi gửi."))
    if document.blob.content_type not in PDF_ONLY:
        return Check("file", label, ok=False,
                     problem=_("Tệp văn bản là %(type)s, không phải PDF: chuyển sang PDF và ký số trước khi gửi.")
                     % {"type": document.blob.content_type})
    return Check("file", label, ok=True)


def _size(document) -> Check:
    limit = settings.QLVB_EXCHANGE_MAX_PACKAGE_BYTES
    size = document.blob.size if document.blob_id else 0
    estimated = int(size * BASE64_GROWTH) + HEADER_ALLOWANCE
    ok = estimated <= limit and size <= settings.QLVB_MAX_UPLOAD_BYTES
    return Check("size", _("Dung lượng gói tin trong giới hạn"), ok=ok,
                 problem=_("Gói tin khoảng %(size)s MB, vượt giới hạn %(limit)s MB: giảm dung lượng tệp PDF (quét lại "
                           "ở độ phân giải thấp hơn) rồi gửi lại.") % {"size": round(estimated / 2**20, 1),
                                                                    "limit": round(limit / 2**20, 1)})


def _type(document) -> Check:
    name = document.document_type.name
    return Check("type", _("Loại văn bản có mã edXML"), ok=codes.document_type_code(name) is not None,
                 problem=_("Loại văn bản “%(name)s” chưa có mã loại văn bản edXML: dùng một loại văn bản theo Phụ lục "
                           "III Nghị định 30/2020/NĐ-CP.") % {"name": name})


def has_pdf_signature(blob) -> bool:
    """Whether the PDF carries a signature: the verification cache when it was checked, else a scan for a
    signature dictionary (/ByteRange), without parsing."""
    from qlvb.signing.selectors import verification_of

    if (checked := verification_of(blob.sha256)) is not None:
        return bool(checked.signatures)
    tail = b""
    with open_checked(blob) as handle:
        while chunk := handle.read(SCAN_CHUNK):
            if b"/ByteRange" in tail + chunk:
                return True
            tail = chunk[-16:]
    return False


def _pdf_signature(document) -> Check:
    label = _("Bản PDF có chữ ký số của cơ quan")
    required = getattr(settings, "QLVB_EXCHANGE_REQUIRE_SIGNED_PDF", False)
    ok = bool(document.blob_id and document.blob.content_type in PDF_ONLY and has_pdf_signature(document.blob))
    return Check("pdf_signature", label, ok=ok, blocking=required,
                 problem=_("Bản PDF chưa có chữ ký số của cơ quan: ký số văn bản (đóng dấu số) trước khi gửi để nơi "
                           "nhận xác thực được."))


def _credential(agency) -> Check:
    from qlvb.signing.selectors import agency_credentials

    label = _("Chứng thư số ký gói tin dùng được")
    credential = agency_credentials(agency).order_by("pk").first() if agency is not None else None
    if credential is None:
        return Check("credential", label, ok=False, blocking=False,
                     problem=_("Cơ quan chưa có chứng thư số đang hiệu lực để ký gói tin: gói tin sẽ gửi "
                               "không có chữ ký (Quản trị → Chứng thư số để thêm)."))
    if credential.not_after <= timezone.now():
        return Check("credential", label, ok=False, blocking=False,
                     problem=_("Chứng thư số ký gói tin “%(label)s” đã hết hạn ngày %(date)s: gia hạn hoặc thêm "
                               "chứng thư mới.") % {"label": credential.label,
                                          "date": timezone.localtime(credential.not_after).strftime("%d/%m/%Y")})
    return Check("credential", label, ok=True)
