from django.urls import include, path

from rankfile.voice import statement_views, views

app_name = "voice"
urlpatterns = [
    path("", views.index, name="index"),
    path("bulletin/", include("rankfile.voice.bulletin_urls")),
    path("caucuses/new/", views.caucus_new, name="caucus_new"),
    path("caucuses/<int:pk>/", views.caucus_detail, name="caucus_detail"),
    path("caucuses/<int:pk>/files/", views.caucus_file_add, name="caucus_file_add"),
    path("caucuses/<int:pk>/files/<int:file_pk>/", views.caucus_file, name="caucus_file"),
    path("caucuses/<int:pk>/meetings/", views.caucus_meeting_schedule, name="caucus_meeting_schedule"),
    path(
        "caucuses/<int:pk>/meetings/<int:meeting_pk>/minutes/", views.caucus_minutes_write, name="caucus_minutes_write"
    ),
    path("caucuses/<int:pk>/invite/", views.caucus_invite, name="caucus_invite"),
    path("caucuses/<int:pk>/invitation/", views.caucus_invitation_answer, name="caucus_invitation_answer"),
    path("caucuses/<int:pk>/support-card/", views.caucus_support_card, name="caucus_support_card"),
    path("caucuses/<int:pk>/support-card/name/", views.support_card_name, name="support_card_name"),
    path("support/<int:pk>/", views.support_message, name="support_message"),
    path("caucuses/<int:pk>/sign/", views.caucus_sign, name="caucus_sign"),
    path("caucuses/<int:pk>/join/", views.caucus_join, name="caucus_join"),
    path("caucuses/<int:pk>/leave/", views.caucus_leave, name="caucus_leave"),
    path("caucuses/<int:pk>/requests/<int:member_pk>/approve/", views.join_approve, name="join_approve"),
    path("concerns/new/", views.concern_new, name="concern_new"),
    path("concerns/<str:reference>/", views.concern_detail, name="concern_detail"),
    path("concerns/<str:reference>/close/", views.concern_close, name="concern_close"),
    path("concerns/<str:reference>/support/", views.concern_support, name="concern_support"),
    path("concerns/<str:reference>/petition/", views.concern_petition, name="concern_petition"),
    path("petitions/new/", views.petition_new, name="petition_new"),
    path("petitions/<str:reference>/", views.petition_detail, name="petition_detail"),
    path("petitions/<str:reference>/sign/", views.petition_sign, name="petition_sign"),
    path("petitions/<str:reference>/withdraw/", views.petition_withdraw, name="petition_withdraw"),
    path("caucuses/<int:pk>/statements/new/", statement_views.caucus_statement_new, name="caucus_statement_new"),
    path("statements/", statement_views.statement_list, name="statement_list"),
    path("statements/new/", statement_views.statement_new, name="statement_new"),
    path("statements/<str:reference>/", statement_views.statement_detail, name="statement_detail"),
    path("public/statements/", statement_views.public_statement_list, name="public_statement_list"),
    path("public/statements/feed.atom", statement_views.public_statement_feed, name="public_statement_feed"),
    path(
        "public/statements/<str:reference>/",
        statement_views.public_statement_detail,
        name="public_statement_detail",
    ),
    path("meetings/", statement_views.members_meeting_list, name="members_meeting_list"),
    path("meetings/new/", statement_views.members_meeting_new, name="members_meeting_new"),
    path("meetings/<str:reference>/", statement_views.members_meeting_detail, name="members_meeting_detail"),
    path("meetings/<str:reference>/attend/", statement_views.members_meeting_attend, name="members_meeting_attend"),
]
