from django.urls import path

from rankfile.elections import views

app_name = "elections"
urlpatterns = [
    path("", views.election_list, name="list"),
    path("new/", views.election_call, name="call"),
    path("self-identification/", views.self_identification, name="self_identification"),
    path("<str:reference>/", views.election_detail, name="detail"),
    path("<str:reference>/nominations/<int:number>/answer/", views.nomination_answer, name="nomination_answer"),
    path("<str:reference>/floor-nominations/", views.floor_nomination, name="floor_nomination"),
    path("<str:reference>/open-voting/", views.voting_open, name="voting_open"),
    path("<str:reference>/vote/", views.vote, name="vote"),
    path("<str:reference>/ballots/", views.ballots, name="ballots"),
    path("<str:reference>/paper-count/", views.paper_count, name="paper_count"),
    path("<str:reference>/count/", views.count, name="count"),
    path("<str:reference>/results/", views.results, name="results"),
    path("<str:reference>/seat/", views.seat_winners, name="seat_winners"),
]
