"""The API's operations that need no sign-in: the health check, and an entry's inclusion proof."""

from typing import Annotated, Any

from django.db import connection
from django.http import HttpRequest
from ninja import Path, Router

from rankfile.api import schemas
from rankfile.errors import NotAllowed
from rankfile.ledger import queries as ledger_queries

router = Router()


@router.get("/health", response=schemas.Health, url_name="health", operation_id="health", tags=["health"])
def health(request: HttpRequest) -> dict[str, str]:
    """For monitors and load balancers: the process is up and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok"}


@router.get(
    "/ledger/entries/{seq}/proof",
    response={200: schemas.InclusionProof, 400: schemas.Problem, 404: schemas.Problem},
    url_name="ledger_entry_proof",
    operation_id="ledger_entry_proof",
    summary="An entry's inclusion proof",
    tags=["ledger"],
)
def ledger_entry_proof(request: HttpRequest, seq: Annotated[int, Path(ge=1, le=2**63 - 1)]) -> dict[str, Any]:
    """Proof that the entry is in the tree signed by the latest checkpoint that covers it (RFC 9162). Only hashes:
    anyone may check it. 404 until a checkpoint covers the entry."""
    ledger_queries.entry_for_proof(seq=seq)
    try:
        proof = ledger_queries.inclusion_proof(seq=seq)
    except LookupError:
        raise NotAllowed("no signed checkpoint covers this entry yet") from None
    return {**proof.as_dict(), "verified": proof.verified}
