"""One QLVB installation's side of the two-installation test, run as its own process in that
installation's environment (QLVB_VAR_DIR, DATABASE_URL): `python -m tests.exchange.installation CMD …`.
Each command does what a person of that agency would do, through the services, and prints one JSON line.

  prepare                                  the demo agency and the demo CA (run once, on the template)
  configure ME NAME PEER PEER_NAME URL TOKEN   our identifier; the other agency as recipient and peer
  issue N                                  the N-th reply, signed by the leader, issued with the agency's PIN
  sent DOCUMENT_ID                         our package to the peer: outbox row, statuses received
  inbox                                    the packages received: DocumentId, signature, state
  register DOCUMENT_ID                     the clerk registers a received package (status 03 goes back)
  redeliver DOCUMENT_ID                    post our package to the peer once more (as after a lost answer)
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


def issue(n="1"):
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
    pdf = signing.sign_document(actor=draft.signer, credential=leader, pdf_bytes=rendered.pdf, field_name="LanhDao",
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
            "delivery": package.delivery,
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


def redeliver(document_id):
    from qlvb.exchange import transport
    from qlvb.exchange.models import Package
    from qlvb.files.storage import open_checked

    package = Package.objects.get(direction="out", document_id=document_id)
    with open_checked(package.blob) as source:
        answer = transport.send(package.peer, source=source, size=package.blob.size,
                                organ_id=package.sender_organ_id)
    return {"status": answer.status, "body": answer.body}


def main(argv):
    _setup()
    command, args = argv[0], argv[1:]
    print(json.dumps(globals()[command](*args), ensure_ascii=False, default=str))


if __name__ == "__main__":
    main(sys.argv[1:])
