"""gunicorn for Sanfu: sync workers, about one per core (measured best on 2 cores:
more workers or threads were slower). Every value can be set from the environment,
so one file serves each app server of a host (systemd: sanfu-app@PORT.service)."""

import multiprocessing
import os

wsgi_app = "sanfu.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
worker_class = "sync"
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count())
# A request still running after this many seconds is killed with its worker (and
# nginx answers 502): nothing hangs for longer. nginx waits a little longer.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 20
# Recycle workers now and then: a slow leak in any library stays bounded.
max_requests = 5000
max_requests_jitter = 500
# The address nginx connects from; its X-Forwarded-* headers are believed.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
pidfile = os.environ.get("GUNICORN_PIDFILE") or None
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
proc_name = f"sanfu-{bind}"
