"""The electronic inbox and the exchange page of an outgoing document run a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qlvb.exchange import services
from tests.exchange import samples
from tests.exchange.helpers import issued_with_external, upload
from tests.factories import pdf_bytes

pytestmark = pytest.mark.django_db


def _import(demo, i):
    data = samples.sample(content=pdf_bytes()).replace(b"2015/09/30,7816", f"2015/09/30,{7000 + i}".encode())
    package = services.import_file(actor=demo.vanthu, upload=upload(data)).package
    if i % 2:
        services.refuse_received(actor=demo.vanthu, package=package, reason="Sai nơi nhận")
    return package


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_inbox_and_package_pages_do_not_grow_with_rows(client, demo):
    client.force_login(demo.vanthu)
    first = _import(demo, 0)
    _import(demo, 1)
    few, page_few = _queries(client, "/exchange/inbox/"), _queries(client, f"/exchange/inbox/{first.pk}/")
    for i in range(2, 8):
        _import(demo, i)
    assert _queries(client, "/exchange/inbox/") == few
    assert _queries(client, f"/exchange/inbox/{first.pk}/") == page_few
    assert "V/v triển khai" in client.get("/exchange/inbox/").content.decode()


def test_outgoing_exchange_page_does_not_grow_with_statuses(client, demo):
    document, recipient = issued_with_external(demo)
    package = services.export_package(actor=demo.vanthu, recipient=recipient)
    client.force_login(demo.vanthu)
    url = f"/exchange/outgoing/{document.pk}/"
    before = _queries(client, url)
    for hour in range(9, 13):
        notice = samples.STATUS.format(sender="000.00.00.H06", origin="000.00.15.H03", code=document.notation,
                                       date=f"{document.issued_on:%Y/%m/%d}", document_id=package.document_id)
        notice = notice.replace("09:00:00", f"{hour}:00:00").encode()
        services.import_file(actor=demo.vanthu, upload=upload(notice))
    assert _queries(client, url) == before
    assert client.get(url).content.decode().count("03 Đã tiếp nhận") == 4
