"""One scheduler runs the periodic jobs in a cluster: the one holding a PostgreSQL advisory lock.

The lock is held by a connection of its own (psycopg directly, not Django's pooled connections, which
are returned to the pool and reused by other work: a session lock must live exactly as long as the
leader). PostgreSQL releases a session lock when its connection ends, so:

- a leader process that is killed (even SIGKILL) closes its socket; the server ends the session and the
  lock is free at once;
- a leader machine that dies or loses the network sends nothing; the server's TCP keepalives and
  `tcp_user_timeout`, set for this session below, end the session within about ten seconds;
- the leader checks its connection before every run (libpq keepalives and `tcp_user_timeout` make that
  check fail rather than hang) and, if it is gone, stops running jobs and waits like the others.

The schedulers not holding the lock try again every few seconds, so one takes over within seconds of
the leader's end. The lock decides who runs; the once-only claims (`JobRun`, `Delivery`) remain the
guarantee that nothing is sent twice, even in the seconds when an old leader cut off from the network
has not yet noticed.

On SQLite there is no lock: SQLite means one machine, where `scripts/serve.sh` or systemd starts one
scheduler; two started by mistake still send nothing twice (the claims, and SQLite's single writer).
"""

import logging
import zlib

from django.db import connection

log = logging.getLogger(__name__)
LOCK_KEY = zlib.crc32(b"qlvb.monitoring.scheduler")  # one bigint key per database; stable across releases
KEEPALIVE_IDLE, KEEPALIVE_INTERVAL, KEEPALIVE_COUNT = 2, 2, 3  # seconds, seconds, probes
USER_TIMEOUT_MS = 8000  # unacknowledged data for this long: the peer is gone


def lock_connection_params(settings_dict=None) -> dict:
    """Django's connection parameters for the database, without its pool, with keepalives on both ends:
    libpq's (this process notices a dead server) and the server's own settings for this session (the
    server notices a dead leader and frees its lock)."""
    params = connection.get_connection_params() if settings_dict is None else settings_dict
    params = {k: v for k, v in params.items() if k not in ("cursor_factory", "context", "prepare_threshold")}
    server = (f"-c tcp_keepalives_idle={KEEPALIVE_IDLE} -c tcp_keepalives_interval={KEEPALIVE_INTERVAL}"
              f" -c tcp_keepalives_count={KEEPALIVE_COUNT} -c tcp_user_timeout={USER_TIMEOUT_MS}")
    params["options"] = f"{params.get('options', '')} {server}".strip()
    return {**params, "application_name": "qlvb-scheduler", "connect_timeout": 5,
            "keepalives": 1, "keepalives_idle": KEEPALIVE_IDLE, "keepalives_interval": KEEPALIVE_INTERVAL,
            "keepalives_count": KEEPALIVE_COUNT, "tcp_user_timeout": USER_TIMEOUT_MS}


class Leadership:
    """`is_leader()` answers, each time it is asked, whether this process may run the jobs now."""

    def __init__(self):
        self.needs_lock = connection.vendor == "postgresql"
        self._conn = None

    def is_leader(self) -> bool:
        if not self.needs_lock:
            return True
        if self._conn is not None:
            if self._alive():
                return True
            log.warning("scheduler: lost the connection holding the leader lock; no longer leading")
            self.release()
        return self._try_acquire()

    def _alive(self) -> bool:
        import psycopg

        try:
            self._conn.execute("SELECT 1")
            return True
        except psycopg.Error:
            return False

    def _try_acquire(self) -> bool:
        import psycopg

        try:
            conn = psycopg.connect(**lock_connection_params(), autocommit=True)
        except psycopg.Error as error:
            log.warning("scheduler: cannot reach the database to take the leader lock: %s", error)
            return False
        if conn.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY]).fetchone()[0]:
            self._conn = conn
            return True
        conn.close()  # another scheduler leads; a connection held while waiting would be wasted
        return False

    def release(self):
        if self._conn is not None:
            self._conn.close()  # the session ends: PostgreSQL frees the lock
            self._conn = None
