"""The `make run` mode: a real Celery worker on the embedded file broker runs a queued task.

Runs in every mode (it needs no server): the broker and result folders are a temporary var dir
shared by this process and the worker, as `make run` shares `var/`.
"""

import uuid

import pytest
from celery.result import AsyncResult, allow_join_result

from tests.celery_worker import running_worker


@pytest.fixture
def file_broker(tmp_path):
    """This process's Celery app on a file broker under ``tmp_path``, as settings.py sets it up."""
    from onestop.celery import app

    folders = {name: tmp_path / "celery" / name for name in ("queue", "processed", "results", "control")}
    for folder in folders.values():
        folder.mkdir(parents=True)
    # Not the result backend: Celery caches it per thread; the test reads the worker's results itself.
    names = ("broker_url", "broker_transport_options", "task_always_eager")
    previous = {name: app.conf[name] for name in names}
    app.conf.update(
        broker_url="filesystem://",
        broker_transport_options={
            "data_folder_in": str(folders["queue"]),
            "data_folder_out": str(folders["queue"]),
            "processed_folder": str(folders["processed"]),
            "control_folder": str(folders["control"]),
            "store_processed": False,
        },
        task_always_eager=False,
    )
    app._after_fork()  # forget pooled connections to the previous broker
    env = {
        "ONESTOP_VAR_DIR": str(tmp_path),
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "filesystem://",
        "CELERY_RESULT_BACKEND": f"file://{folders['results']}",
    }
    yield env
    app.conf.update(previous)
    app._after_fork()


def test_a_worker_on_the_file_broker_runs_a_queued_task(file_broker):
    from celery.backends.filesystem import FilesystemBackend

    from core.tasks import ping
    from onestop.celery import app

    # Celery keeps the result backend it first built; read the result from the worker's folder.
    backend = FilesystemBackend(app=app, url=file_broker["CELERY_RESULT_BACKEND"])
    token = uuid.uuid4().hex
    with running_worker(extra_env=file_broker) as queue:
        sent = ping.apply_async(args=[token], queue=queue)
        with allow_join_result():
            assert AsyncResult(sent.id, backend=backend, app=app).get(timeout=60) == token
