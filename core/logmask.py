"""Keep lookup keys out of logs.

A citizen's lookup key may travel in a query string (``/api/v1/public/dossiers/<code>/?key=…``),
and request lines are logged by the development server (``django.server``) and by gunicorn's
access log. ``MaskSecretsFilter`` rewrites every record it sees with ``key=…`` masked; settings
put it on every handler of Django's logging, and ``gunicorn.conf.py`` makes gunicorn use
``GunicornLogger``, which puts it on the access and error logs. No Django import: gunicorn loads
this module before Django is set up.
"""

import logging
import re

MASK = "***"
# ``key=`` (also ``lookup_key=``), up to the next separator of a query string or a log line.
_KEY_IN_QUERY = re.compile(r"(?i)(key=)[^&\s\"';,]+")
# ``"key": "…"`` in a JSON body someone logged.
_KEY_IN_JSON = re.compile(r"(?i)(\"(?:lookup_)?key\"\s*:\s*\")[^\"]*")
# ``X-Lookup-Key: …`` in a logged header dump.
_KEY_HEADER = re.compile(r"(?i)(x-lookup-key['\"]?\s*[:=]\s*['\"]?)[^\s'\",}]+")


def mask_secrets(text: str) -> str:
    text = _KEY_IN_QUERY.sub(rf"\g<1>{MASK}", text)
    text = _KEY_IN_JSON.sub(rf"\g<1>{MASK}", text)
    return _KEY_HEADER.sub(rf"\g<1>{MASK}", text)


class MaskSecretsFilter(logging.Filter):
    """Formats the record's message once, masked; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError, KeyError):  # a broken format: the handler reports it
            return True
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


_FILTER = MaskSecretsFilter()

try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # gunicorn is a production dependency; tolerate its absence elsewhere
    _GunicornLogger = object  # type: ignore[assignment,misc]


class GunicornLogger(_GunicornLogger):  # type: ignore[misc,valid-type]
    """gunicorn's logger with ``key=…`` masked in the access log (its request line, the referrer)
    and the error log."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        self.access_log.addFilter(_FILTER)
        self.error_log.addFilter(_FILTER)
