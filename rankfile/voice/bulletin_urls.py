"""The discussion bulletin's routes, under /voice/bulletin/ in the voice namespace."""

from django.urls import path

from rankfile.voice import bulletin_views as views

urlpatterns = [
    path("", views.bulletin_index, name="bulletin"),
    path("feed/", views.bulletin_feed, name="bulletin_feed"),
    path("contribute/", views.contribution_new, name="contribution_new"),
    path("publish/", views.issue_publish, name="issue_publish"),
    path("contributions/<int:pk>/", views.contribution_detail, name="contribution_detail"),
    path("contributions/<int:pk>/accept/", views.contribution_accept, name="contribution_accept"),
    path("contributions/<int:pk>/reject/", views.contribution_reject, name="contribution_reject"),
    path("contributions/<int:pk>/edit/", views.contribution_edit, name="contribution_edit"),
    path("contributions/<int:pk>/edit/accept/", views.edit_accept, name="edit_accept"),
    path("contributions/<int:pk>/edit/decline/", views.edit_decline, name="edit_decline"),
    path("issues/<int:number>/", views.issue_detail, name="issue_detail"),
    path("issues/<int:number>.pdf", views.issue_pdf, name="issue_pdf"),
]
