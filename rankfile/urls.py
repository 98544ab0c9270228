from django.urls import include, path

from rankfile.web import views as web_views

urlpatterns = [
    path("", include("rankfile.web.urls")),
    path("", include("rankfile.accounts.urls")),
    # One address per account, set by the invitation: allauth's page for adding more is not offered.
    path("accounts/email/", web_views.page_not_found),
    path("accounts/", include("allauth.urls")),
    path("ledger/", include("rankfile.ledger.urls")),
    path("org/", include("rankfile.org.urls")),
    path("", include("rankfile.cases.urls")),  # report/… for reporters, cases/… for the people who handle reports
    path("", include("rankfile.governance.urls")),  # mandates/… for members, public/mandates/… for anyone
    path("elections/", include("rankfile.elections.urls")),
    path("voice/", include("rankfile.voice.urls")),
    path("", include("rankfile.transparency.urls")),  # transparency/… for members, public/transparency/… for anyone
    path("api/", include("rankfile.api.urls")),
]

handler400 = "rankfile.web.views.bad_request"
handler403 = "rankfile.web.views.permission_denied"
handler404 = "rankfile.web.views.page_not_found"
handler500 = "rankfile.web.views.server_error"
