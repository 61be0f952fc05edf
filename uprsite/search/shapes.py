"""The named shapes of the records Python writes for indexer.js, and the lists both sides share.

Declared once, in shapes.json, which indexer.js reads too. A review's
documents stay rows (one list per recommendation, fields in the declared
order): there are some 160,000 of them, and rows are what makes their JSON
small and quick to read; the plan's rows per review are few, and go as
objects with named keys.
"""

from __future__ import annotations

import json
from pathlib import Path

SHAPES = json.loads((Path(__file__).resolve().parent / "shapes.json").read_text(encoding="utf-8"))
REVIEW: list[str] = SHAPES["review"]
DOCUMENT: list[str] = SHAPES["document"]
REVIEW_FACETS: list[str] = SHAPES["reviewFacets"]
LIST_FACETS: list[str] = SHAPES["listFacets"]
FACETS: list[str] = SHAPES["facets"]  # in the order of the search page
LUNR_FILES: list[str] = SHAPES["lunrFiles"]  # under node_modules/


def review_record(**fields) -> dict:
    """A review of the plan, with exactly the declared fields."""
    if list(fields) != REVIEW:
        raise ValueError(f"a plan review has the fields {REVIEW}, not {list(fields)}")
    return fields


def check_document_fields(written: tuple[str, ...]) -> None:
    """Fail unless a writer of document rows writes the declared fields in the declared order."""
    if list(written) != DOCUMENT:
        raise ValueError(f"a search document row has the fields {DOCUMENT}, not {list(written)}")
