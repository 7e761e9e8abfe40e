"""SMS backends that live in a worker process and report through files (``ONESTOP_TEST_SMS_DIR``)."""

import os
import time
from pathlib import Path

from notifications.sms import BaseSMSBackend


def _dir() -> Path:
    return Path(os.environ["ONESTOP_TEST_SMS_DIR"])


class HangOnceSMSBackend(BaseSMSBackend):
    """The first send marks ``started`` and hangs (the test kills the worker then); later sends
    append ``phone`` to ``sent``, one line per message the gateway accepted."""

    def send(self, phone: str, text: str) -> None:
        started = _dir() / "started"
        if not started.exists():
            started.write_text(phone)
            time.sleep(600)
        with open(_dir() / "sent", "a") as sent:
            sent.write(phone + "\n")
