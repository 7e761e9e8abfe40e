"""A plain path through an APIView for the one request anyone can make at any rate: a GET asking
for JSON (the citizen's lookup).

DRF's ``dispatch`` wraps the request, negotiates the content type, authenticates, checks the
permissions and renders through the ``Response``'s machinery; on the lookup that was about as much
Python as the lookup's own work. ``PlainGetMixin.dispatch`` answers a GET whose answer can only be
JSON (no ``Accept`` header, ``*/*`` or ``application/json``; no ``?format=``) itself: the view's
throttles (``check_throttles``, as DRF calls them), the view's ``plain_get`` (a dict), rendered by
DRF's own ``JSONRenderer``, with the headers DRF adds (``Allow``, ``Vary: Accept``). Any exception
is answered by DRF's machinery (``handle_exception``, the project's exception handler): the same
error shapes, messages and ``Retry-After``. Every other request (another method, another
``Accept``, the browsable API) goes through DRF's ``dispatch`` unchanged, which calls the same
``plain_get`` from the view's ``get``.

Only for views without authentication and with ``AllowAny`` (``check_plain_view``): the plain path
authenticates nobody and checks no permission.
"""

from __future__ import annotations

from django.http import HttpResponse
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.settings import api_settings

_RENDERER = JSONRenderer()
PLAIN_ACCEPT = frozenset({"", "*/*", "application/json"})


def is_plain_json_get(method: str, accept: str, query: dict) -> bool:
    """Whether DRF would answer this request with ``JSONRenderer`` and no options: a GET, an
    ``Accept`` of nothing, ``*/*`` or ``application/json`` exactly (not ``text/html``, not
    ``application/json; indent=4``), no format override in the query."""
    return (
        method == "GET" and accept.strip() in PLAIN_ACCEPT and api_settings.URL_FORMAT_OVERRIDE not in query
    )


def check_plain_view(view_class) -> None:
    """Refuse (at class creation) a view the plain path would serve without its checks."""
    if view_class.authentication_classes or list(view_class.permission_classes) != [AllowAny]:
        raise TypeError(
            f"{view_class.__name__}: the plain path is for views without authentication, AllowAny"
        )


class PlainGetMixin:
    """Put before ``APIView``; define ``plain_get(request, **kwargs) -> dict``."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        check_plain_view(cls)

    def plain_get(self, request, **kwargs) -> dict:
        raise NotImplementedError

    def get(self, request, **kwargs):
        from rest_framework.response import Response

        return Response(self.plain_get(request, **kwargs))

    def dispatch(self, request, *args, **kwargs):
        accept = request.META.get("HTTP_ACCEPT", "")  # not ``request.headers``: it copies every header
        if args or not is_plain_json_get(request.method, accept, request.GET):
            return super().dispatch(request, *args, **kwargs)
        try:
            self.check_throttles(request)
            data = self.plain_get(request, **kwargs)
        except Exception as exc:  # noqa: BLE001 - as DRF's dispatch: every error is answered by DRF
            return self._drf_error(request, exc, kwargs)
        response = HttpResponse(_RENDERER.render(data), content_type=_RENDERER.media_type)
        for name, value in self.default_response_headers.items():  # Allow, Vary: Accept
            response[name] = value
        return response

    def _drf_error(self, request, exc, kwargs):
        """What DRF's ``dispatch`` answers when ``exc`` is raised after its checks."""
        self.args, self.kwargs = (), kwargs
        request = self.request = self.initialize_request(request, **kwargs)
        self.headers = self.default_response_headers
        self.format_kwarg = self.get_format_suffix(**kwargs)
        request.accepted_renderer, request.accepted_media_type = self.perform_content_negotiation(request)
        return self.finalize_response(request, self.handle_exception(exc), **kwargs)
