from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render

from . import services


@login_required
def verify(request):
    """"Kiểm tra chữ ký số": anyone signed in uploads a PDF and sees each signature's verdict."""
    result, errors = None, []
    if request.method == "POST":
        try:
            result = services.verify_upload(upload=request.FILES.get("file"))
        except ValidationError as exc:
            errors = exc.messages
    return render(request, "signing/verify.html", {"verification": result, "errors": errors,
                                                   "file_name": getattr(request.FILES.get("file"), "name", "")})
