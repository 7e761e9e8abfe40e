"""Login with a throttle on failed attempts, logout, and the home page that picks a queue."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from core.roles import Role, has_role

# Failed attempts allowed per window, per client address and per username.
FAILURES_PER_ADDRESS = 20
FAILURES_PER_USERNAME = 5
WINDOW_SECONDS = 15 * 60


def client_address(request) -> str:
    """The peer address, or the one ``ONESTOP_NUM_PROXIES`` hops back in X-Forwarded-For (the
    same rule as the API's rate limits)."""
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES", 0) or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "")


def _keys(request, username: str) -> list[tuple[str, int]]:
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [
        (f"staffui:login-fail:addr:{client_address(request)}", FAILURES_PER_ADDRESS),
        (f"staffui:login-fail:user:{name}", FAILURES_PER_USERNAME),
    ]


def is_throttled(request, username: str) -> bool:
    return any((cache.get(key) or 0) >= limit for key, limit in _keys(request, username))


def record_failure(request, username: str) -> None:
    for key, _limit in _keys(request, username):
        if cache.add(key, 1, WINDOW_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, WINDOW_SECONDS)


class LoginView(auth_views.LoginView):
    template_name = "staffui/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        if is_throttled(request, username):
            messages.error(
                request,
                _("Too many failed login attempts. Please wait %(minutes)d minutes and try again.")
                % {"minutes": WINDOW_SECONDS // 60},
            )
            return self.render_to_response(self.get_context_data(form=self.form_class(request)), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # A success forgets the username's failures (the address's count stands).
        cache.delete(_keys(self.request, self.request.POST.get("username", ""))[1][0])
        return super().form_valid(form)

    def form_invalid(self, form):
        record_failure(self.request, self.request.POST.get("username", ""))
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    next_page = "staffui:login"


def home_url(user) -> str:
    if has_role(user, Role.RECEPTION):
        return "staffui:reception"
    if has_role(user, Role.SPECIALIST, Role.HEAD):
        return "staffui:tasks"
    if has_role(user, Role.SUPERVISOR, Role.ADMIN):
        return "staffui:board"
    return "staffui:dossiers"


def home(request):
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    return redirect(home_url(request.user))
