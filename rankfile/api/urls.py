from django.urls import URLPattern, URLResolver

from rankfile.api.endpoints import api
from rankfile.api.problems import method_not_allowed

app_name = "api"


def _answering_405_as_problems(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = method_not_allowed(pattern.callback)
    return patterns


urlpatterns = _answering_405_as_problems(api.urls[0])
