"""The one API: its operations, who may call them, how refusals read, and its OpenAPI document."""

import json
from typing import Any

from ninja import NinjaAPI

from rankfile import problems as shared_problems
from rankfile.api import cases, problems, views


class RankfileAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """ninja describes every answer as application/json; a refusal is application/problem+json."""
        document = super().get_openapi_schema(**kwargs)
        for operations in document["paths"].values():
            for operation in operations.values():
                for status, response in operation["responses"].items():
                    if int(status) >= 400 and "content" in response:
                        response["content"] = {shared_problems.CONTENT_TYPE: response["content"]["application/json"]}
        return document


api = RankfileAPI(
    title="Rankfile",
    version="1",
    description=(
        "The same actions as the pages, as JSON: where a case stands, and each step of it. Refusals are RFC 9457 "
        "problem documents with a stable `code`. See docs/api.md."
    ),
    urls_namespace="api",
    docs_url="/docs",  # ninja's Swagger UI, from its own static files
)
problems.install(api)
api.add_router("", views.router)
api.add_router("", cases.router)


def openapi_document() -> str:
    """The OpenAPI document as served at /api/openapi.json, as docs/openapi.json holds it (``rankfile openapi``)."""
    return json.dumps(api.get_openapi_schema(path_prefix="/api/"), indent=2, ensure_ascii=False) + "\n"
