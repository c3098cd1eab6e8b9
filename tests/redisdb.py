"""The Redis server the tests use (127.0.0.1:6379; CI starts one). Each test module takes its own
database by offset (0, 1, 2) from QLVB_TEST_REDIS_DB_BASE, so that the SQLite and PostgreSQL runs of
scripts/test.sh, which run at the same time, never empty each other's database."""

import os
import socket

BASE = int(os.environ.get("QLVB_TEST_REDIS_DB_BASE", "13"))


def redis_url(offset: int) -> str:
    return f"redis://127.0.0.1:6379/{BASE + offset}"


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False
