from django.urls import path

from rankfile.org import views

app_name = "org"
urlpatterns = [
    path("bodies/", views.body_list, name="body_list"),
    path("bodies/<slug:slug>/", views.body_detail, name="body_detail"),
    path("people/", views.person_list, name="person_list"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("me/", views.my_membership, name="my_membership"),
    path("bylaws/", views.bylaws_current, name="bylaws"),
    path("bylaws/adopt/", views.bylaws_adopt, name="bylaws_adopt"),
    path("bylaws/<int:number>/", views.bylaws_version, name="bylaws_version"),
]
