from django.urls import path

from rankfile.governance import views

app_name = "governance"
urlpatterns = [
    path("mandates/", views.tracker, name="tracker"),
    path("mandates/calendar.ics", views.calendar, name="calendar"),
    path("mandates/calendar/renew/", views.calendar_feed_renew, name="calendar_feed_renew"),
    path("mandates/calendar/stop/", views.calendar_feed_stop, name="calendar_feed_stop"),
    path("mandates/calendar/<str:token>.ics", views.private_calendar, name="private_calendar"),
    path("mandates/export.csv", views.export_csv, name="export_csv"),
    path("mandates/<str:reference>/", views.mandate_detail, name="mandate_detail"),
    path("mandates/<str:reference>/follow/", views.mandate_follow, name="mandate_follow"),
    path("mandates/<str:reference>/unfollow/", views.mandate_unfollow, name="mandate_unfollow"),
    path("mandates/<str:reference>/amend/", views.mandate_amend, name="mandate_amend"),
    path("mandates/<str:reference>/extend/", views.mandate_extend, name="mandate_extend"),
    path("mandates/<str:reference>/rescind/", views.mandate_rescind, name="mandate_rescind"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<str:reference>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<str:reference>/report.pdf", views.meeting_report, name="meeting_report"),
    path("meetings/<str:reference>/agenda/", views.meeting_agenda, name="meeting_agenda"),
    path("meetings/<str:reference>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<str:reference>/departure/", views.meeting_depart, name="meeting_depart"),
    path("meetings/<str:reference>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("meetings/<str:reference>/motions/", views.motion_create, name="motion_create"),
    path("meetings/<str:reference>/motions/<int:number>/withdraw/", views.motion_withdraw, name="motion_withdraw"),
    path("meetings/<str:reference>/motions/<int:number>/vote/", views.vote_create, name="vote_create"),
    path("meetings/<str:reference>/motions/<int:number>/mandates/new/", views.mandate_adopt, name="mandate_adopt"),
    path("meetings/<str:reference>/motions/<int:number>/seat/", views.seat_by_vote, name="seat_by_vote"),
    path(
        "meetings/<str:reference>/motions/<int:number>/eligibility-override/",
        views.eligibility_override,
        name="eligibility_override",
    ),
    path("public/mandates/", views.public_tracker, name="public_tracker"),
    path("public/mandates/calendar.ics", views.public_calendar, name="public_calendar"),
    path("public/mandates/<str:reference>/", views.public_mandate_detail, name="public_mandate_detail"),
]
