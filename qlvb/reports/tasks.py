from datetime import date

from django.core.files.base import ContentFile
from django_tasks import task

from qlvb.files.storage import store
from qlvb.organization.models import Unit

from . import exports, selectors
from .models import Export


@task()
def build_export(*, export_id: int) -> None:
    export = Export.objects.get(pk=export_id)
    if export.status == Export.Status.DONE:
        return  # built by an earlier run of this task (a retry after the worker died, or a duplicate)
    Export.objects.filter(pk=export.pk).update(status=Export.Status.RUNNING, progress=5)

    def progress(pct):
        Export.objects.filter(pk=export.pk).update(progress=min(pct, 99))

    try:
        params = export.params
        period = selectors.Period(start=date.fromisoformat(params["start"]), end=date.fromisoformat(params["end"]),
                                  unit=Unit.objects.filter(pk=params.get("unit")).first())
        data = selectors.report(period)
        content = exports.excel(data, progress) if export.fmt == "xlsx" else exports.pdf(data)
        blob = store(ContentFile(content, name=f"bao-cao.{export.fmt}"))
    except Exception:
        Export.objects.filter(pk=export.pk).update(status=Export.Status.FAILED)
        raise
    Export.objects.filter(pk=export.pk).update(status=Export.Status.DONE, progress=100, blob=blob)
