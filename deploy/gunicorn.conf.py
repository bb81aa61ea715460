"""gunicorn settings for ESSor (`make serve`, deploy/essor.service); each can be
overridden from the environment."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# Threads share one process's memory; workers use the cores.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A public page's queries stop after PUBLIC_STATEMENT_TIMEOUT_MS (5 s): a request still
# running at 30 s is stuck; the worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Workers are renewed now and then, so that no slow leak grows for ever.
max_requests = 5000
max_requests_jitter = 500
accesslog = "-"
errorlog = "-"
# Only the local front server (nginx) may say the request came over HTTPS.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
