"""The documentation is whole: no leftover merge markers, and every term of the glossary once, in order."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^(<<<<<<< |=======$|>>>>>>> )", re.MULTILINE)


def test_no_document_holds_a_merge_marker():
    documents = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    assert [str(d.relative_to(ROOT)) for d in documents if MARKER.search(d.read_text(encoding="utf-8"))] == []


def test_the_glossary_lists_each_term_once_in_alphabetical_order():
    terms = re.findall(r"^\*\*(.+?)\.\*\*", (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8"), re.MULTILINE)
    assert len(terms) > 40
    assert terms == sorted(terms, key=str.lower)
    assert len({t.lower() for t in terms}) == len(terms)
