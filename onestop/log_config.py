"""The logging configuration: one console handler on the root, and lookup keys never in a log.

Every handler masks "key=…" (``core.logmask``), including the development server's request lines;
gunicorn's access log does the same (``gunicorn.conf.py``). Django's own defaults put an unmasked
console handler (DEBUG) and the admins' e-mail on "django"; here its records go to the root's
masked console only once, and the e-mail is masked too.
"""


def logging_config(level: str) -> dict:
    masked = ["mask_secrets"]
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "mask_secrets": {"()": "core.logmask.MaskSecretsFilter"},
            "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        },
        "formatters": {
            "django.server": {
                "()": "django.utils.log.ServerFormatter",
                "format": "[{server_time}] {message}",
                "style": "{",
            }
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "filters": masked},
            "django.server": {
                "class": "logging.StreamHandler",
                "formatter": "django.server",
                "filters": masked,
            },
            "mail_admins": {
                "class": "django.utils.log.AdminEmailHandler",
                "filters": ["require_debug_false", *masked],
                "level": "ERROR",
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django": {"handlers": ["mail_admins"], "level": "INFO"},
            "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        },
    }
