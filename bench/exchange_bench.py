"""Sending and receiving edXML packages with a 1 MB PDF between two local QLVB installations (issue 15):
the two installations of the two-agency test (`tests/exchange/two_installations.py`: their own
databases — SQLite, or PostgreSQL databases of their own when DATABASE_URL is postgres:// — file stores,
gunicorn servers on loopback and agent processes).

1. B is stopped; A's clerk issues N replies whose signed PDF weighs about 1 MB (rendered, signed by the
   leader, issued with the agency's signature; each package built and XML-signed by A and kept in its
   outbox after the failed first attempt). Timed per document, for information: it is the issuing, not
   the exchange.
2. B is started; one run of A's outbox sweep posts the N packages one after the other. For each: A reads
   the package from its store and posts it; B spools it, parses it, decodes the attachment, checks the
   package's XML signature and the PDF, stores both, records the package, and (after COMMIT, in the same
   request: tasks run inline) posts status 01 back to A, which records it. The figure is N / wall time.

    .venv/bin/python bench/exchange_bench.py [--documents 10] [--kb 1024]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qlvb_bench .venv/bin/python bench/exchange_bench.py
"""

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.exchange.two_installations import pair  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10)
    parser.add_argument("--kb", type=int, default=1024, help="how much the signed PDF is made larger")
    args = parser.parse_args()
    database = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="exchange-bench-") as tmp, pair(Path(tmp)) as (a, b):
        ready = time.perf_counter() - started
        b.stop()
        issued, issue_times = [], []
        for n in range(1, args.documents + 1):
            t0 = time.perf_counter()
            one = a.run("issue", str(n), str(args.kb))
            issue_times.append(time.perf_counter() - t0)
            assert one["outbox"] == "pending", one
            issued.append(one)
        b.start()
        t0 = time.perf_counter()
        queued = a.run("sweep")["queued"]
        delivery = time.perf_counter() - t0
        states = [a.run("sent", one["document_id"]) for one in issued]
        assert queued == args.documents and all(s["outbox"] == "sent" and s["statuses"] == ["01"] for s in states), states
        received = [p for p in b.run("inbox")["packages"] if p["state"] == "received"]
        assert len(received) == args.documents and all(p["signature"] == "valid" for p in received)
        sizes = [s["size"] for s in states]
    result = {
        "database": database, "documents": args.documents, "package_mb": round(statistics.mean(sizes) / 2**20, 2),
        "two_installations_ready_s": round(ready, 1),
        "issue_s_median": round(statistics.median(issue_times), 2),
        "delivery_s": round(delivery, 2), "per_package_s": round(delivery / args.documents, 3),
        "packages_per_s": round(args.documents / delivery, 2), "mb_per_s": round(sum(sizes) / 2**20 / delivery, 2),
        "load_average": [round(x, 2) for x in os.getloadavg()], "machine": f"{platform.machine()} {os.cpu_count()} CPU",
        "python": platform.python_version(),
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
