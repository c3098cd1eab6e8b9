"""Nobody sees a document they may not: by page URL, by file URL, or by API."""

import pytest
from django.urls import reverse

from qlvb.assignments import services as flow
from qlvb.assignments.services import Target
from tests.factories import register_doc, root_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def routed(demo):
    """A document at the QLVT officer, and a confidential one at the Director only."""
    document = register_doc(demo.vanthu)
    deputy = flow.forward(actor=demo.giamdoc, assignment=root_of(document),
                          targets=[Target("main", person=demo["pgd.mai"])])[0]
    head = flow.forward(actor=demo["pgd.mai"], assignment=deputy,
                        targets=[Target("main", person=demo["tp.qlvt"])])[0]
    flow.forward(actor=demo["tp.qlvt"], assignment=head, targets=[Target("main", person=demo["cv.qlvt.long"])])
    secret = register_doc(demo["vanthu.mat"], notation="5/MAT", confidential=True)
    return document, secret


def _urls(document):
    attachment = document.attachments.first()
    return [reverse("incoming:detail", args=[document.pk]),
            reverse("incoming:attachment", args=[document.pk, attachment.pk]) if attachment else None,
            f"/api/incoming/{document.pk}", f"/api/incoming/{document.pk}/tree"]


@pytest.mark.parametrize("username", ["cv.khtc.nga", "cv.qlvt.trang", "tp.khtc", "ict.sotttt"])
def test_outsiders_get_404_everywhere(client, demo, routed, username):
    document, _ = routed
    client.force_login(demo[username])
    for url in filter(None, _urls(document)):
        assert client.get(url).status_code == 404, (username, url)


def test_people_on_the_tree_and_their_head_can_open(client, demo, routed):
    document, _ = routed
    for username in ["cv.qlvt.long", "tp.qlvt", "pgd.mai", "giamdoc", "vanthu"]:
        client.force_login(demo[username])
        for url in filter(None, _urls(document)):
            assert client.get(url).status_code == 200, (username, url)
    client.force_login(demo["ptp.qlvt"])  # deputy head of the unit that holds it
    assert client.get(_urls(document)[0]).status_code == 200


def test_confidential_only_on_its_tree_and_for_its_register_keeper(client, demo, routed):
    _, secret = routed
    for username, allowed in [("giamdoc", True), ("vanthu.mat", True), ("vanthu", False), ("pgd.mai", False),
                              ("tp.qlvt", False)]:
        client.force_login(demo[username])
        response = client.get(reverse("incoming:detail", args=[secret.pk]))
        assert (response.status_code == 200) is allowed, username


def test_lists_and_api_list_hide_what_one_may_not_see(client, demo, routed):
    document, secret = routed
    client.force_login(demo["cv.khtc.nga"])
    body = client.get("/api/incoming/").json()
    assert body["count"] == 0
    client.force_login(demo.vanthu)
    ids = {item["id"] for item in client.get("/api/incoming/").json()["items"]}
    assert document.pk in ids and secret.pk not in ids


def test_posting_to_someone_elses_assignment_is_404(client, demo, routed):
    document, _ = routed
    officer_item = document.assignments.get(receiver=demo["cv.qlvt.long"])
    client.force_login(demo["cv.qlvt.trang"])
    response = client.post(reverse("assignments:complete", args=[officer_item.pk]), {"note": "xong"})
    assert response.status_code == 404
    response = client.post(f"/api/assignments/{officer_item.pk}/complete", {"note": "xong"},
                           content_type="application/json")
    assert response.status_code == 404
    officer_item.refresh_from_db()
    assert officer_item.state == "new"
