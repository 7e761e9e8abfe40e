"""Path converters: a dossier or procedure code is letters, digits, dots and dashes.

Anything else (a NUL byte, a space, a long string) does not match the route, so it is a 404
before it reaches the database (PostgreSQL refuses NUL bytes in text with an error, not a miss).
"""


class CodeConverter:
    regex = r"[0-9A-Za-z.\-]{1,40}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
