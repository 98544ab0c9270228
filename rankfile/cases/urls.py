from django.urls import path

from rankfile.cases.pages import appeals, declaration, investigations, letters, overrides, panel, party, reports

app_name = "cases"
urlpatterns = [
    path("report/", reports.report_start, name="report_start"),
    path("report/receipt/", reports.report_receipt, name="report_receipt"),
    path("report/receipt/download/", reports.report_receipt_download, name="report_receipt_download"),
    path("report/end/", reports.report_session_end, name="report_session_end"),
    path("report/<int:pk>/", reports.report_page, name="report"),
    path("report/<int:pk>/edit/", reports.report_edit, name="report_edit"),
    path("report/<int:pk>/save/", reports.report_autosave, name="report_autosave"),
    path("report/<int:pk>/send/", reports.report_send, name="report_send"),
    path("report/<int:pk>/read/", reports.report_read, name="report_read"),
    path("report/<int:pk>/filing-receipt/", reports.report_filing_receipt, name="report_filing_receipt"),
    path("report/<int:pk>/withdraw/", reports.report_withdraw, name="report_withdraw"),
    path("report/<int:pk>/conflict/<int:person_pk>/", reports.report_conflict, name="report_conflict"),
    path("report/<int:pk>/delete/", reports.report_delete, name="report_delete"),
    path("report/<int:pk>/files/<int:file_pk>/", reports.report_file, name="report_file"),
    path("cases/", reports.inbox, name="inbox"),
    path("cases/<int:pk>/", reports.handler_report, name="handler_report"),
    path("cases/<int:pk>/step-down/", reports.handler_step_down, name="handler_step_down"),
    path("cases/<int:pk>/files/<int:file_pk>/", reports.handler_file, name="handler_file"),
    # Cases: the panel's workspace, a candidate's declaration, the parties' pages, the appeals body's page.
    path("cases/case/<str:reference>/", panel.case_workspace, name="workspace"),
    path("cases/case/<str:reference>/files/<int:pk>/", panel.workspace_file, name="workspace_file"),
    path(
        "cases/case/<str:reference>/reports/<int:report_pk>/files/<int:pk>/",
        panel.workspace_report_file,
        name="workspace_report_file",
    ),
    path(
        "cases/case/<str:reference>/decision/<int:pk>.pdf",
        letters.workspace_decision_pdf,
        name="workspace_decision_pdf",
    ),
    path("cases/panel/<str:reference>/", declaration.panel_declaration, name="panel_declaration"),
    path("cases/mine/", party.my_cases, name="my_cases"),
    path("cases/mine/<str:reference>/", party.party_case, name="party_case"),
    path("cases/mine/<str:reference>/files/<int:pk>/", party.party_file, name="party_file"),
    path("cases/mine/<str:reference>/advisers/", party.party_adviser_search, name="party_adviser_search"),
    path(
        "cases/advise/<str:reference>/<int:party_pk>/",
        party.adviser_invitation,
        name="adviser_invitation",
    ),
    path(
        "cases/mine/<str:reference>/decision/<int:pk>.pdf",
        letters.party_decision_pdf,
        name="party_decision_pdf",
    ),
    path("cases/appeal/<str:reference>/", appeals.appeal_case, name="appeal_case"),
    path("cases/investigations/new/", investigations.investigation_new, name="investigation_new"),
    path("decisions/overrides/", overrides.overrides, name="overrides"),
]
