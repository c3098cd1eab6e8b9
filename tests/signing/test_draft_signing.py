""""Duyệt ký" signs the draft digitally (issue 14 item 3): the rendered PDF gets the signer's PAdES
signature with their image in the signer box, through the draft page and the API; a wrong PIN changes
nothing; a remote credential waits for the phone (reference CA: confirm, refuse, time out)."""

import io
import json

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from qlvb.monitoring.models import Notification
from qlvb.outgoing.rendering import boxes as boxes_
from qlvb.records import services
from qlvb.records.models import Draft, Step
from qlvb.signing.models import RemoteSigningRequest
from qlvb.signing.remote_reference import CONFIRM, IGNORE, REFUSE
from tests.conftest import login
from tests.factories import reply_path
from tests.signing.conftest import PIN, USER_PIN, holder, root


def at_leader(demo) -> Draft:
    """A typed reply drafted by an officer, approved by the head, waiting for Deputy Director Mai."""
    _, _, draft = reply_path(demo)
    services.submit(actor=demo["cv.qlvt.long"], draft=draft)
    services.approve(actor=demo["tp.qlvt"], draft=draft)
    draft.refresh_from_db()
    assert (draft.state, draft.holder) == (Draft.State.AT_LEADER, demo["pgd.mai"])
    return draft


def pyhanko_status(pdf: bytes):
    """pyHanko's own verdict on the (only) signature, trusting the demo root."""
    trust = asn1_x509.Certificate.load(root().cert.public_bytes(Encoding.DER))
    [signature] = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    return signature, validate_pdf_signature(signature, ValidationContext(trust_roots=[trust]))


def signed_pdf(client, draft) -> bytes:
    response = client.get(f"/records/drafts/{draft.pk}/signed.pdf?download=1")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def assert_signed_by_mai(pdf: bytes, draft: Draft) -> None:
    signature, status = pyhanko_status(pdf)
    assert status.intact and status.valid and status.trusted
    assert signature.field_name == "NguoiKy"
    assert "Trần Thị Mai (DEMO)" in signature.signer_cert.subject.human_friendly
    # The signature sits in the rendering's signer box (ô 7c), which the draft keeps for the clerk.
    stored = boxes_.from_json(draft.signed_boxes)
    widget = signature.sig_field["/Kids"][0] if "/Kids" in signature.sig_field else signature.sig_field
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    box = stored["signer"]
    assert (round(x1), round(y1), round(x2), round(y2)) == (round(box.x1), round(box.y1), round(box.x2), round(box.y2))
    assert {"number", "date", "signer", "seal"} <= set(stored)


# --- PIN: PKCS#12 file, through the page -------------------------------------------------------------

def test_duyet_ky_with_the_pin_signs_the_rendered_pdf(demo, leader_credential, client):
    draft = at_leader(demo)
    login(client, demo["pgd.mai"])
    page = client.get(f"/records/drafts/{draft.pk}/").content.decode()
    assert 'type="password" name="pin"' in page and 'autocomplete="off"' in page

    response = client.post(f"/records/drafts/{draft.pk}/do/sign/", {"comment": "Đồng ý", "pin": PIN,
                                                                     "credential": leader_credential.pk}, follow=True)

    draft.refresh_from_db()
    assert draft.state == Draft.State.APPROVED and draft.holder is None and draft.signed_blob_id
    assert_signed_by_mai(signed_pdf(client, draft), draft)
    page = response.content.decode()
    assert 'data-testid="signed-pdf"' in page and 'data-verdict="valid"' in page and "Chưa ký số" not in page
    assert Step.objects.filter(draft=draft, decision="sign", comment="Đồng ý").count() == 1
    clerk = demo.vanthu
    assert Notification.objects.filter(recipient=clerk, text__contains="chờ phát hành").exists()
    login(client, clerk)  # the clerk, who issues it, opens the signed PDF too
    assert signed_pdf(client, draft).startswith(b"%PDF-")


def test_a_wrong_pin_names_the_pin_changes_nothing_and_is_rate_limited(demo, leader_credential, client, settings):
    settings.QLVB_SIGNING_PIN_LIMIT = 2
    draft = at_leader(demo)
    login(client, demo["pgd.mai"])

    response = client.post(f"/records/drafts/{draft.pk}/do/sign/", {"pin": "000000"}, follow=True)

    assert "Mã PIN không đúng. Còn 1 lần thử." in response.content.decode()
    draft.refresh_from_db()
    assert (draft.state, draft.holder_id, draft.signed_blob_id) == (Draft.State.AT_LEADER, demo["pgd.mai"].pk, None)
    assert not Step.objects.filter(draft=draft, decision="sign").exists()
    client.post(f"/records/drafts/{draft.pk}/do/sign/", {"pin": "111111"})
    # Blocked now: even the right PIN is refused for the window.
    response = client.post(f"/records/drafts/{draft.pk}/do/sign/", {"pin": PIN}, follow=True)
    assert "Đã nhập sai mã PIN quá 2 lần" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == Draft.State.AT_LEADER and draft.signed_blob_id is None


def test_no_pin_signs_nothing(demo, leader_credential, client):
    draft = at_leader(demo)
    login(client, demo["pgd.mai"])

    response = client.post(f"/records/drafts/{draft.pk}/do/sign/", {"comment": "Đồng ý"}, follow=True)

    assert "Nhập mã PIN của chứng thư số" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == Draft.State.AT_LEADER and draft.signed_blob_id is None


# --- API: PKCS#12 and a PKCS#11 token ----------------------------------------------------------------

def api_sign(client, draft, **payload):
    return client.post(f"/api/records/drafts/{draft.pk}/sign", json.dumps(payload), content_type="application/json")


def test_api_wrong_pin_is_a_400_naming_pin(demo, leader_credential, client):
    draft = at_leader(demo)
    login(client, demo["pgd.mai"])

    response = api_sign(client, draft, pin="000000")

    assert response.status_code == 400
    [error] = response.json()["detail"]
    assert "pin" in error["loc"] and "Mã PIN không đúng" in error["msg"]
    draft.refresh_from_db()
    assert draft.state == Draft.State.AT_LEADER and draft.signed_blob_id is None


def test_api_signs_with_the_token_pin(demo, token_credential, client):
    draft = at_leader(demo)
    login(client, demo["pgd.mai"])

    response = api_sign(client, draft, pin=USER_PIN, credential_id=token_credential.pk, comment="Ký")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "approved" and body["signed"] is True and body["signature_waiting"] is False
    draft.refresh_from_db()
    pdf = client.get(f"/api/records/drafts/{draft.pk}/signed-pdf")
    assert pdf.status_code == 200
    assert_signed_by_mai(b"".join(pdf.streaming_content), draft)


def test_api_keeps_404_and_403_and_refuses_another_persons_credential(demo, leader_credential, client):
    draft = at_leader(demo)
    login(client, demo["cv.khtc.nga"])  # never saw the draft
    assert api_sign(client, draft, pin=PIN).status_code == 404
    assert client.get(f"/api/records/drafts/{draft.pk}/signed-pdf").status_code == 404
    login(client, demo["cv.qlvt.long"])  # the drafter sees it but it is not in front of him
    assert api_sign(client, draft, pin=PIN).status_code == 403
    login(client, demo["pgd.mai"])
    assert client.get(f"/api/records/drafts/{draft.pk}/signed-pdf").status_code == 404  # not signed yet
    response = api_sign(client, draft, pin=PIN, credential_id=leader_credential.pk + 1000)
    assert response.status_code == 400 and "credential" in response.json()["detail"][0]["loc"]


# --- Without a credential ----------------------------------------------------------------------------

def test_without_a_credential_the_approval_is_recorded_and_says_not_signed(demo, client):
    draft = at_leader(demo)
    login(client, demo["pgd.mai"])
    assert "Bạn chưa có chứng thư số" in client.get(f"/records/drafts/{draft.pk}/").content.decode()

    response = client.post(f"/records/drafts/{draft.pk}/do/sign/", follow=True)

    draft.refresh_from_db()
    assert draft.state == Draft.State.APPROVED and draft.signed_blob_id is None
    assert 'data-testid="not-digitally-signed"' in response.content.decode()


def test_digital_signature_required_refuses_an_approval_without_one(demo, client, settings):
    settings.QLVB_REQUIRE_DIGITAL_SIGNATURE = True
    draft = at_leader(demo)
    login(client, demo["pgd.mai"])

    response = client.post(f"/records/drafts/{draft.pk}/do/sign/", follow=True)
    assert "Cơ quan yêu cầu ký số khi duyệt ký" in response.content.decode()
    response = api_sign(client, draft)
    assert response.status_code == 400 and "credential" in response.json()["detail"][0]["loc"]

    draft.refresh_from_db()
    assert draft.state == Draft.State.AT_LEADER and not Step.objects.filter(draft=draft, decision="sign").exists()


# --- Remote signing: the phone confirms, refuses, or never answers -------------------------------------

def ask(client, demo, draft, capture):
    """"Duyệt ký" with the remote credential; the polling task is captured, not run yet."""
    login(client, demo["pgd.mai"])
    with capture(execute=False) as callbacks:
        response = client.post(f"/records/drafts/{draft.pk}/do/sign/", {"comment": "Đồng ý"}, follow=True)
    page = response.content.decode()
    assert "Chờ xác nhận trên điện thoại" in page and 'hx-trigger="every 3s"' in page
    draft.refresh_from_db()
    assert draft.state == Draft.State.AT_LEADER and draft.signed_blob_id is None
    assert draft.signature_request.status == RemoteSigningRequest.Status.PENDING
    assert client.get(f"/records/drafts/{draft.pk}/signature-status/").status_code == 200
    return callbacks


def run(callbacks):
    for callback in callbacks:
        callback()


def test_remote_confirmed_on_the_phone_signs_and_approves(demo, reference_ca, remote_credential, client,
                                                          django_capture_on_commit_callbacks, settings):
    settings.QLVB_SIGNING_REMOTE_TIMEOUT = 30
    holder(reference_ca, CONFIRM, delay=0.4)
    draft = at_leader(demo)
    callbacks = ask(client, demo, draft, django_capture_on_commit_callbacks)
    assert len(reference_ca.requests) == 1  # one hash went out, never the PDF

    run(callbacks)  # the worker's task polls until the phone says yes
    run(callbacks)  # and a second run of it changes nothing

    draft.refresh_from_db()
    assert draft.state == Draft.State.APPROVED and draft.signed_blob_id
    assert_signed_by_mai(signed_pdf(client, draft), draft)
    assert Step.objects.filter(draft=draft, decision="sign", comment="Đồng ý").count() == 1
    assert Notification.objects.filter(recipient=demo.vanthu, text__contains="chờ phát hành").count() == 1
    status = client.get(f"/records/drafts/{draft.pk}/signature-status/")
    assert status["HX-Refresh"] == "true"  # the polling page reloads to show the signed draft
    page = client.get(f"/records/drafts/{draft.pk}/").content.decode()
    assert 'data-verdict="valid"' in page and "Chờ xác nhận trên điện thoại" not in page


@pytest.mark.parametrize(("behaviour", "timeout", "said"), [
    (REFUSE, 30, "Bạn đã từ chối ký trên điện thoại"),
    (IGNORE, 1, "Hết thời gian chờ xác nhận trên điện thoại"),
])
def test_remote_refused_or_timed_out_leaves_the_draft_with_the_signer(
        demo, reference_ca, remote_credential, client, django_capture_on_commit_callbacks, settings,
        behaviour, timeout, said):
    settings.QLVB_SIGNING_REMOTE_TIMEOUT = timeout
    holder(reference_ca, behaviour, delay=0.1)
    draft = at_leader(demo)
    callbacks = ask(client, demo, draft, django_capture_on_commit_callbacks)

    run(callbacks)
    run(callbacks)

    draft.refresh_from_db()
    assert (draft.state, draft.holder_id, draft.signed_blob_id) == (Draft.State.AT_LEADER, demo["pgd.mai"].pk, None)
    assert Notification.objects.filter(recipient=demo["pgd.mai"], text__startswith=said).count() == 1
    page = client.get(f"/records/drafts/{draft.pk}/").content.decode()
    assert said in page and 'data-testid="sign"' in page  # they may sign again
    response = api_sign(client, draft)
    assert response.status_code == 200 and response.json()["signature_waiting"] is True


def test_a_poll_delivered_twice_starts_one_chain_of_polls(demo, reference_ca, remote_credential, client,
                                                          django_capture_on_commit_callbacks, settings):
    """With a queue that defers (the database backend), each poll queues the next one; the same poll run
    twice (a redelivered task) must queue it once, or every redelivery doubles the polling of the CA."""
    from django_tasks_db.models import DBTaskResult

    from qlvb import settings as production
    from qlvb.records import signature

    settings.QLVB_SIGNING_REMOTE_TIMEOUT = 60
    holder(reference_ca, IGNORE, delay=0.1)
    draft = at_leader(demo)
    ask(client, demo, draft, django_capture_on_commit_callbacks)
    settings.TASKS = production.TASKS  # the database backend: it defers
    request_id = Draft.objects.get(pk=draft.pk).signature_request_id

    signature.follow(request_id)
    signature.follow(request_id)  # the same task delivered again

    queued = DBTaskResult.objects.filter(task_path__endswith="follow_remote_signature", status="READY")
    assert [task.args_kwargs["kwargs"] for task in queued] == [{"request_id": request_id, "poll": 1}]


# --- A Word draft ------------------------------------------------------------------------------------

def word_at_leader(demo, capture):
    """The demo Word template as the draft's file; submitted and approved up to the Deputy Director,
    with the conversions the approval steps queue captured."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qlvb.outgoing.rendering import demo as demo_templates

    _, record, draft = reply_path(demo, document_type="Quyết định")
    services.save_draft(actor=demo["cv.qlvt.long"], record=record, draft=draft, data={},
                        upload=SimpleUploadedFile("du-thao.docx", demo_templates.word_template()))
    with capture(execute=False) as callbacks:
        services.submit(actor=demo["cv.qlvt.long"], draft=draft)
        services.approve(actor=demo["tp.qlvt"], draft=draft)
    draft.refresh_from_db()
    return draft, callbacks


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice is not installed")
def test_a_word_draft_is_converted_ahead_then_signed_without_waiting(demo, leader_credential, client, settings,
                                                                     django_capture_on_commit_callbacks):
    draft, callbacks = word_at_leader(demo, django_capture_on_commit_callbacks)
    run(callbacks)  # the worker converts it when it reaches the signer
    settings.QLVB_SOFFICE = "no-such-libreoffice"  # so "Duyệt ký" can only use the kept conversion
    login(client, demo["pgd.mai"])

    response = api_sign(client, draft, pin=PIN)

    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert_signed_by_mai(signed_pdf(client, draft), draft)


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice is not installed")
def test_a_word_draft_not_converted_yet_is_converted_when_signing(demo, leader_credential, client,
                                                                  django_capture_on_commit_callbacks):
    draft, _callbacks = word_at_leader(demo, django_capture_on_commit_callbacks)  # the worker has not run
    login(client, demo["pgd.mai"])

    response = client.post(f"/records/drafts/{draft.pk}/do/sign/", {"pin": PIN}, follow=True)

    assert 'data-verdict="valid"' in response.content.decode()
    draft.refresh_from_db()
    assert_signed_by_mai(signed_pdf(client, draft), draft)
