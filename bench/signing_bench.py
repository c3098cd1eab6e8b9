"""Signing throughput: documents signed per second with the PKCS#12 backend, two signatures per
document (the leader's with the signature image, the number and date placed, then the agency's seal
signature covering the whole file), and verification of the result.

    .venv/bin/python bench/signing_bench.py [--documents 30]

No database: the signers are built directly (`Pkcs12Signer` with a sealed PKCS#12, as the services
do); the input is a one-page WeasyPrint PDF (rendering is measured by the render bench, not here).
"""

import argparse
import platform
import statistics
import time

import setup_django  # noqa: F401

from qlvb.signing import ca, demo_images, keystore, pades, services, verification
from qlvb.signing.signers import Pkcs12Signer, to_asn1

PIN = "bench"
LEADER_BOX = (0, (440.0, 532.0, 558.0, 590.0))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=30)
    args = parser.parse_args()
    from weasyprint import HTML

    pdf = HTML(string="<p style=\"font-family:'Liberation Serif'\">QUYẾT ĐỊNH về việc phê duyệt kế hoạch "
                      "bảo trì đường bộ năm 2026</p>").write_pdf()
    root = ca.make_root()

    def signer(name):
        issued = ca.issue(root, name, organisation="Sở GTVT Bắc Kạn")
        return Pkcs12Signer(certificate=issued.cert, chain=[root.cert], display_name=name,
                            encrypted_key=keystore.wrap_key(issued.key, PIN))

    leader, agency = signer("Trần Thị Mai (DEMO)"), signer("Sở GTVT (DEMO)")
    image, seal = demo_images.signature_png(), demo_images.seal_png("Sở Giao thông vận tải")
    seal_box = services.seal_box(LEADER_BOX, size_mm=36)

    def one() -> bytes:
        signed = pades.sign_pdf(pdf, leader, field_name="LanhDao", box=LEADER_BOX, image=image, pin=PIN)
        numbered = pades.place_text(signed, [((0, (110, 716, 133, 732)), "15", 13),
                                             ((0, (300, 716, 552, 732)), "Bắc Kạn, ngày 05 tháng 01 năm 2026", 13)])
        return pades.sign_pdf(numbered, agency, field_name="CoQuan", box=seal_box, seal=seal, pin=PIN)

    one()  # warm-up (imports, font parsing)
    times, last = [], b""
    for _ in range(args.documents):
        start = time.perf_counter()
        last = one()
        times.append(time.perf_counter() - start)
    start = time.perf_counter()
    verdict = verification.verify_pdf(last, roots=[to_asn1(root.cert)]).verdict
    verify_ms = (time.perf_counter() - start) * 1000
    total = sum(times)
    print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(f"documents: {args.documents}, two signatures + number/date each")
    print(f"per document: p50 {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms")
    print(f"throughput: {args.documents / total:.1f} documents/s ({2 * args.documents / total:.1f} signatures/s)")
    print(f"verification of the result ({verdict}): {verify_ms:.0f} ms")


if __name__ == "__main__":
    main()
