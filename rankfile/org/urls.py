from django.urls import path

from rankfile.org import import_views, views

app_name = "org"
urlpatterns = [
    path("bodies/", views.body_list, name="body_list"),
    path("bodies/new/", views.body_create, name="body_create"),
    path("bodies/<slug:slug>/", views.body_detail, name="body_detail"),
    path("bodies/<slug:slug>/leave/", views.caucus_leave, name="caucus_leave"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/status/", views.person_status_change, name="person_status_change"),
    path("people/<int:pk>/seat/", views.person_seat, name="person_seat"),
    path("people/<int:pk>/account/", views.person_account_link, name="person_account_link"),
    path("people/<int:pk>/email/", views.person_email, name="person_email"),
    path("seats/<int:pk>/end/", views.seat_end, name="seat_end"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("me/", views.my_membership, name="my_membership"),
    path("import/", import_views.import_members, name="import_members"),
    path("bylaws/", views.bylaws_current, name="bylaws"),
    path("bylaws/adopt/", views.bylaws_adopt, name="bylaws_adopt"),
    path("bylaws/<int:number>/", views.bylaws_version, name="bylaws_version"),
]
