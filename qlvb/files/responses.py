from django.contrib import messages
from django.http import FileResponse
from django.utils.translation import gettext as _

from .models import Blob
from .storage import ensure_verdict, open_checked


def blob_response(blob: Blob, *, filename: str, inline: bool = True, viewer, about,
                  action: str = "download") -> FileResponse:
    """Serve a stored file after verifying its hash (raises FileCorrupted instead of serving), and write
    the access history: `viewer` opened or downloaded this file of `about` (F-5.a, F-6.l; a report file
    is an `export`). The caller has checked that the viewer may open `about`.

    Every file is sandboxed (no script, no same-origin access, even if a browser renders it as a
    page) and never type-sniffed; one with active content is only ever a download."""
    from qlvb.audit.services import log_access

    handle = open_checked(blob)  # the bytes served are the bytes hashed (local file or S3 object)
    try:
        ensure_verdict(blob, handle)
        log_access(person=viewer, action=action, obj=about, blob=blob, file_name=filename)
    except BaseException:
        handle.close()
        raise
    # Streamed in blocks from the handle (never presigned: every download passes this check and the log).
    response = FileResponse(handle, as_attachment=not inline or blob.is_active,
                            filename=filename, content_type=blob.content_type)
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def warn_active_content(request, attachments) -> None:
    """Tell the clerk, after the upload, which stored files will only be offered for download.
    `attachments`: (file name, Blob) pairs."""
    for name, blob in attachments:
        if blob.is_active:
            messages.warning(request, _(
                "Tệp “%(name)s” chứa %(what)s: đã lưu, nhưng chỉ cho tải về, không mở trực tiếp trên trình "
                "duyệt. Hãy xác minh với nơi gửi trước khi mở bằng phần mềm đọc PDF.")
                % {"name": name, "what": blob.active_content_display()})
