"""What the benchmarks share: scratch PostgreSQL databases and the table they print."""

from collections.abc import Sequence
from urllib.parse import urlsplit, urlunsplit


def ratio_text(ratio: float | None) -> str:
    if ratio is None:
        return "-"
    return f"{ratio:,.2f}x" if ratio >= 0.01 else f"{ratio:.1g}x"


def met_text(met: bool | None) -> str:
    return "-" if met is None else ("yes" if met else "NO")


def render_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table with its columns padded to line up."""
    cells = [list(header), *(list(row) for row in rows)]
    widths = [max(len(line[column]) for line in cells) for column in range(len(header))]

    def line(values: Sequence[str]) -> str:
        return "| " + " | ".join(value.ljust(width) for value, width in zip(values, widths, strict=True)) + " |"

    separator = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(cells[0]), separator, *(line(values) for values in cells[1:])])


def postgres_admin(url: str, statement: str) -> None:
    """Run a statement (CREATE or DROP DATABASE) through the server's ``postgres`` database."""
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    try:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(statement)
    except psycopg.OperationalError as exc:
        raise SystemExit(
            f"PostgreSQL is not reachable ({exc}).\nGive --postgres-url, or leave it out: --databases sqlite"
        ) from None


def scratch_database_name(url: str) -> str:
    """The database a benchmark may drop: its name must say it is one."""
    name = urlsplit(url).path.lstrip("/")
    if "bench" not in name or not name.replace("_", "").isalnum():
        raise SystemExit(f"refusing to use {name!r} as a scratch database: its name must contain 'bench'")
    return name
