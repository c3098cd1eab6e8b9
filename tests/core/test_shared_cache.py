"""Counters that must hold across web processes live in Django's cache on Redis (QLVB_CACHE_URL):
two gunicorn web processes, as two machines behind one reverse proxy (QLVB_TRUSTED_PROXIES), share the
failed-login count of the client's address, so spreading guesses over the processes does not multiply the
limit, and rotating the X-Forwarded-For entry the client writes does not escape it."""

import os
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

from qlvb.organization.demo import DEMO_PASSWORD
from tests.core.test_db_worker import database_url
from tests.redisdb import redis_reachable, redis_url

ROOT = Path(__file__).resolve().parents[2]
CACHE_URL = redis_url(1)  # used by nothing else here; emptied before and after

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not redis_reachable(), reason="Redis is not reachable at 127.0.0.1:6379 (CI starts one)"),
    pytest.mark.django_db(transaction=True),  # the web processes read the test database
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_cache():
    from redis import Redis

    redis = Redis.from_url(CACHE_URL)
    redis.flushdb()
    yield
    redis.flushdb()
    redis.close()


@pytest.fixture
def two_web_processes(tmp_path, settings, redis_cache):
    env = {**os.environ, "DATABASE_URL": database_url(), "QLVB_FILES_DIR": str(settings.QLVB_FILES_DIR),
           "QLVB_CACHE_URL": CACHE_URL, "QLVB_LOGIN_ADDRESS_LIMIT": "4", "QLVB_2FA_REQUIRED_ROLES": "",
           "QLVB_WEB_WORKERS": "1", "QLVB_WEB_ACCESS_LOG": "/dev/null",
           # As nginx on this machine: it appends the address it saw to X-Forwarded-For.
           "QLVB_BEHIND_PROXY": "1", "QLVB_TRUSTED_PROXIES": "127.0.0.1"}
    env.pop("QLVB_STATIC_MANIFEST", None)
    ports, procs = [free_port(), free_port()], []
    try:
        for port in ports:
            procs.append(subprocess.Popen([".venv/bin/gunicorn", "-c", "deploy/gunicorn.conf.py", "qlvb.wsgi"],
                                          cwd=ROOT, env={**env, "QLVB_ADDRESS": f"127.0.0.1:{port}"},
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for port, proc in zip(ports, procs, strict=True):
            # Ready when a page is answered: the socket accepts before the worker has loaded the app,
            # which takes long on a busy machine.
            end = time.monotonic() + 180
            while proc.poll() is None and time.monotonic() < end:
                try:
                    if requests.get(f"http://127.0.0.1:{port}/login/", timeout=60).status_code == 200:
                        break
                except requests.RequestException:
                    time.sleep(0.5)
            else:
                pytest.fail(f"gunicorn on {port} did not start")
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=120)


def login(base, username, password, forwarded_for) -> requests.Response:
    with requests.Session() as browser:
        page = browser.get(f"{base}/login/", timeout=120).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        return browser.post(f"{base}/login/", data={"username": username, "password": password,
                                                   "csrfmiddlewaretoken": token},
                            headers={"Referer": f"{base}/login/", "X-Forwarded-For": forwarded_for},
                            allow_redirects=False, timeout=120)


def test_two_web_processes_share_the_failed_login_count_of_an_address(demo, two_web_processes):
    first, second = two_web_processes
    # Two failures on each process from the client 203.0.113.5, each claiming a new address of its own
    # in front of the one the proxy appended: four from this address, the limit, though neither process
    # saw four and no two requests claimed the same address.
    for n, (base, username) in enumerate([(first, "khong-co-1"), (second, "khong-co-2"),
                                          (first, "khong-co-3"), (second, "khong-co-4")]):
        assert login(base, username, "sai", f"198.51.100.{n}, 203.0.113.5").status_code == 200
    for base in (first, second):
        refused = login(base, "cv.qlvt.long", DEMO_PASSWORD, "198.51.100.77, 203.0.113.5")
        assert refused.status_code == 429
        assert "địa chỉ mạng này" in refused.text
    # Another client behind the same proxy is not held back: its guess is answered, not refused.
    # (The test database hashes passwords with MD5, which the served processes do not accept.)
    other = login(second, "khong-co-5", "sai", "198.51.100.77, 203.0.113.9")
    assert other.status_code == 200 and "địa chỉ mạng này" not in other.text
