"""Database triggers that keep decided decisions as they were decided (DESIGN.md invariant 8).

Findings, sanctions and overrides are never updated or deleted; a decision's row is never changed or deleted once
it is final. The paths that change what a decision does (an appeal, an override) add rows; they edit none. Like the
ledger's triggers, these stop mistakes and every code path, page or shell that would quietly rewrite a decision;
someone who owns the database can drop them, and the ledger's hashes of the sealed letters and its entries for every
decision then show what was changed.
"""

from django.db.backends.base.base import BaseDatabaseWrapper

FIXED_TABLES = ["cases_finding", "cases_sanction", "cases_override"]


def create_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        statements = [
            """
            CREATE OR REPLACE FUNCTION cases_refuse_change() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'decisions are binding: % on % refused', TG_OP, TG_TABLE_NAME
                    USING ERRCODE = 'insufficient_privilege';
            END;
            $$ LANGUAGE plpgsql
            """
        ]
        statements += [
            f"CREATE TRIGGER {table}_fixed BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION cases_refuse_change()"
            for table in FIXED_TABLES
        ]
        statements.append(
            "CREATE TRIGGER cases_decision_final BEFORE UPDATE OR DELETE ON cases_decision "
            "FOR EACH ROW WHEN (OLD.status = 'final') EXECUTE FUNCTION cases_refuse_change()"
        )
        return statements
    if vendor == "sqlite":
        statements = []
        for table in FIXED_TABLES:
            for operation in ("UPDATE", "DELETE"):
                statements.append(
                    f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'decisions are binding: {operation} on {table} refused'); END"
                )
        for operation in ("UPDATE", "DELETE"):
            statements.append(
                f"CREATE TRIGGER cases_decision_final_no_{operation.lower()} BEFORE {operation} ON cases_decision "
                f"WHEN OLD.status = 'final' "
                f"BEGIN SELECT RAISE(ABORT, 'decisions are binding: {operation} on a final decision refused'); END"
            )
        return statements
    raise NotImplementedError(f"no triggers for decisions on the {vendor} database")


def drop_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        statements = [f"DROP TRIGGER IF EXISTS {table}_fixed ON {table}" for table in FIXED_TABLES]
        statements.append("DROP TRIGGER IF EXISTS cases_decision_final ON cases_decision")
        return [*statements, "DROP FUNCTION IF EXISTS cases_refuse_change()"]
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {name}_no_{operation}"
            for name in [*FIXED_TABLES, "cases_decision_final"]
            for operation in ("update", "delete")
        ]
    raise NotImplementedError(f"no triggers for decisions on the {vendor} database")


def create(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in create_sql(connection.vendor):
            cursor.execute(statement)


def drop(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in drop_sql(connection.vendor):
            cursor.execute(statement)
