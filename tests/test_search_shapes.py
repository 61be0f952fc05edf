"""The shapes of shapes.json, as Python writes them and indexer.js and the search page read them.

A round trip: the sample content's plan and review documents, written by
documents.py, are read back by indexer.js's own reader (planDocuments, and
DOC for the fields of a document row) and must give, field by field, the
model's recommendations. The browser scripts load from file:// with plain
<script> tags and cannot read shapes.json: their copy of the facet lists is
compared with it here.
"""

from __future__ import annotations

import json
import re
import subprocess

from uprsite import placement
from uprsite.build import load_database
from uprsite.search import shapes
from uprsite.search.documents import ordered_reviews, write_plan

from .conftest import ROOT

# Reads the plan back through indexer.js and prints every document with its fields named.
READ_BACK = """
const fs = require("fs");
const { DOC, Cache, planDocuments } = require(process.argv[1]);
const plan = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const out = [];
for (const { session, sur, doc } of planDocuments(plan, new Cache(plan.cache))) {
  const fields = { session, sur };
  for (const [field, i] of Object.entries(DOC)) fields[field] = doc[i];
  out.push(fields);
}
process.stdout.write(JSON.stringify(out));
"""


def test_documents_round_trip_through_indexer(tmp_path, monkeypatch):
    monkeypatch.setattr(placement, "PAGE_BUDGET", 3000)  # reviews on several pages: the page is read back
    db = load_database(ROOT / "content")
    plan = write_plan(db, tmp_path / "cache")
    assert all(list(review) == shapes.REVIEW for review in plan["reviews"])
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    result = subprocess.run(
        ["node", "-e", READ_BACK, str(ROOT / "uprsite" / "search" / "indexer.js"), str(plan_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    expected = [
        {
            "session": review.session,
            "sur": review.state,
            "id": rec.id,
            "texts": [list(pair) for pair in rec.text.values],
            "by": list(rec.by),
            "themes": list(rec.themes),
            "response": rec.response,
            "action": rec.action or 0,
            "page": page,
        }
        for review in ordered_reviews(db)
        for rec, page in zip(review.recommendations, placement.review_pages(review).numbers, strict=True)
    ]
    assert expected, "the sample content has recommendations"
    assert {row["page"] for row in expected} > {1}
    assert json.loads(result.stdout) == expected


def browser_list(name: str) -> list[str]:
    source = (ROOT / "static" / "search-engine.js").read_text(encoding="utf-8")
    match = re.search(rf"var {name} = (\[[^\]]*\]);", source)
    assert match, f"static/search-engine.js declares no {name}"
    return json.loads(match.group(1))


def test_browser_facets_are_those_of_shapes():
    assert browser_list("REVIEW_FACETS") == shapes.REVIEW_FACETS
    assert browser_list("LIST_FACETS") == shapes.LIST_FACETS
    assert browser_list("FACETS") == shapes.FACETS
    assert sorted(shapes.FACETS) == sorted(shapes.REVIEW_FACETS + shapes.LIST_FACETS)
