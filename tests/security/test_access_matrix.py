"""Access matrix: every role × object kind × action, by page URL and by API, on seeded data.

Each cell states what must happen; a leak (IDOR) or a wrong refusal fails the test.
"""

import pytest
from django.urls import reverse

from qlvb.assignments import services as flow
from qlvb.assignments.services import Target
from tests.factories import register_doc, root_of

pytestmark = pytest.mark.django_db

# People, by what they are to the seeded documents.
WHO = {
    "director": "giamdoc",            # on both trees (receives the confidential one)
    "deputy_on_tree": "pgd.mai",
    "deputy_off_tree": "pgd.minh",
    "head_on_tree": "tp.qlvt",
    "deputy_head_same_unit": "ptp.qlvt",
    "head_other_unit": "tp.khtc",
    "officer_on_tree": "cv.qlvt.long",
    "officer_same_unit": "cv.qlvt.trang",
    "officer_other_unit": "cv.khtc.nga",
    "clerk": "vanthu",
    "clerk_confidential": "vanthu.mat",
    "admin": "quantri",
    "reporter": "ict.sotttt",
}
VIEW_NORMAL = {"director", "deputy_on_tree", "deputy_off_tree", "head_on_tree", "deputy_head_same_unit",
               "officer_on_tree", "clerk", "clerk_confidential"}
VIEW_CONFIDENTIAL = {"director", "clerk_confidential"}


@pytest.fixture
def seeded(demo):
    normal = register_doc(demo.vanthu)
    deputy = flow.forward(actor=demo.giamdoc, assignment=root_of(normal),
                          targets=[Target("main", person=demo["pgd.mai"])])[0]
    head = flow.forward(actor=demo["pgd.mai"], assignment=deputy,
                        targets=[Target("main", person=demo["tp.qlvt"])])[0]
    officer = flow.forward(actor=demo["tp.qlvt"], assignment=head,
                           targets=[Target("main", person=demo["cv.qlvt.long"])])[0]
    secret = register_doc(demo["vanthu.mat"], notation="9/MAT", confidential=True)
    return {"normal": normal, "secret": secret, "officer_item": officer}


def _read_urls(document):
    attachment = document.attachments.first()
    return {
        "page": reverse("incoming:detail", args=[document.pk]),
        "file": reverse("incoming:attachment", args=[document.pk, attachment.pk]),
        "api": f"/api/incoming/{document.pk}",
        "api_tree": f"/api/incoming/{document.pk}/tree",
    }


@pytest.mark.parametrize("who", sorted(WHO))
@pytest.mark.parametrize("kind", ["normal", "secret"])
def test_reading(client, demo, seeded, who, kind):
    client.force_login(demo[WHO[who]])
    allowed = who in (VIEW_NORMAL if kind == "normal" else VIEW_CONFIDENTIAL)
    for channel, url in _read_urls(seeded[kind]).items():
        status = client.get(url).status_code
        assert status == (200 if allowed else 404), f"{who} {kind} {channel}: {status}"  # not seen: 404


@pytest.mark.parametrize("who", sorted(WHO))
def test_acting_on_the_officers_item(client, demo, seeded, who):
    """Only the officer completes their item; only its sender (the head) recalls it; others get 404."""
    item = seeded["officer_item"]
    client.force_login(demo[WHO[who]])
    complete = client.post(reverse("assignments:complete", args=[item.pk]), {"note": "xong"})
    api_pending = client.post(f"/api/assignments/{item.pk}/pending", {"note": "chờ"},
                              content_type="application/json")
    item.refresh_from_db()
    if who == "officer_on_tree":
        assert complete.status_code == 302 and item.state == "done"
    elif who == "head_on_tree":
        assert item.state == "new"  # the sender may recall, not process
        assert api_pending.status_code == 403
    else:
        assert complete.status_code == 404 and api_pending.status_code == 404, who
        assert item.state == "new"


@pytest.mark.parametrize("who", sorted(WHO))
def test_role_pages(client, demo, who):
    client.force_login(demo[WHO[who]])
    expectations = {
        reverse("incoming:register"): who in {"clerk", "clerk_confidential"},
        reverse("incoming:register_book"): who in {"clerk", "clerk_confidential"},
        reverse("administration:index"): who == "admin",
        "/admin/audit/auditentry/": who == "admin",
        reverse("incoming:inbox"): who not in {"admin", "reporter"},
    }
    for url, allowed in expectations.items():
        status = client.get(url).status_code
        assert (status == 200) is allowed, f"{who} {url}: {status}"


@pytest.mark.parametrize("who", sorted(WHO))
def test_cancel_registration(client, demo, seeded, who):
    document = seeded["normal"]
    client.force_login(demo[WHO[who]])
    client.post(reverse("incoming:cancel", args=[document.pk]), {"reason": "thử"})
    document.refresh_from_db()
    assert document.status != "cancelled"  # already forwarded: nobody may cancel
    fresh = register_doc(demo.vanthu, notation="77/X")
    client.post(reverse("incoming:cancel", args=[fresh.pk]), {"reason": "vào sổ nhầm"})
    fresh.refresh_from_db()
    assert (fresh.status == "cancelled") is (who in {"clerk", "clerk_confidential"}), who
