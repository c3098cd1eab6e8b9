"""Background work of the documents app: keeping the full-text index in step (`documents.fulltext`)."""

from django_tasks import task


@task()
def reindex_entry(*, kind: str, object_id: int) -> None:
    """Write the search entry of one item from what it holds now; a second run writes the same."""
    from .fulltext import reindex

    reindex(kind, object_id)
