"""The app's URLs plus ``/bench/trivial``: a Django view returning a small JSON body, no database."""

from django.http import JsonResponse
from django.urls import include, path


def trivial(request):
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/trivial", trivial), path("", include("onestop.urls"))]
