"""The load test's client: N simulated people of every role working against a served QLVB for T minutes.

    .venv/bin/python bench/load/client.py --base http://127.0.0.1:8731 --users 200 --minutes 10 \
        [--think 3:12] [--ramp 120] [--server-pid PID] [--out bench/out/load.json]

Plain `requests` in one thread per person (the client sleeps most of the time: think time between
actions, like people). Each person logs in once, then repeats their role's day until the time is up:
- clerk (5 %): opens the registration page, registers an incoming document with a 1 MB PDF (different
  bytes each time), which goes to the leader of its field;
- leader (5 %) and head of unit (15 %): inbox, open a document, forward it down (main handler);
- officer (75 %): inbox, open a document and its file, search, complete ("approve") what they hold.
Loopback only (the base URL must be 127.0.0.1 or localhost); the run stops by itself at the deadline
and a request's timeout is 60 s. Prints requests/s, p50/p95 per page, errors (every status >= 400 and
every failed connection, with the first few bodies of 5xx kept in the JSON), and the server's memory:
the RSS of every process under --server-pid (gunicorn's master and workers, the task worker and the
scheduler), sampled every 5 s.
"""

import argparse
import io
import json
import os
import random
import re
import statistics
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

DEMO_PASSWORD, BENCH_PASSWORD = "DemoQLVB@2026", "BenchOnly@2026"
CLERKS = ["vanthu"]
LEADERS = ["giamdoc", "pgd.mai", "pgd.minh", "pgd.dung"]
HEADS = ["cvp.lan", "tp.khtc", "tp.qlvt", "tp.kcht", "ctt.binh", "gd.ttdk", "ptp.khtc", "ptp.qlvt", "ptp.kcht"]
OFFICERS = ["cv.vp.hai", "cv.khtc.nga", "cv.khtc.son", "cv.khtc.linh", "cv.qlvt.long", "cv.qlvt.trang",
            "cv.qlvt.quan", "cv.kcht.dat", "cv.kcht.thao", "cv.kcht.nam", "ttv.khoa", "ttv.my", "cv.ttdk.vinh",
            "cv.ttdk.tam"]
WORDS = ["kế hoạch", "bảo trì", "an toàn giao thông", "ngân sách", "đăng kiểm", "quốc lộ", "chuyển đổi số"]

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DOC_LINK = re.compile(r'href="/incoming/(\d+)/"')
FILE_LINK = re.compile(r'href="(/incoming/\d+/files/\d+/)')
FORWARD = re.compile(r'action="/assignments/(\d+)/forward/"')
TARGET = re.compile(r'name="(role_[pu]_\d+)"')
COMPLETE = re.compile(r'formaction="/assignments/(\d+)/complete/"|action="/assignments/(\d+)/complete/"')


def select_first(html: str, name: str) -> str:
    """The first non-empty option of a <select name=...>."""
    block = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    values = re.findall(r'<option value="([^"]+)"', block.group(1)) if block else []
    return values[0] if values else ""


class PDF:
    """A 1 MB one-page PDF whose bytes differ per upload (a fixed-length nonce in a content comment)."""

    NONCE = b"N" * 32

    def __init__(self, size=1024 * 1024):
        from pypdf import PdfWriter
        from pypdf.generic import DecodedStreamObject, NameObject

        writer = PdfWriter()
        page = writer.add_blank_page(width=595, height=842)
        stream = DecodedStreamObject()
        filler = b"% " + self.NONCE + b"\n" + b"% QLVB load test filler line .............................\n" * (
            size // 60) + b"q Q\n"
        stream.set_data(filler)
        page[NameObject("/Contents")] = writer._add_object(stream)
        buffer = io.BytesIO()
        writer.write(buffer)
        self.template = buffer.getvalue()
        assert self.template.count(self.NONCE) == 1

    def make(self) -> bytes:
        return self.template.replace(self.NONCE, os.urandom(16).hex().encode())


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)  # page -> seconds
        self.errors = defaultdict(int)  # "page status" -> count
        self.samples_5xx = []
        self.actions = defaultdict(int)

    def add(self, page, seconds, status, body=""):
        with self.lock:
            self.times[page].append(seconds)
            if status >= 400 or status == 0:
                self.errors[f"{page} {status}"] += 1
                if (status >= 500 or status == 0) and len(self.samples_5xx) < 5:
                    self.samples_5xx.append({"page": page, "status": status, "body": body[:2000]})


class Person(threading.Thread):
    def __init__(self, base, role, username, stats, deadline, think, pdf, ramp):
        super().__init__(daemon=True)
        self.ramp = ramp
        self.base, self.role, self.username, self.stats = base, role, username, stats
        self.deadline, self.think, self.pdf = deadline, think, pdf
        self.http = requests.Session()
        # A browser sends a request again when a kept-alive connection turns out closed by the server
        # (gunicorn's keepalive is 5 s, shorter than a person's pause); GETs only, once.
        retry = Retry(total=1, connect=1, read=1, status=0, other=0, allowed_methods={"GET"})
        self.http.mount("http://", HTTPAdapter(max_retries=retry))
        self.rng = random.Random()

    def call(self, page, method, path, **kwargs):
        started = time.perf_counter()
        try:
            response = self.http.request(method, self.base + path, timeout=60, allow_redirects=False, **kwargs)
            body = response.text if "html" in response.headers.get("Content-Type", "") else ""
            if response.status_code >= 500:
                body = response.text
            self.stats.add(page, time.perf_counter() - started, response.status_code, body)
            return response, body
        except requests.RequestException as exc:
            self.stats.add(page, time.perf_counter() - started, 0, repr(exc))
            return None, ""

    def post(self, page, path, data, referer_html, files=None):
        """Submit a form as a browser does: POST, then the page it redirects to. An action the app refused
        (the form shown again, or an error message on the next page) counts as an error."""
        token = CSRF.search(referer_html)
        data = {**data, "csrfmiddlewaretoken": token.group(1) if token else ""}
        response, body = self.call(page, "POST", path, data=data, files=files, headers={"Referer": self.base + path})
        if response is None or response.status_code >= 400:
            return response, body
        if response.status_code != 302:
            return self.refused(page, body), body
        location = response.headers["Location"]
        if location.startswith("/login/") or page == "login":
            return response, body
        _, after = self.call("page after an action", "GET", location)
        if 'class="alert alert-danger' in after:
            self.refused(page, after)
        return response, after

    def refused(self, page, body):
        message = re.search(r'alert-danger[^>]*>(.*?)<', body, re.S) or re.search(r'invalid-feedback[^>]*>(.*?)<',
                                                                                  body, re.S)
        with self.stats.lock:
            self.stats.errors[f"{page} refused"] += 1
            if len(self.stats.samples_5xx) < 10:
                self.stats.samples_5xx.append({"page": page, "status": "refused", "user": self.username,
                                               "body": message.group(1).strip() if message else body[:500]})

    def login(self) -> bool:
        _, html = self.call("login form", "GET", "/login/")
        password = BENCH_PASSWORD if self.username.startswith("bench.") else DEMO_PASSWORD
        response, _ = self.post("login", "/login/", {"username": self.username, "password": password}, html)
        return response is not None and response.status_code == 302 and "/login/" not in response.headers.get(
            "Location", "/login/")

    def pause(self):
        low, high = self.think
        time.sleep(min(self.rng.uniform(low, high), max(0.0, self.deadline - time.time())))

    def run(self):
        time.sleep(self.rng.uniform(0, self.ramp))  # people arrive over the first minutes, not all at once
        if not self.login():
            return
        day = {"clerk": self.clerk, "leader": self.forwarder, "head": self.forwarder, "officer": self.officer}
        while time.time() < self.deadline:
            day[self.role]()
            self.stats.actions[self.role] += 1
            self.pause()

    def open_some_document(self, query="tab=todo"):
        _, inbox = self.call("inbox", "GET", f"/incoming/?{query}")
        ids = DOC_LINK.findall(inbox)
        if not ids:
            return None, ""
        pk = self.rng.choice(ids[:25])
        _, html = self.call("document", "GET", f"/incoming/{pk}/")
        return pk, html

    def clerk(self):
        _, form = self.call("register form", "GET", "/incoming/new/")
        if not form:
            return
        n = self.rng.randrange(10**9)
        data = {
            "register": select_first(form, "register"), "document_type": select_first(form, "document_type"),
            "issuer_name": "UBND tỉnh Bắc Kạn", "issuer_code": "", "notation": f"{n}/UBND-LT",
            "issued_on": time.strftime("%Y-%m-%d"), "summary": f"V/v {self.rng.choice(WORDS)} (thử tải {n})",
            "urgency": "normal", "confidentiality": "normal", "medium": "electronic", "page_count": "1",
            "arrived_at": time.strftime("%Y-%m-%dT%H:%M"), "deadline_days": "10", "field": "",
        }
        files = {"files": (f"van-ban-{n}.pdf", self.pdf.make(), "application/pdf")}
        self.post("register (1 MB PDF)", "/incoming/new/", data, form, files=files)

    def forwarder(self):
        pk, html = self.open_some_document("tab=todo&state=new")  # not yet opened, so not yet forwarded
        if not pk:
            return
        action = FORWARD.search(html)
        targets = TARGET.findall(html)
        if action and targets:
            target = self.rng.choice(targets[: max(1, len(targets) // 2)])
            self.post("forward", f"/assignments/{action.group(1)}/forward/",
                      {target: "main", "instruction": "Đề nghị xử lý", "deadline_days": "5"}, html)

    def officer(self):
        step = self.rng.random()
        if step < 0.45:
            pk, html = self.open_some_document()
            files = FILE_LINK.findall(html)
            if files:
                response, _ = self.call("file (PDF)", "GET", files[0])
                if response is not None:
                    response.close()
        elif step < 0.65:
            self.call("search", "GET", f"/search/?kind=incoming&q={self.rng.choice(WORDS)}")
        elif step < 0.80:
            self.call("inbox", "GET", f"/incoming/?tab={self.rng.choice(['done', 'info', 'overdue'])}")
        else:
            pk, html = self.open_some_document()
            match = COMPLETE.search(html)
            if match:
                self.post("complete", f"/assignments/{match.group(1) or match.group(2)}/complete/",
                          {"note": "Đã xử lý xong"}, html)


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        todo.extend(int(c) for c in children)
    return found


def rss_mb(pids) -> dict[str, float]:
    """RSS in MB of the processes, grouped: gunicorn (master + workers) and the rest."""
    groups = defaultdict(float)
    for pid in pids:
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            rss = next(int(line.split()[1]) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                       if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            continue
        group = "gunicorn" if "gunicorn" in cmd else "task_worker" if "task_worker" in cmd else (
            "scheduler" if "run_scheduler" in cmd else None)
        if group:
            groups[group] += rss / 1024
    return dict(groups)


def sample_memory(server_pid, stop, samples):
    while not stop.is_set():
        samples.append(rss_mb(descendants(server_pid)))
        stop.wait(5)


def cast(users: int, extra_officers=()) -> list[tuple[str, str]]:
    """Who the simulated people are: roles in proportion, accounts round-robin within each role."""
    shares = [("clerk", 0.05, CLERKS), ("leader", 0.05, LEADERS), ("head", 0.15, HEADS)]
    people, given = [], 0
    for role, share, accounts in shares:
        count = max(1, round(users * share))
        people += [(role, accounts[i % len(accounts)]) for i in range(count)]
        given += count
    officers = OFFICERS + list(extra_officers)
    people += [("officer", officers[i % len(officers)]) for i in range(max(0, users - given))]
    return people


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8731")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--think", default="3:12", help="seconds between a person's actions, uniform LOW:HIGH")
    parser.add_argument("--ramp", type=float, default=120, help="seconds over which people arrive (log in)")
    parser.add_argument("--server-pid", type=int, help="serve.sh's pid: the memory of everything under it")
    parser.add_argument("--officer-accounts", default="", help="comma-separated generated officers to use too")
    parser.add_argument("--out", default="bench/out/load.json")
    args = parser.parse_args()
    if urlparse(args.base).hostname not in {"127.0.0.1", "localhost", "::1"}:
        parser.error("loopback only: --base must be http://127.0.0.1:PORT")
    think = tuple(float(x) for x in args.think.split(":"))
    stats, pdf = Stats(), PDF()
    started = time.time()
    deadline = started + args.minutes * 60
    people = [Person(args.base, role, username, stats, deadline, think, pdf, args.ramp)
              for role, username in cast(args.users, [a for a in args.officer_accounts.split(",") if a])]
    stop, memory = threading.Event(), []
    sampler = threading.Thread(target=sample_memory, args=(args.server_pid, stop, memory), daemon=True)
    if args.server_pid:
        sampler.start()
    for person in people:
        person.start()
    for person in people:
        person.join(timeout=max(0.0, deadline - time.time()) + 90)
    stop.set()
    elapsed = time.time() - started
    report(args, stats, memory, elapsed, people)


def report(args, stats, memory, elapsed, people):
    total = sum(len(v) for v in stats.times.values())
    errors = sum(stats.errors.values())
    pages = {page: {"n": len(v), "p50_ms": round(statistics.median(v) * 1000, 1),
                    "p95_ms": round(percentile(v, 0.95) * 1000, 1), "max_ms": round(max(v) * 1000, 1)}
             for page, v in sorted(stats.times.items())}
    peak = {k: round(max(s.get(k, 0) for s in memory), 1) for k in {k for s in memory for k in s}} if memory else {}
    last = {k: round(v, 1) for k, v in memory[-1].items()} if memory else {}
    result = {"users": args.users, "minutes": args.minutes, "think": args.think, "ramp_s": args.ramp, "elapsed_s": round(elapsed, 1),
              "requests": total, "requests_per_s": round(total / elapsed, 2), "errors": errors,
              "errors_by_page": dict(stats.errors), "samples_5xx": stats.samples_5xx, "pages": pages,
              "actions": dict(stats.actions), "rss_mb_peak": peak, "rss_mb_end": last,
              "still_running": sum(p.is_alive() for p in people)}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1, ensure_ascii=False))
    print(f"{args.users} users, {elapsed / 60:.1f} min, think {args.think} s: {total} requests, "
          f"{total / elapsed:.1f} requests/s, {errors} errors")
    print(f"{'page':28} {'n':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for page, row in pages.items():
        print(f"{page:28} {row['n']:>7} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['max_ms']:>8}")
    if stats.errors:
        print("errors:", dict(stats.errors))
    if peak:
        print("server RSS, MB (peak / end):", {k: (peak[k], last.get(k)) for k in sorted(peak)},
              f"total peak {sum(peak.values()):.0f}")
    print(f"actions: {dict(stats.actions)}; full figures in {args.out}")


if __name__ == "__main__":
    main()
