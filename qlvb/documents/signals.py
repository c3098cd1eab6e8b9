"""Keeping the full-text index and the files' text in step with every way an item changes.

A document, draft or record is written by many services (registration, correction, withdrawal, issuing,
the exchange's registration, copies, the demo loader): rather than ask each of them, a save of an
indexed model queues its reindex (`fulltext.request_reindex`, after COMMIT, in the task queue), and a
file attached to one of them is queued for text extraction (`files.texts.request_text`). Nothing is
read or written here beyond the rows of `FileText` asked for; the work runs in the worker."""

from django.db.models.signals import post_delete, post_save

from .models import FullTextEntry

Kind = FullTextEntry.Kind


def _document(kind, *, blob_field=None):
    def handler(sender, instance, raw=False, **kwargs):
        if raw:
            return  # loading a fixture or a backup: `reindex_all` rebuilds the index
        from qlvb.files.texts import request_text

        from .fulltext import request_reindex

        if blob_field and getattr(instance, blob_field, None):
            request_text([getattr(instance, blob_field)])
        request_reindex(kind, instance.pk)
    return handler


def _child(kind, parent_field, *, blob_field="blob_id"):
    def handler(sender, instance, raw=False, **kwargs):
        if raw:
            return
        from qlvb.files.texts import request_text

        from .fulltext import request_reindex

        if kwargs.get("signal") is post_save and getattr(instance, blob_field, None):
            request_text([getattr(instance, blob_field)])
        request_reindex(kind, getattr(instance, parent_field))
    return handler


def _handed_on(sender, instance, raw=False, created=False, **kwargs):
    """An incoming document forwarded: the unit that handles it (a facet of the search) may have changed."""
    if raw or not created:
        return
    from .fulltext import request_reindex

    request_reindex(Kind.INCOMING, instance.document_id)


_HANDLERS = []


def connect():
    from qlvb.incoming.models import Attachment, IncomingDocument
    from qlvb.outgoing.models import OutgoingDocument
    from qlvb.records.models import Draft, Version, WorkRecord

    plan = [
        (IncomingDocument, _document(Kind.INCOMING)),
        (OutgoingDocument, _document(Kind.OUTGOING, blob_field="blob_id")),
        (Draft, _document(Kind.DRAFT)),
        (WorkRecord, _document(Kind.RECORD)),
        (Attachment, _child(Kind.INCOMING, "document_id")),
        (Version, _child(Kind.DRAFT, "draft_id")),
    ]
    from qlvb.assignments.models import Assignment

    post_save.connect(_handed_on, sender=Assignment, dispatch_uid="fulltext-save-assignments.Assignment")
    for model, handler in plan:
        _HANDLERS.append(handler)  # signals keep weak references
        post_save.connect(handler, sender=model, dispatch_uid=f"fulltext-save-{model._meta.label}")
        post_delete.connect(handler, sender=model, dispatch_uid=f"fulltext-delete-{model._meta.label}")
