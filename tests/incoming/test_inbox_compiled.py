"""The inbox list's statements are compiled once per process and re-sent (`assignments.selectors.page`):
the key must name everything the SQL depends on, or one person would be shown another's list, or a
list built for a delegation that has since changed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qlvb.assignments import services as flow
from qlvb.assignments.services import Target
from qlvb.organization import services
from qlvb.organization.models import Field
from tests.factories import register_doc, root_of

pytestmark = pytest.mark.django_db


def inbox(client, person, **query):
    client.force_login(person)
    return client.get(reverse("incoming:inbox"), query).content.decode()


def to_officer(demo, officer, summary):
    document = register_doc(demo.vanthu, summary=summary)
    head = flow.forward(actor=demo.giamdoc, assignment=root_of(document),
                        targets=[Target("main", person=demo["tp.qlvt"])])[0]
    flow.forward(actor=demo["tp.qlvt"], assignment=head, targets=[Target("main", person=officer)])
    return document


def test_two_officers_of_one_unit_each_see_only_their_own_list(demo, client):
    long, trang = demo["cv.qlvt.long"], demo["cv.qlvt.trang"]
    to_officer(demo, long, "V/v việc riêng của anh Long")
    to_officer(demo, trang, "V/v việc riêng của chị Trang")
    for _ in range(2):  # the second round is answered from the statements compiled in the first
        for officer, mine, other in ((long, "anh Long", "chị Trang"), (trang, "chị Trang", "anh Long")):
            page = inbox(client, officer, tab="todo")
            assert mine in page and other not in page
            assert 'data-testid="tab-todo">Cần xử lý\n    <span class="badge text-bg-primary">1</span>' in page


def test_a_delegation_changed_between_two_pages_changes_the_list(demo, client):
    """The same delegate, delegator and tab: only the delegation's fields differ."""
    tchc, other = Field.objects.get(code="TCHC"), Field.objects.exclude(code="TCHC").first()
    register_doc(demo.vanthu, summary="V/v tổ chức cán bộ", field=tchc, send_to=demo.giamdoc)
    register_doc(demo.vanthu, summary="V/v lĩnh vực khác", field=other, send_to=demo.giamdoc)
    now = timezone.now()

    def delegate(field):
        return services.delegate(actor=demo.giamdoc, delegator=demo.giamdoc, delegate_to=demo["pgd.mai"],
                                 starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1), fields=[field])

    given = delegate(tchc)
    page = inbox(client, demo["pgd.mai"], **{"for": demo.giamdoc.pk})
    assert "tổ chức cán bộ" in page and "lĩnh vực khác" not in page
    services.revoke_delegation(actor=demo.giamdoc, delegation=given)
    delegate(other)
    page = inbox(client, demo["pgd.mai"], **{"for": demo.giamdoc.pk})
    assert "lĩnh vực khác" in page and "tổ chức cán bộ" not in page

