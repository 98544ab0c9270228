from django.urls import path

from rankfile.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.entry_list, name="entry_list"),
    path("checkpoint/", views.checkpoint_latest, name="checkpoint"),
    path("checkpoint.txt", views.checkpoint_latest_text, name="checkpoint_text"),
    path("entries/<int:seq>/proof/", views.entry_proof, name="entry_proof"),
    path("receipt/", views.receipt_check, name="receipt_check"),
    path("witness/add-checkpoint", views.witness_add_checkpoint, name="witness_add_checkpoint"),
]
