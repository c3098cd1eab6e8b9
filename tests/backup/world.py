"""A realistic database to back up: the demo agency (`seed_demo`) plus a day's work done through the
services and the pages, touching every kind of column: microsecond timestamps, JSON, NULL next to
empty strings, long Vietnamese text, stored files, two-factor devices, lockout records, and
auto-increment positions above the largest id (rows deleted at the end of a table)."""

import io
from datetime import timedelta

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp

from qlvb.accounts.services import reset_two_factor, totp_device
from qlvb.assignments import services as flow
from qlvb.assignments.services import Target
from qlvb.monitoring.services import set_email_kinds, urge
from qlvb.organization.demo import DEMO_PASSWORD
from qlvb.organization.models import Person, Unit
from qlvb.organization.services import delegate, revoke_delegation
from qlvb.outgoing import services as outgoing
from qlvb.records import services as records
from qlvb.signing.demo import DEMO_PIN
from tests.conftest import People
from tests.factories import pdf_upload, register_doc, reply_path, root_of

LONG_TEXT = "Đoạn văn bản dài có dấu tiếng Việt: Sở Giao thông vận tải. " * 4000 + "\u00a0\t\n kết thúc"


def build() -> People:
    call_command("seed_demo", stdout=io.StringIO())
    demo = People({p.username: p for p in Person.objects.all()})
    _issue_a_reply(demo)
    urgent = register_doc(demo.vanthu, notation="45/UBND-KT", summary="V/v khẩn: sửa chữa cầu Nà Cù",
                          files=[pdf_upload("to-trinh.pdf", 3), pdf_upload("phu-luc.pdf", 1)],
                          deadline=timezone.localdate() + timedelta(days=2))
    flow.forward(actor=demo.giamdoc, assignment=root_of(urgent),
                 targets=[Target("main", person=demo["tp.qlvt"])], instruction="")
    urge(actor=demo.giamdoc, assignments=list(urgent.assignments.exclude(parent=None)), message="")
    register_doc(demo["vanthu.mat"], notation="7/MAT", summary="Văn bản mật", confidential=True, files=[])
    set_email_kinds(actor=demo["tp.qlvt"], kinds=["assigned", "urged"])
    now = timezone.now()
    revoke_delegation(actor=demo.giamdoc, delegation=delegate(
        actor=demo.giamdoc, delegator=demo.giamdoc, delegate_to=demo["pgd.mai"], starts_at=now,
        ends_at=now + timedelta(days=3, microseconds=7), note="Đi công tác Hà Nội"))
    _two_factor_and_lockout(demo)
    return demo


def _issue_a_reply(demo):
    incoming, record, draft = reply_path(demo)
    records.add_note(actor=demo["cv.qlvt.long"], record=record, text=LONG_TEXT,
                     upload=pdf_upload("bien-ban-hop.pdf", 2))
    # Recipients changed twice: the link table's ids no longer follow its rows' order.
    units = list(Unit.objects.filter(abbreviation__in=["KHTC", "QLVT"]).order_by("abbreviation"))
    for chosen in (units[1:], units):
        records.save_draft(actor=demo["cv.qlvt.long"], record=record, draft=draft, data={}, body="Sửa nơi nhận",
                           recipients={"recipient_units": chosen})
    records.submit(actor=demo["cv.qlvt.long"], draft=draft)
    records.approve(actor=demo["tp.qlvt"], draft=draft)
    # Signed as the demo does it (demo CA, its PIN): the leader's and the agency's signatures are restored too.
    records.sign(actor=demo["pgd.mai"], draft=draft, pin=DEMO_PIN)
    outgoing.issue(actor=demo.vanthu, draft=draft, pin=DEMO_PIN)


def _two_factor_and_lockout(demo):
    """A leader enrols (a TOTP device, recovery codes); another's device is reset (its row deleted, so
    the table's auto-increment stands above its largest id); failed logins leave lockout records."""
    totp_device(demo["pgd.mai"])
    reset_two_factor(actor=demo.quantri, person=demo["pgd.mai"])
    client = Client()
    client.post(reverse("login"), {"username": "giamdoc", "password": DEMO_PASSWORD})
    device = totp_device(demo.giamdoc)
    client.post(reverse("accounts:setup"), {"token": f"{totp(device.bin_key, device.step, device.t0, 6, 0):06d}"})
    totp_device(demo["pgd.minh"])
    reset_two_factor(actor=demo.quantri, person=demo["pgd.minh"])
    for _ in range(2):
        Client().post(reverse("login"), {"username": "vanthu", "password": "sai mat khau"})
