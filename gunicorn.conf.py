"""gunicorn's settings, read from the working directory (``/app`` in the image) on start.

The command line (Dockerfile, docker-compose.yml) gives the bind address, workers and access log.
This file makes gunicorn mask lookup keys in what it logs (README "Input limits") and runs
threaded workers: a slow request (a year's report) holds one thread, not a whole worker, so the
desk and ``/healthz`` keep answering while reports run (two concurrent cutting reports once held
both sync workers and ``/healthz`` waited 9.2 s). Report queries are also cut off by
``ONESTOP_REPORT_TIMEOUT_SECONDS`` (``reports/limits.py``).
"""

logger_class = "core.logmask.GunicornLogger"
worker_class = "gthread"
threads = 4
