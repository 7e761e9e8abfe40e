"""A Content-Security-Policy on every HTML page the app serves.

The pages (staff UI, citizen, leadership, admin) run only the app's own scripts and styles: no
inline script, no inline style attribute, no other origin, no framing. Swagger UI and ReDoc
(drf-spectacular's pages) start themselves with an inline script and ReDoc runs a blob: worker,
so /api/docs/ and /api/redoc/ get a policy of their own that allows just that; every asset still
comes from the app (``'self'``)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

COMMON = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; "
COMMON += "base-uri 'self'; object-src 'none'"
PAGES = f"{COMMON}; style-src 'self'; script-src 'self'"
API_DOCS = (
    f"{COMMON}; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; worker-src 'self' blob:"
)
API_DOCS_PATHS = ("/api/docs/", "/api/redoc/")


def policy_for(path: str) -> str:
    return API_DOCS if path.startswith(API_DOCS_PATHS) else PAGES


class ContentSecurityPolicyMiddleware:
    """Sets the policy on HTML responses that do not carry one already."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response and response.get("Content-Type", "").startswith(
            "text/html"
        ):
            response["Content-Security-Policy"] = policy_for(request.path)
        return response
