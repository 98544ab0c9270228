from django.urls import path

from rankfile.accounts import recovery_views, views

app_name = "accounts"
urlpatterns = [
    path("invite/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("welcome/", views.welcome, name="welcome"),
    path("invitations/", views.invitation_list, name="invitation_list"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    # allauth's pages at allauth's addresses, ahead of allauth's own routes: they also keep the person's key unlocked.
    path("accounts/password/change/", views.password_change, name="password_change"),
    path("accounts/password/set/", views.password_set, name="password_set"),
    path("account/api-tokens/", views.api_token_list, name="api_tokens"),
    path("account/api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("recovery/", recovery_views.recovery_requests, name="recovery_requests"),
    path("recovery/setup/", recovery_views.recovery_setup, name="recovery_setup"),
    path("recovery/<int:pk>/approve/", recovery_views.recovery_approve, name="recovery_approve"),
]
