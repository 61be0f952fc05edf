"""The split index answers as a plain lunr.js index over the same documents.

A corpus small enough to hold whole (the shipped sample content, and a few
thousand synthetic recommendations) is indexed both ways in each language:
by lunr.Builder in Node, and by the build into the site's split index. The
page's query language (every word required unless OR joins words, phrases in
quotes) is given its meaning in plain lunr queries by tests/search_reference.js:
every query must give the same documents in the same order with the same
scores to 3 decimals (with fuzzy terms, in the page's order: the documents of
the term itself before those of other words, whatever their scores); and its
facet counts must be the same whether read from its terms' count tables or
facet records or from every facet list (and, for searches by facets alone,
from the selected value's count table). lunr orders equal scores by an
accident of its hash tables; the split index puts the lower document id
first, so the lunr side is ordered the same way before comparing (the scores
themselves are compared as they are).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from uprsite.build import load_database
from uprsite.search.documents import write_plan

from .conftest import ROOT, run_cli

QUERIES = [
    "norway",
    "survey",
    "day",
    "key",
    "torture",
    "women violence",
    "education",
    "éducation",
    "educacion",
    "accès",
    "l'accès",
    "l’accès",  # noqa: RUF001 - the typographic apostrophe is the point
    "ratif*",
    "*tion",
    "rat*if*",
    "tortur~1",
    "+torture -death",
    "+women +rights",
    "-torture",
    "sur:norway",
    "theme:torture",
    "by:france",
    "torture^10 women",
    "text:ratif* +sur:a*",
    "human rights defenders",
    "droits de l'homme",
    "derechos humanos",
    "niños",
    "the",
    "zzzznothing",
    "+zzzznothing torture",
    "protect*",
    "Ratify",
    "ÉDUCATION",
    "1989",
    # Every word required, OR between words, stop words left out.
    "child marriage",
    "death penalty",
    "torture OR death",
    "detention OR prison torture",
    "torture OR",
    "OR torture",
    "freedom of expression",
    # Phrases.
    '"death penalty"',
    '"penalty death"',
    '"freedom of expression"',
    '"human rights defenders"',
    '"droits de l\'homme"',
    '"derechos humanos"',
    '-"death penalty" death',
    "\u201cdeath penalty\u201d",
    "torure~1",
    # Mistyped words, for suggestions.
    "torure",
    "+torure",
    "chlid marrige",
    '"deth penalty"',
    "sur:armnia",
    "torure -death",
]
# What the page suggests for these (sample content, English): the nearest terms of the index as
# the texts write them, put back into the query as it was typed.
SUGGESTIONS = {
    "torure": ["torture"],
    "+torure": ["+torture"],
    "chlid marrige": ["child marriage"],
    '"deth penalty"': ['"death penalty"'],
    "sur:armnia": ["sur:armenia"],
    "torure -death": ["torture -death"],
    "zzzznothing": [],  # nothing near enough
    "the": [],  # a stop word is no typo
}
# Queries whose AND must find fewer documents than their OR (on the sample, in English).
AND_OR = [("child marriage", "child OR marriage"), ("women violence", "women OR violence")]


def answers(tmp_path: Path, content: Path, site: Path, lang: str) -> list[dict]:
    db = load_database(content)
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(json.dumps(write_plan(db, tmp_path / "cache"), ensure_ascii=False), encoding="utf-8")
    queries_path = tmp_path / "queries.json"
    queries = QUERIES + [query for pair in AND_OR for query in pair if query not in QUERIES]
    queries_path.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    result = subprocess.run(
        [
            "node",
            str(ROOT / "tests" / "search_reference.js"),
            str(plan_path),
            lang,
            str(site / lang / "search" / "data"),
            str(site / "search"),
            str(queries_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def lunr_order(results: list) -> list:
    return sorted(results, key=lambda r: (-round(r[1], 9), r[0]))


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    """The sample content and a small synthetic corpus, each built into a site."""
    base = tmp_path_factory.mktemp("parity")
    synthetic = base / "synthetic"
    generated = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "generate_content.py"),
            "--recommendations",
            "3000",
            "--out",
            str(synthetic),
            "--seed",
            "7",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert generated.returncode == 0, generated.stderr
    out = {}
    for name, content in (("sample", ROOT / "content"), ("synthetic", synthetic)):
        site = base / f"site-{name}"
        built = run_cli("build", "--content", str(content), "--out", str(site))
        assert built.returncode == 0, built.stderr
        out[name] = (content, site)
    return out


@pytest.mark.parametrize("corpus", ["sample", "synthetic"])
@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_split_index_ranks_as_plain_lunr(corpora, corpus, lang, tmp_path):
    content, site = corpora[corpus]
    found_any = 0
    answered = answers(tmp_path, content, site, lang)
    for answer in answered["facets"]:
        # Searches by facets alone: counts from the selected values' records equal those from every list.
        assert answer["total"] > 0, answer["filters"]
        assert answer["counts"] == answer["listCounts"], answer["filters"]
    for answer in answered["queries"]:
        expected = lunr_order(answer["lunr"])
        split = answer["split"]
        if answer["exact"] is not None:
            # Fuzzy terms: lunr's documents and scores, in the page's order: first those with
            # the term itself, by score; then the others, nearest and most frequent words first.
            exact = set(answer["exact"])
            with_term = [d in exact for d, _ in split]
            assert with_term == sorted(with_term, reverse=True), answer["query"]
            head = [d for d, _ in split if d in exact]
            assert head == [d for d, _ in expected if d in exact], answer["query"]
            split, expected = sorted(split), sorted(expected)
        assert [d for d, _ in split] == [d for d, _ in expected], answer["query"]
        for (_, ours), (_, theirs) in zip(split, expected, strict=True):
            assert round(ours, 3) == round(theirs, 3), answer["query"]
        found_any += bool(split)
        # Facet counts from the query's own facet records equal those from every facet list.
        assert answer["counts"] == answer["listCounts"], answer["query"]
    # The comparison means something only if most queries find documents...
    assert found_any >= len(QUERIES) // 2
    totals = {answer["query"]: len(answer["split"]) for answer in answered["queries"]}
    if corpus == "sample" and lang == "en":
        for conjunction, disjunction in AND_OR:
            assert 0 < totals[conjunction] < totals[disjunction], (conjunction, totals)
        # A phrase finds fewer than its words, and not its words in the other order.
        assert 0 < totals['"freedom of expression"'] < totals["freedom of expression"]
        assert totals['"death penalty"'] > totals['"penalty death"']
        assert totals['-"death penalty" death'] > 0
        suggested = {answer["query"]: answer["suggestions"] for answer in answered["queries"]}
        assert {query: suggested[query] for query in SUGGESTIONS} == SUGGESTIONS
        # Only for queries with fewer than 3 results.
        assert suggested["torture"] is None
    # ... and if every way of counting was compared with the lists: the count table of a
    # facet value, records of rare terms (the sample's), count tables of frequent terms (the synthetic's).
    sources = {answer["source"] for answer in answered["queries"] + answered["facets"]}
    assert {"value", "records" if corpus == "sample" else "term"} <= sources
