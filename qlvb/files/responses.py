from django.http import FileResponse

from .models import Blob
from .storage import path_for, verify


def blob_response(blob: Blob, *, filename: str, inline: bool = True) -> FileResponse:
    """Serve a stored file after verifying its hash (raises FileCorrupted instead of serving)."""
    verify(blob)
    response = FileResponse(open(path_for(blob.sha256), "rb"), as_attachment=not inline,  # noqa: SIM115
                            filename=filename, content_type=blob.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
