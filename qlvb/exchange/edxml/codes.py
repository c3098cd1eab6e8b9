"""Status codes and identifiers of the exchange (regulations-detail §3.1, §3.3; exchange-platforms §5, §7).
Django-free: `qlvb.documents.identifiers` holds the same two OrganId patterns for the pages' validators."""

import re
from datetime import date

RECEIVED, REFUSED, ACCEPTED, ASSIGNED, PROCESSING, COMPLETED = "01", "02", "03", "04", "05", "06"
RECALL_REQUEST, RECALL_ACCEPTED, RECALL_REFUSED = "13", "15", "16"

# Vietnamese names as the platform's sample descriptions give them; an unknown code is shown as is
# (informational, never an error). "14" is one builder's mistaken "15" (exchange-platforms §5).
STATUS_NAMES = {
    RECEIVED: "Đã đến",
    REFUSED: "Từ chối tiếp nhận",
    ACCEPTED: "Đã tiếp nhận",
    ASSIGNED: "Phân công",
    PROCESSING: "Đang xử lý",
    COMPLETED: "Hoàn thành",
    RECALL_REQUEST: "Lấy lại (thu hồi)",
    "14": "Đồng ý cập nhật / lấy lại",
    RECALL_ACCEPTED: "Đồng ý cập nhật / lấy lại",
    RECALL_REFUSED: "Từ chối cập nhật / lấy lại",
}
_STATUS_CODE = re.compile(r"^\d{1,3}$")

ORGAN_ID_MAX = 35
_QCVN_102 = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")
_QD_20 = re.compile(r"^[A-Z]\d{2}(?:\.[A-Z0-9]+)*$")


def organ_id_format(value: str) -> str | None:
    """"QCVN 102" (`000.00.00.H49`, level 1 on the right) or "QĐ 20/2020" (`H01.151`, level 1 on the left,
    ≤ 35 characters) for a well-formed identifier, None otherwise."""
    if _QCVN_102.match(value or ""):
        return "QCVN 102"
    if len(value or "") <= ORGAN_ID_MAX and _QD_20.match(value or ""):
        return "QĐ 20/2020"
    return None


def is_status_code(value: str) -> bool:
    return bool(_STATUS_CODE.match(value or ""))


def normalize_status_code(value: str) -> str:
    """Two digits as the platform writes them: "3" → "03"."""
    value = (value or "").strip()
    return value.zfill(2) if value.isdigit() and len(value) < 2 else value


def document_id(organ_id: str, promulgation_date: date, code_number: str, code_notation: str) -> str:
    """`<OrganId>,<yyyy/MM/dd>,<number>/<notation>`, e.g. `000.00.00.G22,2015/09/30,7816/VPCP-TTĐT`: stable
    across resends, the key of idempotent receipt together with the sender."""
    return f"{organ_id},{promulgation_date:%Y/%m/%d},{code_number}/{code_notation}"


# DocumentType/Type (edxml.md): 1 legal normative document, 2 administrative document. The types of
# Decree 30 Annex III (our catalogue's seed) are administrative; a type the administrator added that is
# in neither list has no code (pre-flight says so before anything is sent).
LEGAL_TYPES = {"luật", "pháp lệnh", "lệnh", "nghị định", "thông tư", "thông tư liên tịch", "nghị quyết liên tịch"}
ADMINISTRATIVE_TYPES = {
    "công văn", "quyết định", "nghị quyết", "chỉ thị", "quy chế", "quy định", "thông cáo", "thông báo",
    "hướng dẫn", "chương trình", "kế hoạch", "phương án", "đề án", "dự án", "báo cáo", "biên bản", "tờ trình",
    "hợp đồng", "công điện", "bản ghi nhớ", "bản thỏa thuận", "giấy ủy quyền", "giấy mời", "giấy giới thiệu",
    "giấy nghỉ phép", "phiếu gửi", "phiếu chuyển", "phiếu báo", "thư công", "bản sao y", "bản trích sao",
    "bản sao lục"}


def document_type_code(name: str) -> str | None:
    key = " ".join((name or "").split()).lower()
    if key in LEGAL_TYPES:
        return "1"
    if key in ADMINISTRATIVE_TYPES:
        return "2"
    return None
