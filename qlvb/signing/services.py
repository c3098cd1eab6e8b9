"""Business actions of the signing app: import credentials, upload appearance images, manage trusted
roots, sign (PIN checked and rate-limited, audited), verify and store the result per content."""

import datetime as dt
import hashlib
import uuid
from contextlib import contextmanager
from io import BytesIO

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from qlvb.audit.services import record
from qlvb.files import storage
from qlvb.files.errors import FileRejected
from qlvb.organization.models import Role

from . import keystore, pades, remote, selectors, verification
from .models import RemoteSigningRequest, SigningCredential, TrustedRoot, Verification
from .signers import Pkcs11Signer, Pkcs12Signer, RemoteSigner, Signer, SigningError, WrongPin, load_pem_chain

IMAGE_MAX_BYTES = 1024 * 1024
IMAGE_MAX_PIXELS = 2000
PNG_ONLY = {"image/png": "PNG"}


def _require_admin(actor) -> None:
    """Administrators manage credentials and roots; `actor=None` is the system (the demo_ca command)."""
    if actor is not None and not actor.has_role(Role.ADMIN):
        raise PermissionDenied


def _cert_fields(cert: x509.Certificate) -> dict:
    return {
        "certificate_pem": cert.public_bytes(Encoding.PEM).decode(),
        "subject": cert.subject.rfc4514_string()[:500], "issuer": cert.issuer.rfc4514_string()[:500],
        "serial": format(cert.serial_number, "x")[:100], "not_before": cert.not_valid_before_utc,
        "not_after": cert.not_valid_after_utc, "fingerprint": cert.fingerprint(hashes.SHA256()).hex(),
    }


def _chain_pem(chain) -> str:
    return "".join(c.public_bytes(Encoding.PEM).decode() for c in chain)


def _check_validity(cert: x509.Certificate, field: str) -> None:
    now = timezone.now()
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        raise ValidationError({field: _("Chứng thư số đã hết hạn hoặc chưa đến ngày hiệu lực.")})


# --- Credentials ------------------------------------------------------------------------------------

def import_pkcs12(*, actor, agency, owner, data: bytes, password: str, label: str = "") -> SigningCredential:
    """Keep a PKCS#12 file (.p12/.pfx) for `owner` (None: the agency). Its password becomes the PIN the
    holder enters at each signature; the file is stored encrypted at rest, the password never."""
    _require_admin(actor)
    key, cert, chain = read_pkcs12(data, password)
    with transaction.atomic():
        credential = SigningCredential.objects.create(
            owner=owner, agency=agency, backend=SigningCredential.Backend.PKCS12,
            label=label or _default_label(cert), chain_pem=_chain_pem(chain),
            encrypted_key=keystore.wrap_key(key, password), **_cert_fields(cert),
        )
        record(actor=actor, action="signing.credential_imported", obj=credential,
               changes={"backend": credential.backend, "subject": credential.subject,
                        "owner": str(owner) if owner else _("cơ quan")})
    return credential


def read_pkcs12(data: bytes, password: str):
    """(key, certificate, chain) of a PKCS#12 file the password opens, else ValidationError naming the field."""
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, (password or "").encode())
    except ValueError:
        raise ValidationError({"password": _("Mật khẩu không mở được tệp PKCS#12, hoặc tệp không phải "
                                             "PKCS#12.")}) from None
    if key is None or cert is None:
        raise ValidationError({"file": _("Tệp PKCS#12 không chứa khóa bí mật và chứng thư số.")})
    _check_validity(cert, "file")
    return key, cert, chain


def register_pkcs11(*, actor, agency, owner, certificate_pem: str, chain_pem: str = "", token_label: str,
                    key_label: str, module: str = "", label: str = "") -> SigningCredential:
    """A key on a token: we keep only its certificate and where to find it."""
    return _register(actor=actor, agency=agency, owner=owner, certificate_pem=certificate_pem, chain_pem=chain_pem,
                     label=label, backend=SigningCredential.Backend.PKCS11,
                     extra={"token_label": token_label, "key_label": key_label, "pkcs11_module": module})


def register_remote(*, actor, agency, owner, certificate_pem: str, chain_pem: str = "", provider: str,
                    user_id: str, label: str = "") -> SigningCredential:
    """A key at a remote signing service (the certificate from its certificate call)."""
    return _register(actor=actor, agency=agency, owner=owner, certificate_pem=certificate_pem, chain_pem=chain_pem,
                     label=label, backend=SigningCredential.Backend.REMOTE,
                     extra={"remote_provider": provider, "remote_user_id": user_id})


def _default_label(cert) -> str:
    names = cert.subject.get_attributes_for_oid(x509.oid.NameOID.COMMON_NAME)
    return (names[0].value if names else cert.subject.rfc4514_string())[:200]


def _register(*, actor, agency, owner, certificate_pem, chain_pem, label, backend, extra) -> SigningCredential:
    _require_admin(actor)
    try:
        cert = x509.load_pem_x509_certificate(certificate_pem.encode())
        chain = load_pem_chain(chain_pem)
    except ValueError:
        raise ValidationError({"certificate_pem": _("Chứng thư số không đọc được (cần định dạng PEM).")}) from None
    _check_validity(cert, "certificate_pem")
    with transaction.atomic():
        credential = SigningCredential.objects.create(
            owner=owner, agency=agency, backend=backend, label=label or _default_label(cert),
            chain_pem=_chain_pem(chain), **_cert_fields(cert), **extra,
        )
        record(actor=actor, action="signing.credential_registered", obj=credential,
               changes={"backend": backend, "subject": credential.subject})
    return credential


def check_png(data: bytes, name: str) -> None:
    """A transparent PNG within the caps, else ValidationError naming the field."""
    if len(data) > IMAGE_MAX_BYTES:
        raise ValidationError({name: _("Ảnh vượt quá 1 MB.")})
    try:
        img = Image.open(BytesIO(data))
        img.load()
    except Exception:
        raise ValidationError({name: _("Ảnh phải là tệp PNG đọc được.")}) from None
    if img.format != "PNG":
        raise ValidationError({name: _("Ảnh phải là tệp PNG.")})
    if max(img.size) > IMAGE_MAX_PIXELS:
        raise ValidationError({name: _("Ảnh lớn quá %(max)s điểm ảnh mỗi chiều.") % {"max": IMAGE_MAX_PIXELS}})
    transparent = img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info
    if not transparent or img.convert("RGBA").getextrema()[3][0] == 255:
        raise ValidationError({name: _("Ảnh phải có nền trong suốt (PNG có kênh alpha).")})


def set_appearance_image(*, actor, credential: SigningCredential, kind: str, data: bytes,
                         seal_size_mm=None) -> SigningCredential:
    """The leader's signature image (kind "signature", blue) or the agency's seal (kind "seal", red, shown
    at `seal_size_mm`), a transparent PNG of at most 1 MB and 2000 px."""
    _require_admin(actor)
    field = {"signature": "signature_image", "seal": "seal_image"}[kind]
    check_png(data, field)
    try:
        blob = storage.store(data, name=f"{kind}.png", max_bytes=IMAGE_MAX_BYTES, allowed=PNG_ONLY)
    except FileRejected as exc:
        raise ValidationError({field: exc.messages}) from None
    with transaction.atomic():
        setattr(credential, field, blob)
        if seal_size_mm:
            credential.seal_size_mm = seal_size_mm
        credential.save(update_fields=[field, "seal_size_mm"])
        record(actor=actor, action="signing.appearance_set", obj=credential,
               changes={"kind": kind, "sha256": blob.sha256})
    return credential


# --- Trusted roots ----------------------------------------------------------------------------------

def load_certificate(data: bytes) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(data) if b"-----BEGIN" in data else x509.load_der_x509_certificate(data)
    except ValueError:
        raise ValidationError({"file": _("Tệp không phải chứng thư số (PEM hoặc DER).")}) from None


def add_trusted_root(*, actor, data: bytes, name: str = "") -> TrustedRoot:
    """Trust signatures chaining to this root (a PEM or DER certificate file). Idempotent per certificate."""
    _require_admin(actor)
    cert = load_certificate(data)
    fields = _cert_fields(cert)
    with transaction.atomic():
        root, created = TrustedRoot.objects.get_or_create(
            fingerprint=fields["fingerprint"],
            defaults={"name": name or _default_label(cert), "certificate_pem": fields["certificate_pem"],
                      "not_after": fields["not_after"]},
        )
        if created:
            record(actor=actor, action="signing.root_added", obj=root, changes={"subject": fields["subject"]})
    return root


# --- Signing ----------------------------------------------------------------------------------------

def signer_for(credential: SigningCredential) -> Signer:
    common = {"certificate": x509.load_pem_x509_certificate(credential.certificate_pem.encode()),
              "chain": load_pem_chain(credential.chain_pem), "display_name": credential.label}
    Backend = SigningCredential.Backend
    if credential.backend == Backend.PKCS12:
        return Pkcs12Signer(encrypted_key=bytes(credential.encrypted_key), **common)
    if credential.backend == Backend.PKCS11:
        return Pkcs11Signer(module=credential.pkcs11_module or settings.QLVB_SIGNING_PKCS11_MODULE,
                            token_label=credential.token_label, key_label=credential.key_label, **common)
    return RemoteSigner(adapter=remote.adapter_for(credential.remote_provider), user_id=credential.remote_user_id,
                        timeout=settings.QLVB_SIGNING_REMOTE_TIMEOUT, poll_interval=settings.QLVB_SIGNING_REMOTE_POLL,
                        **common)


def _pin_key(credential) -> str:
    return f"signing-pin-failures:{credential.pk}"


def pin_blocked(credential) -> bool:
    return cache.get(_pin_key(credential), 0) >= settings.QLVB_SIGNING_PIN_LIMIT


def _pin_failed(credential) -> int:
    key = _pin_key(credential)
    cache.add(key, 0, settings.QLVB_SIGNING_PIN_WINDOW)
    return cache.incr(key)


def may_sign_with(actor, credential) -> bool:
    """The holder signs with their own certificate; the clerk (văn thư) with the agency's (Art 32.2.d)."""
    if credential.is_agency:
        return actor.has_role(Role.CLERK)
    return credential.owner_id == actor.pk


def _usable(credential) -> None:
    if credential.status != SigningCredential.Status.ACTIVE:
        raise SigningError(_("Chứng thư số “%(label)s” đã ngừng dùng.") % {"label": credential.label})
    if not credential.not_before <= timezone.now() <= credential.not_after:
        raise SigningError(_("Chứng thư số “%(label)s” đã hết hạn.") % {"label": credential.label})
    if pin_blocked(credential):
        raise SigningError(_("Đã nhập sai mã PIN quá %(n)s lần; hãy thử lại sau %(m)s phút.")
                           % {"n": settings.QLVB_SIGNING_PIN_LIMIT, "m": settings.QLVB_SIGNING_PIN_WINDOW // 60})


def seal_mm(credential) -> float:
    return float(credential.seal_size_mm or settings.QLVB_SIGNING_SEAL_MM)


def sign_document(*, actor, credential: SigningCredential, pdf_bytes: bytes, field_name: str, box,
                  pin: str | None, text_lines=None, with_image: bool = True, reason: str = "",
                  obj=None) -> bytes:
    """Sign `pdf_bytes` with `credential`, unlocked by `pin` (a remote credential waits for the phone).
    The leader's credential draws its signature image in `box`, the agency's its seal (unless `text_lines`
    are given: the attachment stamp of §1.6). Raises PermissionDenied, SigningError (WrongPin counted,
    refused after QLVB_SIGNING_PIN_LIMIT in QLVB_SIGNING_PIN_WINDOW). Audited on `obj` (else the
    credential); the PIN is never logged."""
    if not may_sign_with(actor, credential):
        raise PermissionDenied
    _usable(credential)
    images = _images(credential) if with_image and not text_lines else {}
    try:
        signed = pades.sign_pdf(pdf_bytes, signer_for(credential), field_name=field_name, box=box, pin=pin,
                                text_lines=text_lines, reason=reason, **images)
    except WrongPin as exc:
        failures = _pin_failed(credential)
        with transaction.atomic():
            record(actor=actor, action="signing.wrong_pin", obj=credential, changes={"failures": failures})
        left = settings.QLVB_SIGNING_PIN_LIMIT - failures
        if left <= 0:
            raise SigningError(_("Mã PIN không đúng. Đã sai %(n)s lần: tạm khóa ký số bằng chứng thư này %(m)s "
                                 "phút.") % {"n": failures, "m": settings.QLVB_SIGNING_PIN_WINDOW // 60}) from None
        raise WrongPin(_("%(message)s Còn %(left)s lần thử.") % {"message": exc, "left": left}) from None
    cache.delete(_pin_key(credential))
    with transaction.atomic():
        record(actor=actor, action="signing.signed", obj=obj or credential,
               changes={"credential": credential.pk, "field": field_name, "subject": credential.subject,
                        "sha256": hashlib.sha256(signed).hexdigest()})
    return signed


def _images(credential) -> dict:
    from qlvb.files.storage import open_verified

    if credential.is_agency:
        return {"seal": open_verified(credential.seal_image)} if credential.seal_image_id else {}
    return {"image": open_verified(credential.signature_image)} if credential.signature_image_id else {}


def seal_box(signature_box, *, size_mm: float, image_width: float | None = None):
    """Where the agency's seal goes on the main document (§1.6, ô 8): a square of the seal's real size,
    vertically centred on the leader's signature box, covering about the left third of the leader's
    signature image (`image_width`, default the box width)."""
    page, (x1, y1, x2, y2) = signature_box
    size = size_mm * 72 / 25.4
    image_width = image_width or (x2 - x1)
    image_left = (x1 + x2) / 2 - image_width / 2
    right = image_left + image_width / 3
    middle = (y1 + y2) / 2
    return page, (right - size, middle - size / 2, right, middle + size / 2)


def attachment_box(page_size, *, lines: int = 2, width: float = 190, font_size: float = 10, margin: float = 20):
    """The agency-signature stamp of an attachment in a separate file: top right of page 1 (§1.6)."""
    page_width, page_height = page_size
    height = lines * font_size * 1.2 + 6
    return 0, (page_width - margin - width, page_height - margin - height, page_width - margin, page_height - margin)


def attachment_lines(notation: str, at: dt.datetime) -> list[str]:
    """Number and notation, then the signing time in ISO 8601 with Vietnam's offset (§1.6)."""
    from zoneinfo import ZoneInfo

    return [notation, at.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).replace(microsecond=0).isoformat()]


# --- Remote signing in two steps (a page asks, the phone confirms, a poll finishes) ---------------------

def request_remote_signature(*, actor, credential: SigningCredential, pdf_bytes: bytes, field_name: str, box,
                             description: str = "") -> RemoteSigningRequest:
    """Prepare the signature and send its hash to the holder's phone; nothing is signed until they
    confirm. `poll_remote_signature` finishes it (from the page, or a task every few seconds)."""
    if not may_sign_with(actor, credential):
        raise PermissionDenied
    if credential.backend != SigningCredential.Backend.REMOTE:
        raise SigningError(_("Chứng thư số này không ký từ xa."))
    _usable(credential)
    signer = signer_for(credential)
    drawing = pades.signature_drawing(box, **_images(credential))
    prepared = remote.prepare(pdf_bytes, signer, field_name=field_name, box=box, drawing=drawing)
    transaction_id = uuid.uuid4()
    ref = signer.adapter.submit(user_id=signer.user_id, transaction_id=str(transaction_id),
                                data_hash=prepared.data_hash, description=description or credential.label,
                                doc_id=str(transaction_id))
    with transaction.atomic():
        request = RemoteSigningRequest.objects.create(
            transaction_id=transaction_id, provider_ref=ref, credential=credential, requested_by=actor,
            prepared_pdf=prepared.pdf, document_digest=prepared.document_digest,
            reserved_start=prepared.reserved_start, reserved_end=prepared.reserved_end,
            signed_attrs=prepared.signed_attrs, data_hash=prepared.data_hash.hex(),
            expires_at=timezone.now() + dt.timedelta(seconds=settings.QLVB_SIGNING_REMOTE_TIMEOUT))
        record(actor=actor, action="signing.remote_requested", obj=credential,
               changes={"transaction_id": str(transaction_id), "field": field_name})
    return request


def poll_remote_signature(*, request: RemoteSigningRequest) -> RemoteSigningRequest:
    """Ask the service once; on a signature, finish the PDF and store it (`request.result_pdf`). Safe to
    call twice or after the end: a finished request is returned as it is, a late signature ignored."""
    if request.status != RemoteSigningRequest.Status.PENDING:
        return request
    signer = signer_for(request.credential)
    status = signer.adapter.status(transaction_id=str(request.transaction_id), provider_ref=request.provider_ref)
    with transaction.atomic():
        request = RemoteSigningRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != RemoteSigningRequest.Status.PENDING:
            return request
        if status.state == remote.SIGNED:
            pdf = remote.finish(_prepared(request), signer, status.signature)
            request.result_pdf = storage.store(pdf, name="signed.pdf", allowed=storage.PDF_ONLY)
            request.status = RemoteSigningRequest.Status.SIGNED
        elif status.state in (remote.REFUSED, remote.EXPIRED, remote.FAILED):
            request.status, request.message = status.state, status.message[:500]
        elif timezone.now() >= request.expires_at:
            request.status = RemoteSigningRequest.Status.EXPIRED
        else:
            return request
        request.finished_at = timezone.now()
        request.save()
        record(actor=request.requested_by, action=f"signing.remote_{request.status}", obj=request.credential,
               changes={"transaction_id": str(request.transaction_id)})
    return request


def _prepared(request) -> remote.Prepared:
    return remote.Prepared(bytes(request.prepared_pdf), bytes(request.document_digest), request.reserved_start,
                           request.reserved_end, bytes(request.signed_attrs), bytes.fromhex(request.data_hash))


# --- Verification -----------------------------------------------------------------------------------

def verify_bytes(pdf_bytes: bytes) -> Verification:
    """Verify and store the result under the content's SHA-256 (recomputed when the roots changed)."""
    sha256 = hashlib.sha256(pdf_bytes).hexdigest()
    roots = selectors.trusted_roots()
    version = verification.roots_version(roots)
    stored = Verification.objects.filter(pk=sha256).first()
    if stored and stored.roots_version == version:
        return stored
    result = verification.verify_pdf(pdf_bytes, roots=roots)
    stored, _created = Verification.objects.update_or_create(
        sha256=sha256, defaults={"verdict": result.verdict, "signatures": result.as_json(), "roots_version": version})
    return stored


def verify_upload(*, upload) -> Verification:
    """A PDF someone uploads to check its signatures (the "Kiểm tra chữ ký số" page and API). The file
    itself is not kept, only the result under its SHA-256."""
    limit = settings.QLVB_MAX_UPLOAD_BYTES
    if upload is None:
        raise ValidationError({"file": _("Hãy chọn tệp PDF cần kiểm tra.")})
    if (getattr(upload, "size", 0) or 0) > limit:
        raise ValidationError({"file": _("Tệp vượt quá dung lượng cho phép.")})
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError({"file": _("Tệp vượt quá dung lượng cho phép.")})
    if not data.startswith(b"%PDF-"):
        raise ValidationError({"file": _("Tệp “%(name)s” không phải PDF.") % {"name": getattr(upload, "name", "")}})
    try:
        return verify_bytes(data)
    except verification.UnreadablePdf as exc:
        raise ValidationError({"file": str(exc)}) from None


def verify_on_arrival(blobs) -> None:
    """Queue the signature check of each PDF just stored with a received document, once the
    registration commits (the check reads the file and may take a second: never in the request)."""
    from qlvb.core.taskqueue import enqueue_on_commit

    from .tasks import verify_stored_pdf

    for blob in {b.sha256: b for b in blobs if b.content_type == "application/pdf"}.values():
        enqueue_on_commit(verify_stored_pdf, sha256=blob.sha256)


def verify_blob(blob) -> Verification | None:
    """For the incoming registration: the verification of a stored PDF (None for other file types)."""
    if blob.content_type != "application/pdf":
        return None
    return verify_bytes(storage.open_verified(blob))


# --- A key for signing other than a PDF (the XML-DSig of an edXML package) ----------------------------

@contextmanager
def unlocked_key(*, actor, credential: SigningCredential, pin: str | None, obj=None, purpose: str = "xml"):
    """The credential's private key for one action (a cryptography key, or an adapter with the same
    `sign(data, padding, algorithm)` over a token), with the same rules as `sign_document`: who may
    sign with it, validity, the PIN counted and rate-limited; audited as `signing.signed`. A remote
    credential cannot sign arbitrary data here (its service signs PDF hashes for a person who confirms):
    refused with a sentence saying so."""
    if not may_sign_with(actor, credential):
        raise PermissionDenied
    _usable(credential)
    Backend = SigningCredential.Backend
    if credential.backend == Backend.REMOTE:
        raise SigningError(_("Chứng thư số “%(label)s” ký từ xa: chưa ký được gói tin liên thông bằng dịch vụ ký "
                             "từ xa; hãy dùng chứng thư số của cơ quan dạng tệp PKCS#12 hoặc USB token.")
                           % {"label": credential.label})
    if not pin:
        raise WrongPin(_("Hãy nhập mã PIN của chứng thư số."))
    signer = signer_for(credential)
    try:
        if credential.backend == Backend.PKCS12:
            try:
                key = keystore.unwrap_key(bytes(credential.encrypted_key), pin)
            except ValueError:
                raise WrongPin(_("Mã PIN không đúng.")) from None
            yield key
        else:
            with _token_key(signer, pin) as key:
                yield key
    except WrongPin as exc:
        failures = _pin_failed(credential)
        with transaction.atomic():
            record(actor=actor, action="signing.wrong_pin", obj=credential, changes={"failures": failures})
        left = settings.QLVB_SIGNING_PIN_LIMIT - failures
        if left <= 0:
            raise SigningError(_("Mã PIN không đúng. Đã sai %(n)s lần: tạm khóa ký số bằng chứng thư này %(m)s "
                                 "phút.") % {"n": failures, "m": settings.QLVB_SIGNING_PIN_WINDOW // 60}) from None
        raise WrongPin(_("%(message)s Còn %(left)s lần thử.") % {"message": exc, "left": left}) from None
    cache.delete(_pin_key(credential))
    with transaction.atomic():
        record(actor=actor, action="signing.signed", obj=obj or credential,
               changes={"credential": credential.pk, "purpose": purpose, "subject": credential.subject})


@contextmanager
def _token_key(signer: Pkcs11Signer, pin: str):
    """A PKCS#11 key as an object signing like a cryptography RSA key (RSA PKCS#1 v1.5 with SHA-256)."""
    from pkcs11 import KeyType, Mechanism, ObjectClass
    from pkcs11 import exceptions as p11
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import open_pkcs11_session

    try:
        session = open_pkcs11_session(signer.module, token_criteria=TokenCriteria(label=signer.token_label),
                                      user_pin=pin)
    except (p11.PinIncorrect, p11.PinInvalid, p11.PinLenRange):
        raise WrongPin(_("Mã PIN của thiết bị ký số không đúng.")) from None
    except Exception as exc:
        raise SigningError(_("Không mở được thiết bị ký số “%(token)s” (%(error)s).")
                           % {"token": signer.token_label, "error": type(exc).__name__}) from None
    try:
        key = session.get_key(object_class=ObjectClass.PRIVATE_KEY, key_type=KeyType.RSA, label=signer.key_label)
        mechanisms = {"sha256": Mechanism.SHA256_RSA_PKCS, "sha384": Mechanism.SHA384_RSA_PKCS,
                      "sha512": Mechanism.SHA512_RSA_PKCS}

        class TokenKey:
            def sign(self, data, padding=None, algorithm=None):
                mechanism = mechanisms.get(getattr(algorithm, "name", ""))
                if mechanism is None:
                    raise SigningError(_("Thiết bị ký số: thuật toán băm không hỗ trợ."))
                return key.sign(data, mechanism=mechanism)

        yield TokenKey()
    finally:
        session.close()
