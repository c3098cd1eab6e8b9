"""Data migrations shared by several apps."""

from django.utils import timezone


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
