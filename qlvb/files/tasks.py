"""Background work of the file store: reading the text of attached files (OCR takes seconds a page)."""

from django_tasks import task


@task()
def extract_text(*, sha256: str) -> None:
    """Read and keep the text of one stored content; a second run finds it read and does nothing."""
    from .texts import run

    run(sha256)
