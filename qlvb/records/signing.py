"""Signing authority (thẩm quyền ký; Decree 30 Art 13, Annex I II.7): what each form requires, and the
authority line written above the signer's position (`KT. GIÁM ĐỐC`)."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from qlvb.organization.models import Position, Role

from .models import Draft

Form = Draft.SigningForm


def check(draft: Draft, at=None) -> None:
    """Refuse a draft whose signing form lacks what the decree asks for it: TM. names the collective;
    TUQ. rests on a written delegation from the head of the agency, to this signer, in force at `at`
    and covering the record's field (Art 13.3: no sub-delegation)."""
    if draft.signing_form not in Form.values:
        raise ValidationError({"signing_form": _("Hình thức ký không hợp lệ.")})
    if draft.signing_form == Form.TM and not draft.collective.strip():
        raise ValidationError({"collective": _("Ký TM. (thay mặt tập thể): nhập tên tập thể.")})
    if draft.signing_form == Form.TUQ:
        try:
            _check_delegation(draft, at or timezone.now())
        except ValidationError as exc:
            raise ValidationError({"delegation": exc.messages}) from exc


def _check_delegation(draft, at):
    delegation = draft.delegation
    if delegation is None:
        raise ValidationError(_("Ký TUQ. (thừa ủy quyền): chọn văn bản ủy quyền của người đứng đầu cơ quan."))
    if delegation.delegate_id != draft.signer_id:
        raise ValidationError(_("Người ký không phải là người được ủy quyền trong văn bản ủy quyền đã chọn."))
    delegator = delegation.delegator
    if not (delegator.position_id and delegator.position.role == Role.LEADER and not delegator.position.is_deputy):
        raise ValidationError(_("Chỉ người đứng đầu cơ quan được ủy quyền ký TUQ.; người được ủy quyền "
                                "không được ủy quyền lại."))
    revoked = delegation.revoked_at is not None and delegation.revoked_at <= at
    if revoked or not delegation.starts_at <= at < delegation.ends_at:
        raise ValidationError(_("Ủy quyền không còn hiệu lực (từ %(a)s đến %(b)s).") % {
            "a": timezone.localtime(delegation.starts_at).strftime("%d/%m/%Y %H:%M"),
            "b": timezone.localtime(delegation.ends_at).strftime("%d/%m/%Y %H:%M")})
    fields = list(delegation.fields.all())
    if fields and draft.record.field not in fields:
        raise ValidationError(_("Văn bản ngoài phạm vi ủy quyền (lĩnh vực: %(f)s).")
                              % {"f": ", ".join(str(f) for f in fields)})


def head_position() -> str:
    """The title of the head of the agency (GIÁM ĐỐC), from the positions, not from whoever holds it."""
    position = Position.objects.filter(role=Role.LEADER, is_deputy=False).order_by("rank", "id").first()
    return str(position or _("Thủ trưởng cơ quan"))


def authority_line(draft: Draft) -> str:
    """`KT. GIÁM ĐỐC`, `TL. GIÁM ĐỐC`, `TUQ. GIÁM ĐỐC`, `Q. GIÁM ĐỐC`, `TM. ỦY BAN NHÂN DÂN`; empty when
    the head signs directly."""
    form = draft.signing_form
    if not form:
        return ""
    if form == Form.TM:
        return f"TM. {draft.collective.strip().upper()}"
    if form == Form.TUQ:
        return f"TUQ. {str(draft.delegation.delegator.position).upper()}"
    return f"{form} {head_position().upper()}"
