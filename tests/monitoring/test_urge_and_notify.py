"""Urging overdue work, notifications and the one-click fixes."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from qlvb.assignments import services as flow
from qlvb.assignments.models import Assignment
from qlvb.assignments.services import Target
from qlvb.monitoring import services
from qlvb.monitoring.models import Notification
from tests.factories import register_doc, root_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue_item(demo):
    document = register_doc(demo.vanthu)
    head = flow.forward(actor=demo.giamdoc, assignment=root_of(document),
                        targets=[Target("main", person=demo["tp.qlvt"])])[0]
    officer = flow.forward(actor=demo["tp.qlvt"], assignment=head,
                           targets=[Target("main", person=demo["cv.qlvt.long"])])[0]
    Assignment.objects.filter(pk=officer.pk).update(deadline=timezone.localdate() - timedelta(days=3))
    officer.refresh_from_db()
    return officer


def unread_badge(client) -> int:
    """The number on the navbar bell (no badge: 0)."""
    badge = client.get(reverse("monitoring:badge")).content.decode()
    shown = re.fullmatch(r'\s*(?:<span [^>]*data-testid="unread">(\d+)</span>)?\s*', badge)
    assert shown, badge
    return int(shown[1] or 0)


def test_forwarding_notifies_the_receiver(demo, overdue_item):
    assert Notification.objects.filter(recipient=demo["cv.qlvt.long"], kind="assigned").exists()
    assert Notification.objects.filter(recipient=demo.giamdoc, kind="assigned").exists()  # the clerk's hop


def test_head_urges_and_the_holder_is_notified_and_the_tree_shows_it(client, demo, overdue_item,
                                                                      django_capture_on_commit_callbacks):
    client.force_login(demo["cv.qlvt.long"])
    unread_before = unread_badge(client)
    client.force_login(demo["tp.qlvt"])
    page = client.get(reverse("monitoring:dashboard")).content.decode()
    assert overdue_item.document.summary[:30] in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("monitoring:urge"), {"assignment": [overdue_item.pk], "message": "Báo cáo trước 16h"})
    assert overdue_item.events.filter(kind="urged", note="Báo cáo trước 16h", actor=demo["tp.qlvt"]).exists()
    note = Notification.objects.get(recipient=demo["cv.qlvt.long"], kind="urged")
    assert "Báo cáo trước 16h" in note.text
    assert any("Báo cáo trước 16h" in m.body for m in mail.outbox)  # urges e-mail by default
    client.force_login(demo["cv.qlvt.long"])
    assert unread_badge(client) == unread_before + 1
    tree = client.get(reverse("incoming:detail", args=[overdue_item.document_id])).content.decode()
    assert "Đôn đốc" in tree and "Báo cáo trước 16h" in tree


def test_head_of_another_unit_and_officers_cannot_urge(client, demo, overdue_item):
    with pytest.raises(PermissionDenied):
        services.urge(actor=demo["tp.khtc"], assignments=[overdue_item], message="x")
    client.force_login(demo["cv.qlvt.trang"])
    assert client.get(reverse("monitoring:dashboard")).status_code == 403
    assert not overdue_item.events.filter(kind="urged").exists()


def test_email_preferences_are_respected(demo, overdue_item, django_capture_on_commit_callbacks):
    services.set_email_kinds(actor=demo["cv.qlvt.long"], kinds=["assigned"])
    with django_capture_on_commit_callbacks(execute=True):
        services.urge(actor=demo["tp.qlvt"], assignments=[overdue_item], message="Nhắc lần 2")
    assert not any("Nhắc lần 2" in m.body for m in mail.outbox)
    assert Notification.objects.filter(recipient=demo["cv.qlvt.long"], kind="urged").exists()


def test_reading_a_notification_clears_the_badge(client, demo, overdue_item):
    client.force_login(demo["cv.qlvt.long"])
    note = Notification.objects.filter(recipient=demo["cv.qlvt.long"]).first()
    response = client.get(reverse("monitoring:open", args=[note.pk]))
    assert response.status_code == 302 and response.url == note.link
    client.post(reverse("monitoring:read_all"))
    assert unread_badge(client) == 0


def test_nobody_opens_someone_elses_notification(client, demo, overdue_item):
    note = Notification.objects.filter(recipient=demo["cv.qlvt.long"]).first()
    client.force_login(demo["cv.qlvt.trang"])
    assert client.get(reverse("monitoring:open", args=[note.pk])).status_code == 404


def test_stale_items_are_offered_for_one_click_fix(client, demo, settings):
    settings.QLVB_STALE_INFO_DAYS = 0
    document = register_doc(demo.vanthu)
    info = flow.forward(actor=demo.giamdoc, assignment=root_of(document),
                        targets=[Target("info", person=demo["pgd.dung"])])[0]
    flow.mark_seen(actor=demo["pgd.dung"], assignment=info)
    client.force_login(demo["pgd.dung"])
    assert document.summary[:30] in client.get(reverse("monitoring:review")).content.decode()
    client.post(reverse("monitoring:fix", args=[info.pk]))
    info.refresh_from_db()
    assert info.state == "done"


def test_head_closes_unit_information_items_in_bulk(client, demo):
    document = register_doc(demo.vanthu)
    infos = flow.forward(actor=demo.giamdoc, assignment=root_of(document),
                         targets=[Target("info", person=demo["cv.qlvt.long"]),
                                  Target("info", person=demo["cv.qlvt.trang"])])
    client.force_login(demo["tp.qlvt"])
    client.post(reverse("monitoring:close_info"), {"assignment": [a.pk for a in infos]})
    assert set(Assignment.objects.filter(pk__in=[a.pk for a in infos]).values_list("state", flat=True)) == {"done"}


def test_clerk_follows_up_the_whole_agency(client, demo, overdue_item):
    client.force_login(demo.vanthu)
    assert overdue_item.document.summary[:30] in client.get(reverse("monitoring:dashboard")).content.decode()
    assert services.urge(actor=demo.vanthu, assignments=[overdue_item], message="Văn thư nhắc") == 1
