from django.urls import include, path

from api.calendar import DueDateView

from . import dossiers, forms, periodic, public, whatif
from .auth import TokenView

app_name = "api"

urlpatterns = [
    # The citizen's endpoints first: the lookup is the request anyone can make at any rate, and each
    # pattern tried before it (an include tries all of its own) costs it time.
    path("public/dossiers/<code:code>/", public.PublicDossierView.as_view(), name="public-dossier"),
    path("public/dossiers/<code:code>/rating/", public.PublicRatingView.as_view(), name="public-rating"),
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("", include("api.procedures")),  # catalog: /procedures/, /procedures/{code}/
    path("", include("api.notifications")),  # notifications and the supervisors' deadline queue
    path("reports/what-if/", whatif.WhatIfView.as_view(), name="report-what-if"),  # proposed cut
    path("reports/periodic/", periodic.PeriodicListView.as_view(), name="report-periodic"),
    path(
        "reports/periodic/<int:pk>/<slug:file>",
        periodic.PeriodicFileView.as_view(),
        name="report-periodic-file",
    ),
    path("reports/", include("api.reports")),  # statistics for leadership
    path("portal/", include("api.portal")),  # the national portal's outbox (supervisors)
    path("reports/", include("api.eventlog")),  # event log (XES, OCEL 2.0) and conformance
    path("", include("api.opendata")),  # the public open-data catalogue and datasets
]

urlpatterns += [path("calendar/due-date/", DueDateView.as_view(), name="calendar-due-date")]  # calendar

urlpatterns += [  # dossiers and tasks
    path("dossiers/", dossiers.DossierListCreateView.as_view(), name="dossier-list"),
    path("dossiers/refusals/", dossiers.RefusalCreateView.as_view(), name="dossier-refusals"),
    path("dossiers/<code:code>/", dossiers.DossierDetailView.as_view(), name="dossier-detail"),
    path("dossiers/<code:code>/supplement/", dossiers.SupplementView.as_view(), name="dossier-supplement"),
    path("dossiers/<code:code>/extend/", dossiers.ExtendView.as_view(), name="dossier-extend"),
    path("dossiers/<code:code>/withdraw/", dossiers.WithdrawView.as_view(), name="dossier-withdraw"),
    path(
        "dossiers/<code:code>/return-result/",
        dossiers.ReturnResultView.as_view(),
        name="dossier-return-result",
    ),
    path("tasks/", dossiers.TaskListView.as_view(), name="task-list"),
    path("tasks/<int:pk>/claim/", dossiers.ClaimView.as_view(), name="task-claim"),
    path("tasks/<int:pk>/release/", dossiers.ReleaseView.as_view(), name="task-release"),
    path("tasks/<int:pk>/complete/", dossiers.CompleteView.as_view(), name="task-complete"),
    path("tasks/<int:pk>/reassign/", dossiers.ReassignView.as_view(), name="task-reassign"),
]

urlpatterns += [  # printed forms (printing/)
    path("dossiers/<code:code>/forms/<slug:form>.pdf", forms.DossierFormView.as_view(), name="dossier-form"),
    path("reports/tracking-book/", forms.TrackingBookView.as_view(), name="report-tracking-book"),
]
