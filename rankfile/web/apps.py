from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "rankfile.web"
    label = "web"
    verbose_name = _("Web")

    def ready(self) -> None:
        from rankfile import lookups  # noqa: F401  (a number no column holds matches no row, in ``in`` too)
