from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qlvb.access import Action, require

from .services import record, verify_chain


@login_required
@require_POST
def check_chain(request):
    """The administrator's button for `verify_audit`."""
    require(request.user, Action.ADMINISTER)
    problems = verify_chain()
    record(actor=request.user, action="audit.verify", changes={"problems": len(problems)})
    if problems:
        messages.error(request, _("Nhật ký hệ thống KHÔNG toàn vẹn: %(n)d lỗi. Lỗi đầu tiên: %(first)s")
                       % {"n": len(problems), "first": problems[0]})
    else:
        messages.success(request, _("Nhật ký hệ thống toàn vẹn: không bản ghi nào bị sửa, xóa hay chèn."))
    return redirect("administration:index")
