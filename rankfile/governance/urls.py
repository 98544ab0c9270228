from django.urls import path

from rankfile.governance import views

app_name = "governance"
urlpatterns = [
    path("mandates/", views.tracker, name="tracker"),
    path("mandates/calendar.ics", views.calendar, name="calendar"),
    path("mandates/export.csv", views.export_csv, name="export_csv"),
    path("mandates/<str:reference>/", views.mandate_detail, name="mandate_detail"),
    path("mandates/<str:reference>/follow/", views.mandate_follow, name="mandate_follow"),
    path("mandates/<str:reference>/unfollow/", views.mandate_unfollow, name="mandate_unfollow"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/<str:reference>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<str:reference>/report.pdf", views.meeting_report, name="meeting_report"),
    path("public/mandates/", views.public_tracker, name="public_tracker"),
    path("public/mandates/calendar.ics", views.public_calendar, name="public_calendar"),
    path("public/mandates/<str:reference>/", views.public_mandate_detail, name="public_mandate_detail"),
]
