from celery import shared_task


@shared_task(name="core.ping")
def ping(value: str = "pong") -> str:
    """A trivial task that proves the broker, a worker and the result backend work end to end."""
    return value
