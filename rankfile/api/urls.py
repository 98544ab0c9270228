from django.urls import path

from rankfile.api import views

app_name = "api"
urlpatterns = [
    path("health", views.health, name="health"),
]
