"""gunicorn settings for QLVB, read from the same environment as the app (scripts/serve.sh, deploy/qlvb-web.service).

gthread workers: a few processes with a few threads each. Sync workers close every connection
(keep-alive off) and serve one request at a time per process; ASGI servers make each sync view hop
threads (2–3× slower here, stack notes). Each worker process has its own PostgreSQL pool whose size
is the number of threads (QLVB_PG_POOL_MAX defaults to QLVB_WEB_THREADS).
"""

import os

bind = os.environ.get("QLVB_ADDRESS", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("QLVB_WEB_WORKERS", "2"))  # about one per core
threads = int(os.environ.get("QLVB_WEB_THREADS", "4"))
worker_class = "gthread"
backlog = int(os.environ.get("QLVB_WEB_BACKLOG", "2048"))  # a burst of connections waits, not reset
timeout = int(os.environ.get("QLVB_WEB_TIMEOUT", "120"))  # a large upload or report on a slow link
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (a slow leak cannot grow for ever); jitter staggers them.
max_requests = int(os.environ.get("QLVB_WEB_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# X-Forwarded-* from the reverse proxy are believed from these addresses only (Django applies its own
# QLVB_TRUSTED_PROXIES to the client address; this is gunicorn's view of the scheme).
forwarded_allow_ips = os.environ.get("QLVB_TRUSTED_PROXIES", "127.0.0.1,::1")
accesslog = os.environ.get("QLVB_WEB_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("QLVB_WEB_LOG_LEVEL", "info")
proc_name = "qlvb-web"
# The app is loaded in each worker (not before the fork): no database pool or socket is shared by
# two processes.
preload_app = False
# gunicorn's control socket lives in the home folder by default, one path for every instance on the
# machine: two deployments (or two web nodes) would take each other's. It is not used here.
control_socket_disable = True
