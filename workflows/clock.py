"""The one place services read the time from, so tests can set the office clock to real dates."""

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()
