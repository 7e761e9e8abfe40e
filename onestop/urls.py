from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path
from django.views.defaults import page_not_found
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from citizen.statistics_page import statistics
from core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI and ReDoc come from drf-spectacular-sidecar's static files: no CDN (an intranet works).
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path(
        "api/redoc/",
        SpectacularRedocView.as_view(url_name="schema", template_name="api/redoc.html"),
        name="api-redoc",
    ),
    path("api/v1/", include("api.urls")),
    path("tra-cuu/", include("citizen.urls")),
    path("thong-ke/", statistics, name="citizen-statistics"),  # public statistics (open data)
    path("dashboard/", include("leadership.urls")),
    path("", include("staffui.urls")),
]


def api_aware_not_found(request, exception):
    """A JSON 404 in the API's error shape under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        from api.exceptions import error_body

        return JsonResponse(error_body("not_found", "Không tìm thấy."), status=404)
    return page_not_found(request, exception)


handler404 = api_aware_not_found
