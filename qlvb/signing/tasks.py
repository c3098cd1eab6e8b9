from django_tasks import task


@task()
def verify_stored_pdf(*, sha256: str) -> None:
    """Check the signatures of a stored PDF (Decree 30 Art 21.2.c: an electronic document is checked
    for authenticity and integrity on receipt). Safe to run twice: the result is kept by content and
    recomputed only when the trusted roots changed."""
    from qlvb.files.models import Blob

    from .services import verify_blob

    blob = Blob.objects.filter(pk=sha256).first()
    if blob is not None:
        verify_blob(blob)
