"""The Vietnamese sentences for the edXML library's refusal codes and status codes (the library itself
is Django-free and names reasons by code)."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .edxml import codes, errors
from .edxml.errors import EdxmlError

STATUS_LABELS = {
    codes.RECEIVED: gettext_lazy("Đã đến"),
    codes.REFUSED: gettext_lazy("Từ chối tiếp nhận"),
    codes.ACCEPTED: gettext_lazy("Đã tiếp nhận"),
    codes.ASSIGNED: gettext_lazy("Phân công"),
    codes.PROCESSING: gettext_lazy("Đang xử lý"),
    codes.COMPLETED: gettext_lazy("Hoàn thành"),
    codes.RECALL_REQUEST: gettext_lazy("Lấy lại (thu hồi)"),
    "14": gettext_lazy("Đồng ý cập nhật / lấy lại"),
    codes.RECALL_ACCEPTED: gettext_lazy("Đồng ý cập nhật / lấy lại"),
    codes.RECALL_REFUSED: gettext_lazy("Từ chối cập nhật / lấy lại"),
}


def status_label(code: str) -> str:
    return str(STATUS_LABELS.get(code, _("Mã trạng thái %(code)s (không có trong danh mục)") % {"code": code}))


def _size(value) -> str:
    return filesizeformat(value) if isinstance(value, int) else str(value)


def message(exc: EdxmlError) -> str:
    p = exc.params
    texts = {
        errors.TOO_LARGE: lambda: _("Gói tin vượt quá dung lượng cho phép (%(max)s).") % {"max": _size(p["limit"])},
        errors.FORBIDDEN: lambda: _("Gói tin chứa khai báo DTD hoặc thực thể bị cấm (nguy cơ tấn công XXE); "
                                    "không tiếp nhận."),
        errors.MALFORMED: lambda: _("Gói tin không đúng cú pháp XML."),
        errors.WRONG_NAMESPACE: lambda: _("Gói tin không dùng không gian tên edXML của QCVN 102:2016 "
                                          "(http://www.mic.gov.vn/TBT/QCVN_102_2016) mà dùng “%(ns)s”.")
        % {"ns": p.get("namespace", "")},
        errors.NOT_EDXML: lambda: _("Tệp không phải gói tin edXML (thiếu phần edXML/MessageHeader hoặc Status)."),
        errors.MISSING: lambda: _("Gói tin thiếu thông tin bắt buộc: %(field)s.") % {"field": p["field"]},
        errors.BAD_VALUE: lambda: _("Gói tin: giá trị “%(value)s” của %(field)s không hợp lệ.") % p,
        errors.BAD_ORGAN_ID: lambda: _("Gói tin: mã định danh “%(value)s” ở %(field)s không đúng định dạng "
                                       "QCVN 102:2016 hay Quyết định 20/2020/QĐ-TTg.") % p,
        errors.ATTACHMENT_TOO_LARGE: lambda: _("Tệp đính kèm “%(name)s” (%(size)s) vượt quá dung lượng cho phép "
                                               "(%(max)s).") % {"name": p["name"], "size": _size(p["size"]),
                                                                "max": _size(p["limit"])},
        errors.ATTACHMENT_SIZE_MISMATCH: lambda: _("Tệp đính kèm “%(name)s” không đúng dung lượng đã khai báo.") % p,
        errors.BAD_BASE64: lambda: _("Tệp đính kèm “%(name)s” không mã hóa đúng base64.") % p,
        errors.TOO_MANY_ATTACHMENTS: lambda: _("Gói tin có quá %(limit)d tệp đính kèm.") % p,
    }
    return texts.get(exc.code, lambda: _("Gói tin không hợp lệ."))()


def refused(exc: EdxmlError, field: str = "file") -> ValidationError:
    """The refusal as the pages and the API show it, naming the uploaded file field."""
    return ValidationError({field: message(exc)}, code=exc.code)
