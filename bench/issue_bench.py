"""The official PDF of an issued document (issue 14 item 6): documents per second for render + the leader's
signature + the number and date written in + the agency's seal signature, per source, and the part left
for the clerk's "issue" (number, date and the agency's signature on the PDF the leader signed).

    .venv/bin/python bench/issue_bench.py [--runs 20] [--word-runs 3] [--processes 2]

Sources: a structured Quyết định rendered by WeasyPrint (`render_html`); an uploaded one-page PDF with its
boxes (`render_pdf`); the demo Word template filled and converted by LibreOffice headless (a new soffice
process per document, measured separately: the worker converts once and keeps it). The steps are those
`outgoing.official` runs: `pades.sign_pdf` (leader, signature image), `official.stamped` (`place_text`),
`pades.sign_pdf` (agency, seal at 36 mm over the left third of the signature). PKCS#12 keys unlocked with
their PIN at each signature, as the services do; no database; one warm-up run per measure. Each figure
is given for one process and for `--processes` processes side by side (forked after set-up, as the task
workers of one machine run: "on this machine" is what its workers issue together).
"""

import argparse
import json
import multiprocessing
import os
import platform
import time

import setup_django  # noqa: F401

from bench.render_bench import DATA, TEXTS
from qlvb.outgoing import official
from qlvb.outgoing.rendering.demo import word_template
from qlvb.outgoing.rendering.docx import render_docx
from qlvb.outgoing.rendering.html import render_html
from qlvb.outgoing.rendering.pdfsource import render_pdf
from qlvb.signing import ca, demo_images, keystore, pades, services
from qlvb.signing.signers import Pkcs12Signer

PIN = "bench"


def per_second(work, runs: int) -> float:
    work()  # warm-up: fonts, templates, imports
    started = time.perf_counter()
    for _ in range(runs):
        work()
    return runs / (time.perf_counter() - started)


_WORK = None


def _run_in_child(runs: int) -> None:
    for _ in range(runs):
        _WORK()


def side_by_side(work, runs: int, processes: int) -> float:
    """Documents per second for `processes` forked processes doing `runs` each, warmed up before the fork."""
    global _WORK
    _WORK = work
    work()
    context = multiprocessing.get_context("fork")
    with context.Pool(processes) as pool:
        started = time.perf_counter()
        pool.map(_run_in_child, [runs] * processes)
        return processes * runs / (time.perf_counter() - started)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--word-runs", type=int, default=3)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    root = ca.make_root()

    def signer(name):
        issued = ca.issue(root, name, organisation="Sở GTVT Bắc Kạn")
        return Pkcs12Signer(certificate=issued.cert, chain=[root.cert], display_name=name,
                            encrypted_key=keystore.wrap_key(issued.key, PIN))

    leader, agency = signer("Trần Thị Mai (DEMO)"), signer("Sở GTVT (DEMO)")
    image, seal = demo_images.signature_png(), demo_images.seal_png("Sở Giao thông vận tải")
    uploaded = render_html(DATA).pdf
    positions = render_html(DATA).boxes
    word = word_template()

    def leader_signs(rendered):
        box = rendered.boxes["signer"]
        signed = pades.sign_pdf(rendered.pdf, leader, field_name="LanhDao", image=image, pin=PIN,
                                box=(box.page, (box.x1, box.y1, box.x2, box.y2)))
        return signed, rendered.boxes

    def issue_part(signed, found):
        numbered = official.stamped(signed, found, TEXTS)
        signer_box = found["signer"]
        seal_box = services.seal_box((signer_box.page, (signer_box.x1, signer_box.y1, signer_box.x2, signer_box.y2)),
                                     size_mm=36)
        return pades.sign_pdf(numbered, agency, field_name="CoQuan", box=seal_box, seal=seal, pin=PIN)

    signed_html = leader_signs(render_html(DATA))
    measures = {
        "structured: render + 2 signatures": (lambda: issue_part(*leader_signs(render_html(DATA))), args.runs),
        "pdf: boxes + 2 signatures": (lambda: issue_part(*leader_signs(render_pdf(uploaded, positions))), args.runs),
        "issue only (number, date, agency signature)": (lambda: issue_part(*signed_html), args.runs),
        "word: fill + LibreOffice + 2 signatures": (lambda: issue_part(*leader_signs(render_docx(word, DATA))),
                                                    args.word_runs),
    }
    results = {name: per_second(work, runs) for name, (work, runs) in measures.items()}
    together = {name: side_by_side(work, runs, args.processes) for name, (work, runs) in measures.items()
                if not name.startswith("word")}
    load = os.getloadavg()[0]
    print(json.dumps({"machine": f"{platform.machine()} {platform.processor() or ''} {platform.python_version()}, "
                                 f"{os.cpu_count()} CPUs, load {load:.1f}",
                      "runs": args.runs, "word_runs": args.word_runs,
                      "documents_per_second": {k: round(v, 2) for k, v in results.items()},
                      f"documents_per_second_{args.processes}_processes": {k: round(v, 2)
                                                                             for k, v in together.items()}},
                     indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
