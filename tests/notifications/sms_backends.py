"""SMS backends for tests: one that records, one that always fails, one that fails once."""

from notifications.sms import BaseSMSBackend, SMSError

sent: list[tuple[str, str]] = []
calls = {"flaky": 0}


class RecordingSMSBackend(BaseSMSBackend):
    def send(self, phone: str, text: str) -> None:
        sent.append((phone, text))


class BrokenSMSBackend(BaseSMSBackend):
    def send(self, phone: str, text: str) -> None:
        raise SMSError("gateway answered 503")


class FlakySMSBackend(BaseSMSBackend):
    def send(self, phone: str, text: str) -> None:
        calls["flaky"] += 1
        if calls["flaky"] == 1:
            raise SMSError("timeout")
        sent.append((phone, text))
