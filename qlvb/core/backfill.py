"""Data migrations shared by several apps."""

from django.utils import timezone

from qlvb.core.text import fold


def local_dates(model, source: str, target: str, batch_size: int = 2000) -> None:
    """Fill the date column `target` with the local date of the datetime column `source`."""
    batch = []
    for row in model.objects.filter(**{f"{source}__isnull": False}).only("pk", source).iterator(batch_size):
        setattr(row, target, timezone.localdate(getattr(row, source)))
        batch.append(row)
        if len(batch) == batch_size:
            model.objects.bulk_update(batch, [target])
            batch = []
    model.objects.bulk_update(batch, [target])


def folded(model, target: str, *sources: str, batch_size: int = 2000) -> None:
    """Fill the search column `target` with the folded text of the `sources` columns."""
    rows = list(model.objects.only("pk", *sources))
    for row in rows:
        setattr(row, target, fold(" ".join(getattr(row, name) or "" for name in sources)))
    model.objects.bulk_update(rows, [target], batch_size=batch_size)
