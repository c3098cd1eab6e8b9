"""The worker converts a Word draft ahead of the preview: LibreOffice takes seconds, not for a web request."""

from django_tasks import task


@task()
def convert_word_draft(*, version_id: int) -> None:
    """Convert the version's Word file as `drafts.render` will need it; a second run finds the conversion
    kept (`conversions.converted`) and does nothing more."""
    from qlvb.records.models import Version

    from .drafts import render

    version = Version.objects.select_related("draft").filter(pk=version_id).first()
    if version is None or version.blob is None or version.blob.content_type == "application/pdf":
        return
    if version.draft.latest.pk != version.pk:
        return  # a newer version was saved meanwhile: its own task converts it
    render(version.draft)


@task()
def convert_attachment(*, attachment_id: int) -> None:
    """Convert a Word/Excel attachment in a separate file ahead of issuing (kept by content, so issuing
    finds it ready); a file that cannot be converted is named to the clerk at issuing."""
    from django.core.exceptions import ValidationError

    from qlvb.outgoing import official
    from qlvb.outgoing.models import DraftAttachment

    attachment = DraftAttachment.objects.select_related("blob").filter(pk=attachment_id).first()
    if attachment is None or attachment.blob.content_type == "application/pdf":
        return
    try:
        official.attachment_pdf(attachment)
    except ValidationError:
        return
