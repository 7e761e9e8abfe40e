"""The Celery beat job: every day, build the packages of the periods that have just ended (once)."""

from celery import shared_task
from django.utils import timezone

from .services import build_ended_periods


@shared_task(name="periodic.build_ended_periods")
def build_ended_periods_task() -> int:
    return len(build_ended_periods(timezone.localdate()))
