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


def workloads():
    """The steps of one document, by name, on demo keys made for the run: {"render_html": …, "leader": …}."""
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

    def number_and_date(signed, found):
        return official.stamped(signed, found, TEXTS), found

    def agency_signs(numbered, found):
        signer_box = found["signer"]
        seal_box = services.seal_box((signer_box.page, (signer_box.x1, signer_box.y1, signer_box.x2, signer_box.y2)),
                                     size_mm=36)
        return pades.sign_pdf(numbered, agency, field_name="CoQuan", box=seal_box, seal=seal, pin=PIN)

    return {"render_html": lambda: render_html(DATA), "render_pdf": lambda: render_pdf(uploaded, positions),
            "render_docx": lambda: render_docx(word, DATA), "leader": leader_signs,
            "number_and_date": number_and_date, "agency": agency_signs}


def issue_part(steps, signed, found):
    return steps["agency"](*steps["number_and_date"](signed, found))


def document(steps, source: str):
    return issue_part(steps, *steps["leader"](steps[f"render_{source}"]()))


def profile(steps, source: str, runs: int) -> None:
    """Median milliseconds of each step of `source`, then the functions where the time goes (cProfile)."""
    import cProfile
    import pstats
    import statistics

    timings: dict[str, list[float]] = {}

    def timed(name, *args):
        started = time.perf_counter()
        result = steps[name](*args)
        timings.setdefault(name, []).append(1000 * (time.perf_counter() - started))
        return result

    def one():
        found = timed("leader", timed(f"render_{source}"))
        return timed("agency", *timed("number_and_date", *found))

    one()
    for _ in range(runs):
        one()
    print(json.dumps({"load": os.getloadavg()[0], "median_ms": {k: round(statistics.median(v), 1)
                                                                 for k, v in timings.items()}}, indent=2))
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        one()
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("tottime").print_stats(35)
    stats.sort_stats("cumulative").print_stats(60)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--word-runs", type=int, default=3)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--profile", choices=["html", "pdf", "docx"],
                        help="time each step of one source and print where the time goes, instead of the bench")
    args = parser.parse_args()
    steps = workloads()
    if args.profile:
        profile(steps, args.profile, args.runs)
        return
    signed_html = steps["leader"](render_html(DATA))
    measures = {
        "structured: render + 2 signatures": (lambda: document(steps, "html"), args.runs),
        "pdf: boxes + 2 signatures": (lambda: document(steps, "pdf"), args.runs),
        "issue only (number, date, agency signature)": (lambda: issue_part(steps, *signed_html), args.runs),
        "word: fill + LibreOffice + 2 signatures": (lambda: document(steps, "docx"), args.word_runs),
    }
    results = {name: per_second(work, runs) for name, (work, runs) in measures.items() if runs}
    together = {name: side_by_side(work, runs, args.processes) for name, (work, runs) in measures.items()
                if not name.startswith("word") and runs}
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
