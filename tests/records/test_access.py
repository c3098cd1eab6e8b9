"""Nobody outside the record's owner, sharers, approval chain and clerk can read a draft (URL and API)."""

import pytest
from django.urls import reverse

from qlvb.records import services
from tests.factories import reply_path

pytestmark = pytest.mark.django_db


def _urls(record, draft):
    return [reverse("records:detail", args=[record.pk]), reverse("records:draft", args=[draft.pk]),
            reverse("records:compare", args=[draft.pk]), f"/api/records/{record.pk}", f"/api/records/drafts/{draft.pk}"]


def test_outsiders_cannot_read_a_draft(client, demo):
    _, record, draft = reply_path(demo)
    for username in ["cv.qlvt.trang", "tp.khtc", "cv.khtc.nga", "vanthu", "pgd.minh", "giamdoc", "ict.sotttt"]:
        client.force_login(demo[username])
        for url in _urls(record, draft):
            assert client.get(url).status_code == 404, (username, url)


def test_owner_chain_sharer_and_clerk_after_signing_can_read(client, demo):
    _, record, draft = reply_path(demo)
    services.share(actor=demo["cv.qlvt.long"], record=record, person=demo["cv.qlvt.quan"])
    services.ask_opinion(actor=demo["cv.qlvt.long"], draft=draft, people=[demo["cv.khtc.nga"]])
    services.submit(actor=demo["cv.qlvt.long"], draft=draft)
    readers = ["cv.qlvt.long", "cv.qlvt.quan", "cv.khtc.nga", "tp.qlvt", "pgd.mai"]
    for username in readers:
        client.force_login(demo[username])
        for url in _urls(record, draft):
            assert client.get(url).status_code == 200, (username, url)
    client.force_login(demo.vanthu)
    assert client.get(reverse("records:draft", args=[draft.pk])).status_code == 404  # not signed yet
    services.approve(actor=demo["tp.qlvt"], draft=draft)
    services.sign(actor=demo["pgd.mai"], draft=draft)
    assert client.get(reverse("records:draft", args=[draft.pk])).status_code == 200


def test_records_list_shows_only_visible_records(client, demo):
    _, record, _ = reply_path(demo)
    client.force_login(demo["cv.khtc.nga"])
    assert client.get("/api/records/").json()["count"] == 0
    client.force_login(demo["cv.qlvt.long"])
    assert client.get("/api/records/").json()["count"] == 1
