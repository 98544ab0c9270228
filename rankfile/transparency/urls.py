from django.urls import path

from rankfile.transparency import views

app_name = "transparency"
urlpatterns = [
    path("transparency/", views.report_list, name="report_list"),
    path("transparency/<int:pk>/", views.report_detail, name="report_detail"),
    path("transparency/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("transparency/<int:pk>/report.csv", views.report_csv, name="report_csv"),
    path("transparency/<int:pk>/publish/", views.report_publish, name="report_publish"),
    path("public/transparency/", views.public_list, name="public_list"),
    path("public/transparency/<int:pk>/", views.public_detail, name="public_detail"),
    path("public/transparency/<int:pk>/report.pdf", views.public_pdf, name="public_pdf"),
    path("public/transparency/<int:pk>/report.csv", views.public_csv, name="public_csv"),
]
