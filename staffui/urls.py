"""The staff web UI: server-rendered pages over the services, selectors and permissions."""

from django.urls import include, path

from .views import auth, board, dossiers, portal, reception, tasks

app_name = "staffui"
urlpatterns = [
    path("", auth.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("reception/", reception.reception, name="reception"),
    path("reception/register/", reception.register, name="register"),
    path("reception/registered/<str:code>/", reception.registered, name="registered"),
    path("tasks/", tasks.task_queue, name="tasks"),
    path("tasks/<int:task_id>/", tasks.task_detail, name="task"),
    path("tasks/<int:task_id>/claim/", tasks.task_claim, name="task-claim"),
    path("tasks/<int:task_id>/release/", tasks.task_release, name="task-release"),
    path("tasks/<int:task_id>/decide/", tasks.task_decide, name="task-decide"),
    path("tasks/<int:task_id>/reassign/", tasks.task_reassign, name="task-reassign"),
    path("dossiers/", dossiers.dossier_list, name="dossiers"),
    path("dossiers/<str:code>/", dossiers.dossier_detail, name="dossier"),
    path("dossiers/<str:code>/supplement/", dossiers.dossier_supplement, name="dossier-supplement"),
    path("dossiers/<str:code>/withdraw/", dossiers.dossier_withdraw, name="dossier-withdraw"),
    path("dossiers/<str:code>/return/", dossiers.dossier_return, name="dossier-return"),
    path("dossiers/<str:code>/extend/", dossiers.dossier_extend, name="dossier-extend"),
    path("board/", board.board, name="board"),
    path("board/portal/", portal.portal_outbox, name="portal"),
    path("board/portal/<int:row_id>/retry/", portal.portal_retry, name="portal-retry"),
]
