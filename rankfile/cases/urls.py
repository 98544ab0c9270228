from django.urls import path

from rankfile.cases import override_views, views, workspace_views

app_name = "cases"
urlpatterns = [
    path("report/", views.report_start, name="report_start"),
    path("report/receipt/", views.report_receipt, name="report_receipt"),
    path("report/<int:pk>/", views.report_page, name="report"),
    path("report/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("report/<int:pk>/save/", views.report_autosave, name="report_autosave"),
    path("report/<int:pk>/send/", views.report_send, name="report_send"),
    path("report/<int:pk>/read/", views.report_read, name="report_read"),
    path("report/<int:pk>/withdraw/", views.report_withdraw, name="report_withdraw"),
    path("report/<int:pk>/conflict/<int:person_pk>/", views.report_conflict, name="report_conflict"),
    path("report/<int:pk>/delete/", views.report_delete, name="report_delete"),
    path("report/<int:pk>/files/<int:file_pk>/", views.report_file, name="report_file"),
    path("cases/", views.inbox, name="inbox"),
    path("cases/<int:pk>/", views.handler_report, name="handler_report"),
    path("cases/<int:pk>/files/<int:file_pk>/", views.handler_file, name="handler_file"),
    # Cases: the panel's workspace, a candidate's declaration, the parties' pages, the appeals body's page.
    path("cases/case/<str:reference>/", workspace_views.case_workspace, name="workspace"),
    path("cases/case/<str:reference>/files/<int:pk>/", workspace_views.workspace_file, name="workspace_file"),
    path(
        "cases/case/<str:reference>/reports/<int:report_pk>/files/<int:pk>/",
        workspace_views.workspace_report_file,
        name="workspace_report_file",
    ),
    path(
        "cases/case/<str:reference>/decision/<int:pk>.pdf",
        workspace_views.workspace_decision_pdf,
        name="workspace_decision_pdf",
    ),
    path("cases/panel/<str:reference>/", workspace_views.panel_declaration, name="panel_declaration"),
    path("cases/mine/", workspace_views.my_cases, name="my_cases"),
    path("cases/mine/<str:reference>/", workspace_views.party_case, name="party_case"),
    path("cases/mine/<str:reference>/files/<int:pk>/", workspace_views.party_file, name="party_file"),
    path("cases/mine/<str:reference>/advisers/", workspace_views.party_adviser_search, name="party_adviser_search"),
    path(
        "cases/advise/<str:reference>/<int:party_pk>/",
        workspace_views.adviser_invitation,
        name="adviser_invitation",
    ),
    path(
        "cases/mine/<str:reference>/decision/<int:pk>.pdf",
        workspace_views.party_decision_pdf,
        name="party_decision_pdf",
    ),
    path("cases/appeal/<str:reference>/", workspace_views.appeal_case, name="appeal_case"),
    path("cases/investigations/new/", workspace_views.investigation_new, name="investigation_new"),
    path("decisions/overrides/", override_views.overrides, name="overrides"),
]
