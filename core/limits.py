"""Every bound on what a client may send, in one place (README "Input limits").

The API's serializers and parsers read these; the request body limit is a setting
(``ONESTOP_MAX_REQUEST_BYTES``) because a province may need to raise it for its own integrations.
"""

# Lists in one request.
MAX_DOCUMENTS = 200  # documents of a registration, a refusal, a supplement, completed on the spot
MAX_REASONS = 50  # refusal reasons
MAX_MISSING_DOCUMENTS = 50  # documents asked for in a supplement request

# Text fields (characters, after NFC normalisation).
MAX_TEXT_CHARS = 5000  # a note, a reason, an apology's reason
MAX_COMMENT_CHARS = 2000  # a citizen's rating comment
MAX_NAME_CHARS = 255  # an applicant's name (Dossier.applicant_name)
MAX_DOCUMENT_NAME_CHARS = 500  # a document's name (RequiredDocument.name)
MAX_SEARCH_CHARS = 255  # a search term

# JSON bodies: objects and arrays nested deeper than this are refused before decoding.
MAX_JSON_DEPTH = 20

# Dates and times: the years every date or datetime parameter must fall in.
MIN_YEAR = 1900
MAX_YEAR = 2200

# The request body limit when the setting is absent (1 MiB).
DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024


def max_request_bytes() -> int:
    from django.conf import settings

    return int(getattr(settings, "ONESTOP_MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES))
