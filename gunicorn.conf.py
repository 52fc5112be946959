"""gunicorn settings for infosite: `gunicorn -c gunicorn.conf.py infosite.wsgi`.

Each value can be changed with an environment variable of the same name in
capitals (WEB_CONCURRENCY for workers), without editing this file.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# Two workers per core plus one, the usual choice for sync workers, capped
# (WEB_MAX_WORKERS) so a large machine does not open more database connections
# than PostgreSQL allows. WEB_CONCURRENCY sets the number outright.
workers = int(
    os.environ.get(
        "WEB_CONCURRENCY",
        min(
            2 * multiprocessing.cpu_count() + 1,
            int(os.environ.get("WEB_MAX_WORKERS", "12")),
        ),
    )
)
# Off: each worker loads the site itself, so `systemctl reload` (HUP) brings in new
# code without a restart. On (GUNICORN_PRELOAD=1), workers share the loaded code's
# memory and start faster, but new code then needs a full restart.
preload_app = os.environ.get("GUNICORN_PRELOAD", "") in {"1", "true", "yes", "on"}
# A request that takes longer than this is cut off and its worker restarted; the
# database gives up much sooner (DB_STATEMENT_TIMEOUT_MS).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Restart workers now and then so memory cannot creep up over weeks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# Access and error logs go to standard output and error, for systemd's journal.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = '%(t)s %(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
# Behind a reverse proxy on the same machine, trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
