"""gunicorn's settings, read from the working directory (``/app`` in the image) on start.

The command line (Dockerfile, docker-compose.yml) gives the bind address, workers and access log.
This file makes gunicorn mask lookup keys in what it logs (README "Input limits") and runs
threaded workers: a slow request (a year's report) holds one thread, not a whole worker, so the
desk and ``/healthz`` keep answering while reports run (two concurrent cutting reports once held
both sync workers and ``/healthz`` waited 9.2 s). Report queries are also cut off by
``ONESTOP_REPORT_TIMEOUT_SECONDS`` (``reports/limits.py``). Each new worker is warmed
(``post_worker_init``) before it takes its first connection.
"""

logger_class = "core.logmask.GunicornLogger"
worker_class = "gthread"
threads = 4


def post_worker_init(worker):
    """Before the new worker accepts a connection: import the URLconf and views, compile the
    templates, load the catalogs (``core/warmup.py``), so its first request is not 1-1.5 s."""
    from core.warmup import warm

    timings = warm()
    worker.log.info(
        "worker %s warmed in %s", worker.pid, ", ".join(f"{k} {v:.0f} ms" for k, v in timings.items())
    )
