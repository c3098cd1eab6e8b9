"""The web server under a burst and a steady loopback load: gunicorn as scripts/serve.sh runs it
(deploy/gunicorn.conf.py) against Django's development server (`make dev`).

    .venv/bin/python bench/serve_bench.py [--seconds 10] [--clients 8]

A migrated SQLite database in a temporary QLVB_VAR_DIR; the page is GET /login/ (a full template
render, no database row). The client runs in Python on the same machine, so it shares the cores with
the server: read the figures as a lower bound.
"""

import argparse
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, proc):
    for _ in range(600):
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("server did not start")


def get(port, conn=None):
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/login/")
    response = conn.getresponse()
    response.read()
    return response.status, conn


def burst(port, n=50):
    barrier, results = threading.Barrier(n), []

    def one():
        barrier.wait()
        try:
            status, conn = get(port)
            conn.close()
            results.append(status)
        except OSError as exc:
            results.append(type(exc).__name__)

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def steady(port, seconds, clients):
    """Each client keeps one connection alive and asks again as soon as answered."""
    counts, latencies, errors, stop = [0] * clients, [], [0], time.monotonic() + seconds

    def client(i):
        conn = None
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                status, conn = get(port, conn)
                if status != 200:
                    errors[0] += 1
            except (OSError, http.client.HTTPException):
                errors[0] += 1
                conn = None
                continue
            latencies.append(time.perf_counter() - started)
            counts[i] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    return {"req/s": round(sum(counts) / seconds, 1), "p50 ms": round(latencies[len(latencies) // 2] * 1000, 1),
            "p95 ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 1), "errors": errors[0]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=5, help="bursts of 50 connections")
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp(prefix="qlvb-bench-"))
    env = {**os.environ, "QLVB_VAR_DIR": str(var), "QLVB_2FA_REQUIRED_ROLES": "", "QLVB_WEB_ACCESS_LOG": "/dev/null"}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    servers = {
        "gunicorn gthread -w 2 --threads 4": lambda port: [".venv/bin/gunicorn", "-c", "deploy/gunicorn.conf.py",
                                                           "-b", f"127.0.0.1:{port}", "qlvb.wsgi"],
        "runserver (make dev)": lambda port: [sys.executable, "manage.py", "runserver", "--noreload",
                                              f"127.0.0.1:{port}"],
    }
    for name, command in servers.items():
        port = free_port()
        proc = subprocess.Popen(command(port), cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            wait_listening(port, proc)
            get(port)[1].close()  # warm up
            bursts = [burst(port) for _ in range(args.rounds)]
            failed = [sum(1 for r in b if r != 200) for b in bursts]
            print(f"{name}: bursts of 50, failed per burst {failed}; "
                  f"steady {args.clients} clients {args.seconds} s: {steady(port, args.seconds, args.clients)}")
        finally:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
