"""scripts/bootstrap.sh on a busy machine: it waits for another process's apt/dpkg lock (up to a
time-out, saying so) instead of failing at once, and fails with a clear message when the wait is over.
Real apt-get, real locks (apt locks with fcntl(), as the holder below does)."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOLDER = """
import fcntl, sys, time
lock = open(sys.argv[1], "a")
fcntl.lockf(lock, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("apt-get"), reason="apt locks need root on Debian/Ubuntu"
)


def hold(lock, seconds):
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, lock, str(seconds)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "held\n"
    holder.stdout.close()
    return holder


def bootstrap(call, timeout):
    """Runs one function of bootstrap.sh; apt-get installs an essential package already there (no download,
    no upgrade), which still takes the dpkg lock."""
    env = {**os.environ, "QLVB_APT_LOCK_TIMEOUT": str(timeout), "DEBIAN_FRONTEND": "noninteractive"}
    started = time.monotonic()
    done = subprocess.run(["bash", "-c", f"source scripts/bootstrap.sh; {call}"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    return done, time.monotonic() - started


INSTALL = "apt_get install -y -qq --no-upgrade bash"


@pytest.mark.parametrize("lock", ["/var/lib/dpkg/lock-frontend", "/var/lib/apt/lists/lock"])
def test_waits_for_the_lock_then_installs(lock):
    holder = hold(lock, 2)
    try:
        done, took = bootstrap(INSTALL, timeout=30)
    finally:
        holder.wait()
    assert done.returncode == 0, done.stderr
    assert f"Waiting for the apt lock held by PID {holder.pid} (python" in done.stderr
    assert "up to 30 s" in done.stderr
    assert "The apt lock is free: going on." in done.stderr
    assert took >= 1.5


def test_gives_up_with_a_clear_message_after_the_time_out():
    holder = hold("/var/lib/dpkg/lock-frontend", 10)
    try:
        done, took = bootstrap(INSTALL, timeout=1)
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode != 0
    assert f"The apt lock is still held by PID {holder.pid} (python" in done.stderr
    assert "after 1 s" in done.stderr and "QLVB_APT_LOCK_TIMEOUT" in done.stderr
    assert took < 8


def test_a_free_lock_means_no_wait():
    done, _ = bootstrap(INSTALL, timeout=30)
    assert done.returncode == 0, done.stderr
    assert "Waiting" not in done.stderr
