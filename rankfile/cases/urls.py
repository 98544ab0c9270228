from django.urls import path

from rankfile.cases import views

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
]
