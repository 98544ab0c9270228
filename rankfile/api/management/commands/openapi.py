from typing import Any

from django.core.management.base import BaseCommand

from rankfile.api.endpoints import openapi_document


class Command(BaseCommand):
    help = "Print the API's OpenAPI document (docs/openapi.json: rankfile openapi > docs/openapi.json)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(openapi_document(), ending="")
