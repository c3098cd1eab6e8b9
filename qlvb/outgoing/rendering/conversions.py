"""Word conversions done once: the converted PDF is kept (qlvb.documents.models.Rendition) by the SHA-256
of the filled Word file, so the preview, the signing and a second run of the worker's task reuse it."""

import hashlib

from django.db import IntegrityError, transaction

from qlvb.documents.models import Rendition
from qlvb.files.storage import open_verified, store

from .boxes import Box
from .docx import convert_filled


def converted(filled: bytes, *, has_markers: bool, suffix: str = ".docx",
              key: str = "") -> tuple[bytes, dict[str, Box]]:
    """`docx.convert_filled`, from the kept conversion when there is one (by `key`: the draft's file and
    the values filled in)."""
    key = key or hashlib.sha256(filled).hexdigest()
    kept = Rendition.objects.filter(source_sha256=key).select_related("blob").first()
    if kept is not None:
        return open_verified(kept.blob), {k: Box.from_dict(v) for k, v in kept.boxes.items()}
    pdf, found = convert_filled(filled, has_markers=has_markers, suffix=suffix)
    blob = store(pdf, name="van-ban.pdf")
    try:
        with transaction.atomic():
            Rendition.objects.create(source_sha256=key, blob=blob, page_count=0,
                                     boxes={k: v.as_dict() for k, v in found.items()})
    except IntegrityError:  # another worker converted the same file meanwhile: keep theirs
        return converted(filled, has_markers=has_markers, suffix=suffix, key=key)
    return pdf, found
