"""The domain's errors. Services raise these; the API turns each into one JSON shape and status."""


class DomainError(Exception):
    """Base of every error a service raises on purpose. ``code`` is stable and machine-readable."""

    status = 400
    default_code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.fields = fields or {}


class InvalidInput(DomainError):
    status = 400
    default_code = "invalid"


class NotAllowed(DomainError):
    status = 403
    default_code = "permission_denied"


class NotFound(DomainError):
    status = 404
    default_code = "not_found"


class Conflict(DomainError):
    """The state changed under the caller: already completed, wrong state, lock not taken."""

    status = 409
    default_code = "conflict"
