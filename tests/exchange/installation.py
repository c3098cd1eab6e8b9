"""One QLVB installation's side of the two-installation test, run as its own process in that
installation's environment (QLVB_VAR_DIR, DATABASE_URL): `python -m tests.exchange.installation CMD …`.
Each command does what a person of that agency would do, through the services, and prints one JSON line.

  prepare                                  the demo agency and the demo CA (run once, on the template)
  configure ME NAME PEER PEER_NAME URL TOKEN   our identifier; the other agency as recipient and peer
  issue N [KB]                             the N-th reply, signed by the leader, issued with the agency's PIN
                                           (its PDF made KB kilobytes larger when given)
  sent DOCUMENT_ID                         our package to the peer: outbox row, statuses received
  inbox                                    the packages received: DocumentId, signature, state
  register DOCUMENT_ID                     the clerk registers a received package (status 03 goes back)
  complete DOCUMENT_ID                     the registered document handled: the Director assigns it to the head of
                                           unit (04), who passes it to an officer (05), who completes it (06)
  outgoing_api DOCUMENT_ID                 our clerk reads the external recipients' statuses in the API
  sweep                                    the scheduler's exchange job: the outbox rows due again are posted
  redeliver DOCUMENT_ID                    post our package to the peer once more (as after a lost answer)
  serve                                    read commands as JSON lists on stdin, one per line, answer each
                                           with a line `@@ <json>` (Django is set up once for all of them)
"""

import json
import os
import sys


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qlvb.settings")
    import django

    django.setup()
    if os.environ.get("QLVB_FAST_PASSWORDS"):  # the demo's dozens of passwords: a test, not a deployment
        from django.conf import settings

        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _people():
    from qlvb.organization.models import Person
    from tests.conftest import People

    return People({p.username: p for p in Person.objects.all()})


def prepare():
    from qlvb.documents import demo as demo_registers
    from qlvb.organization import demo as demo_org
    from qlvb.signing import demo as demo_ca

    agency = demo_org.load()
    demo_registers.load(agency)
    demo_ca.load(agency)
    return {"agency": agency.identifier}


def configure(me, name, peer, peer_name, url, token):
    from qlvb.documents.models import ExternalAgency
    from qlvb.exchange.models import Peer
    from qlvb.organization.models import Agency

    Agency.objects.update(identifier=me, name=name)
    ExternalAgency.objects.update_or_create(name=peer_name, defaults={"identifier": peer})
    Peer.objects.update_or_create(organ_id=peer, defaults={"name": peer_name, "endpoint": url, "token": token})
    return {"me": me, "peer": peer}


def _padded(pdf: bytes, kilobytes: int) -> bytes:
    """The PDF made about `kilobytes` larger by an image of random pixels on its first page's resources
    (not drawn; incompressible), as a scanned annex would weigh (the bench's 1 MB document)."""
    import io

    import pikepdf

    side = max(1, int((kilobytes * 1024 / 3) ** 0.5))
    with pikepdf.open(io.BytesIO(pdf)) as document:
        image = pikepdf.Stream(document, os.urandom(side * side * 3))
        image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        image.Width, image.Height, image.BitsPerComponent = side, side, 8
        image.ColorSpace = pikepdf.Name.DeviceRGB
        page = document.pages[0]
        if "/XObject" not in page.Resources:
            page.Resources.XObject = pikepdf.Dictionary()
        page.Resources.XObject[pikepdf.Name("/BenchPad")] = image
        out = io.BytesIO()
        document.save(out)
    return out.getvalue()


def issue(n="1", pad_kb="0"):
    import itertools

    from tests import factories

    factories._NUMBERS = itertools.count(100 * int(n))  # each process counts from 1: keep the notations apart
    from qlvb.outgoing import rendering
    from qlvb.outgoing import services as outgoing
    from qlvb.outgoing.models import Recipient
    from qlvb.signing import services as signing
    from qlvb.signing.demo import DEMO_PIN
    from qlvb.signing.models import SigningCredential
    from tests.factories import reply_path
    from tests.outgoing.issuing import approve
    from tests.outgoing.signed import box_tuple

    demo = _people()
    _incoming, _record, draft = reply_path(demo)
    draft = approve(demo, draft)
    # "Duyệt ký": the leader signs the rendered draft with the demo certificate.
    leader = SigningCredential.objects.get(owner=draft.signer, status="active")
    rendered = rendering.render(draft)
    unsigned = _padded(rendered.pdf, int(pad_kb)) if int(pad_kb) else rendered.pdf
    pdf = signing.sign_document(actor=draft.signer, credential=leader, pdf_bytes=unsigned, field_name="LanhDao",
                                box=box_tuple(rendered.boxes["signer"]), pin=DEMO_PIN, obj=draft)
    from qlvb.files.storage import PDF_ONLY, store

    draft.signed_blob = store(pdf, name="da-ky.pdf", allowed=PDF_ONLY)
    draft.signed_boxes = {key: box.as_dict() for key, box in rendered.boxes.items()}
    draft.save(update_fields=["signed_blob", "signed_boxes"])
    document = outgoing.issue(actor=demo.vanthu, draft=draft, pin=DEMO_PIN)
    recipient = Recipient.objects.get(document=document, agency__isnull=False)
    return {"document": document.pk, "notation": document.notation, "recipient": recipient.status,
            **sent_by_recipient(recipient)}


def sent_by_recipient(recipient):
    from qlvb.exchange.models import Package

    package = Package.objects.filter(direction="out", recipient=recipient, business_type=0).first()
    if package is None:
        return {"document_id": None}
    item = package.outbox.filter(status_message__isnull=True).first()
    return {"document_id": package.document_id, "package_state": package.state,
            "signature": package.signature_verdict, "outbox": item.state if item else None,
            "attempts": item.attempts if item else 0, "last_error": item.last_error if item else "",
            "delivery": package.delivery, "size": package.blob.size,
            "statuses": list(package.statuses.filter(direction="in").values_list("code", flat=True))}


def sent(document_id):
    from qlvb.exchange.models import Package

    package = Package.objects.get(direction="out", document_id=document_id, business_type=0)
    recipient = package.recipient
    return {"recipient": recipient.status, **sent_by_recipient(recipient)}


def inbox():
    from qlvb.exchange.models import Package

    return {"packages": [{"document_id": p.document_id, "signature": p.signature_verdict, "state": p.state,
                          "subject": p.subject, "business_type": p.business_type, "revoked": bool(p.revoked_at),
                          "statuses": list(p.statuses.values_list("code", flat=True))}
                         for p in Package.objects.filter(direction="in").order_by("pk")]}


def register(document_id):
    from qlvb.exchange import services
    from qlvb.exchange.models import Package

    package = Package.objects.get(direction="in", document_id=document_id)
    document = services.register_received(actor=_people().vanthu, package=package)
    return {"incoming": document.pk, "arrival_number": document.arrival_number}


def refuse(document_id, reason):
    from qlvb.exchange import services
    from qlvb.exchange.models import Package

    package = Package.objects.get(direction="in", document_id=document_id, business_type=0)
    services.refuse_received(actor=_people().vanthu, package=package, reason=reason)
    return {"state": "refused"}


def revoke(document_id, reason):
    from qlvb.exchange import services
    from qlvb.exchange.models import Package

    package = Package.objects.get(direction="out", document_id=document_id, business_type=0)
    [change] = services.send_change(actor=_people().vanthu, document=package.outgoing, kind=1, reason=reason)
    item = change.outbox.get()
    return {"outbox": item.state, "business_type": change.business_type}


def incoming_status(document_id):
    from qlvb.exchange.models import Package

    package = Package.objects.get(direction="in", document_id=document_id, business_type=0)
    return {"revoked": bool(package.revoked_at), "reason": package.business_reason,
            "incoming": package.incoming.status if package.incoming_id else None,
            "withdraw_reason": package.incoming.withdraw_reason if package.incoming_id else ""}


def sent_reason(document_id):
    from qlvb.exchange.models import Package

    package = Package.objects.get(direction="out", document_id=document_id, business_type=0)
    refusal = package.statuses.filter(direction="in", code="02").first()
    return {"reason": refusal.description if refusal else ""}


def complete(document_id):
    from qlvb.assignments import services as flow
    from qlvb.assignments.models import Assignment
    from qlvb.assignments.services import Target
    from qlvb.exchange.models import Package

    demo = _people()
    package = Package.objects.get(direction="in", document_id=document_id, business_type=0)
    root = Assignment.objects.get(document=package.incoming, parent=None)
    [head] = flow.forward(actor=root.receiver, assignment=root,
                          targets=[Target(Assignment.Role.MAIN, person=demo["tp.qlvt"])])
    [officer] = flow.forward(actor=demo["tp.qlvt"], assignment=head,
                             targets=[Target(Assignment.Role.MAIN, person=demo["cv.qlvt.long"])])
    flow.mark_seen(actor=demo["cv.qlvt.long"], assignment=officer)
    flow.complete(actor=demo["cv.qlvt.long"], assignment=officer, result="Đã bố trí kinh phí bảo trì")
    package.incoming.refresh_from_db()
    return {"incoming": package.incoming.status}


def outgoing_api(document_id):
    """The external recipients of our document as the clerk reads them in the API: each status received."""
    from django.test import Client

    from qlvb.exchange.models import Package

    package = Package.objects.get(direction="out", document_id=document_id, business_type=0)
    client = Client()
    client.force_login(_people().vanthu)
    response = client.get(f"/api/exchange/outgoing/{package.outgoing_id}/recipients")
    assert response.status_code == 200, response.content[:500]
    return {"recipients": [{"organ_id": r["organ_id"], "status": r["status"],
                            "statuses": [(s["code"], s["code_name"], s["staff"]) for p in r["packages"]
                                         for s in p["statuses"] if s["direction"] == "in"]}
                           for r in response.json()]}


def sweep():
    from qlvb.exchange import outbox

    return {"queued": outbox.enqueue_due()}


def redeliver(document_id):
    from qlvb.exchange import transport
    from qlvb.exchange.models import Package
    from qlvb.files.storage import open_checked

    package = Package.objects.get(direction="out", document_id=document_id)
    with open_checked(package.blob) as source:
        answer = transport.send(package.peer, source=source, size=package.blob.size,
                                organ_id=package.sender_organ_id)
    return {"status": answer.status, "body": answer.body}


def _answer(result) -> None:
    sys.stdout.write("@@ " + json.dumps(result, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def serve():
    """One command per line of stdin (a JSON list), one `@@` line each on stdout; a failure answers
    {"error": traceback} and the next command still runs."""
    import traceback

    from django.db import close_old_connections

    _answer({"ready": True})
    for line in sys.stdin:
        if not line.strip():
            continue
        command, *args = json.loads(line)
        try:
            _answer(globals()[command](*args))
        except BaseException:  # noqa: BLE001 - reported to the test, which fails with it
            _answer({"error": traceback.format_exc()[-4000:]})
        finally:
            close_old_connections()


def main(argv):
    _setup()
    command, args = argv[0], argv[1:]
    if command == "serve":
        serve()
        return
    print(json.dumps(globals()[command](*args), ensure_ascii=False, default=str))


if __name__ == "__main__":
    main(sys.argv[1:])
