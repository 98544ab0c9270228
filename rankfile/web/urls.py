from django.urls import path

from rankfile.web import overdue, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("overdue/", overdue.overdue_list, name="overdue"),
]
