from django.urls import path

from rankfile.api import views
from rankfile.cases import api as cases_api
from rankfile.ledger import views as ledger_views

app_name = "api"
urlpatterns = [
    path("health", views.health, name="health"),
    path("ledger/entries/<int:seq>/proof", ledger_views.entry_proof_json, name="ledger_entry_proof"),
    path("cases/<str:reference>", cases_api.case_state, name="case_state"),
    path("cases/<str:reference>/steps/<str:step>", cases_api.case_step, name="case_step"),
]
