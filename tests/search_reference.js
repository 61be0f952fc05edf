/* Test helper: answers queries with a plain lunr.js index and with the split
 * index of a built site, for tests/test_search_parity.py to compare.
 *
 *   node search_reference.js PLAN.json LANG DATA_DIR SHARED_DIR QUERIES.json > answers.json
 *
 * PLAN.json is what the build gives uprsite/search/indexer.js (with the
 * reviews' documents in its cache folder); DATA_DIR is the language's search
 * data folder in the built site and SHARED_DIR the folder of the files every
 * language shares. The plain index is built by lunr.Builder over the same
 * documents, with the same pipeline (static/search-pipeline.js); the split
 * index is read by static/search-engine.js from the files the build wrote.
 * The page's query language (every word required, OR, phrases) is given
 * its meaning in plain lunr queries by plainMeaning below.
 */
"use strict";

const fs = require("fs");
const path = require("path");
const vm = require("vm");

const ROOT = path.resolve(__dirname, "..");
const lunr = require(path.join(ROOT, "node_modules", "lunr", "lunr.min.js"));
require(path.join(ROOT, "node_modules", "lunr-languages", "min", "lunr.stemmer.support.min.js"))(lunr);
require(path.join(ROOT, "node_modules", "lunr-languages", "min", "lunr.fr.min.js"))(lunr);
require(path.join(ROOT, "node_modules", "lunr-languages", "min", "lunr.es.min.js"))(lunr);
const makePipeline = require(path.join(ROOT, "static", "search-pipeline.js"));
const codec = require(path.join(ROOT, "static", "search-codec.js"));
const makeEngine = require(path.join(ROOT, "static", "search-engine.js"));
const { FIELDS, Cache, fieldTexts, planDocuments } = require(path.join(ROOT, "uprsite", "search", "indexer.js"));

/* What a query of the search page means, in plain lunr queries (the page's rules, written
 * again here from its documentation, not from its code):
 * - a token without + or - is required, unless it is a stop word (the index pipeline makes
 *   no term of it: left optional) or OR joins it to its neighbours (one of them is required);
 * - "..." requires its words in the text, side by side in that order (stop words stand for
 *   any one word), -"..." excludes the texts that have it;
 * - ranking is lunr's over every clause (a phrase's words as text: clauses), which the
 *   scoring query gives; the documents are those of the scoring query that satisfy the rules.
 * Returns { scoring, docs } or null when the query has nothing but stop words. */
function plainMeaning(query, pipeline, plain, texts) {
  const normalised = query.replace(/[\u201c\u201d\u201e\u00ab\u00bb]/g, '"');
  const tokens = [];
  const pattern = /([+-]?)"([^"]*)"?|(\S+)/g;
  let match;
  while ((match = pattern.exec(normalised)) !== null) {
    if (match[3] === "OR") tokens.push({ or: true });
    else if (match[3] !== undefined) tokens.push({ raw: match[3] });
    else tokens.push({ sign: match[1], words: pipeline.words(match[2]) });
  }
  const scoring = [], members = [];
  const setOf = (lunrQuery) => new Set(plain.search(lunrQuery).map((r) => Number(r.ref)));
  let joinNext = false, last = null;
  for (const token of tokens) {
    if (token.or) {
      joinNext = last !== null;
      continue;
    }
    let member = null, canJoin = true;
    if (token.words) {
      const kept = token.words.map((word, offset) => ({ word, offset, terms: pipeline.termsOfWord(word) }))
        .filter((w) => w.terms.length);
      if (token.sign !== "-") kept.forEach((w) => scoring.push("text:" + w.word));
      if (kept.length) {
        const candidates = setOf(kept.map((w) => "+text:" + w.word).join(" "));
        const docs = new Set([...candidates].filter((d) => {
          const words = pipeline.words(texts[d]).map((word) => pipeline.termsOfWord(word));
          for (let start = 0; start < words.length; start++) {
            if (kept.every((w) => (words[start + w.offset] || []).includes(w.terms[0]))) return true;
          }
          return false;
        }));
        member = { docs, excluded: token.sign === "-" };
      }
    } else {
      const raw = pipeline.normaliseQuery(token.raw);
      scoring.push(raw);
      const parts = raw.split(/\s+/).filter(Boolean);
      const signed = parts.some((part) => /^[+-]/.test(part));
      // Words that are no stop words (a wildcard or fuzzy term never is one).
      const required = parts.filter((part) => {
        if (/^[+-]/.test(part)) return false;
        if (/[*~]/.test(part)) return true;
        const word = part.replace(/^[^:]*:/, "").replace(/\^\d+$/, "");
        return pipeline.termsOfWord(word.toLowerCase()).length > 0;
      });
      canJoin = !signed;
      if (required.length) member = { docs: setOf(required.map((part) => "+" + part).join(" ")), excluded: false };
    }
    if (!member) {
      last = null;
      joinNext = false;
      continue;
    }
    if (member.excluded) {
      members.push(member);
      last = null;
      joinNext = false;
      continue;
    }
    if (joinNext && canJoin) last.alternatives.push(member.docs);
    else members.push((member = { alternatives: [member.docs] }));
    if (!(joinNext && canJoin)) last = canJoin ? member : null;
    joinNext = false;
  }
  if (!scoring.length) return null;
  const scored = plain.search(scoring.join(" "));
  const negated = scored.length > 0 && scored.every((r) => r.score === 0);
  const docs = scored.filter((r) => {
    const d = Number(r.ref);
    return members.every((member) => member.excluded ? !member.docs.has(d)
      : member.alternatives.some((docs) => docs.has(d)));
  });
  return { scoring: scoring.join(" "), negated, docs: docs.map((r) => [Number(r.ref), r.score]) };
}

const FILTERS = [{ theme: "torture" }, { response: "noted" }, { theme: "torture", response: "noted" },
                 { by: "FRA", action: "5" }];

async function main() {
  const [planPath, lang, dataDir, sharedDir, queriesPath] = process.argv.slice(2);
  const plan = JSON.parse(fs.readFileSync(planPath, "utf8"));
  const queries = JSON.parse(fs.readFileSync(queriesPath, "utf8"));
  const pipeline = makePipeline(lunr, lang);

  const builder = new lunr.Builder();
  builder.pipeline = pipeline.indexPipeline;
  builder.searchPipeline = pipeline.searchPipeline;
  builder.ref("id");
  FIELDS.forEach((field) => builder.field(field));
  let id = 0;
  const textOf = [];
  for (const { sur, doc } of planDocuments(plan, new Cache(plan.cache))) {
    const texts = fieldTexts(doc, sur, plan.names[lang], lang, plan.languages);
    textOf.push(texts[0]);
    const record = { id: String(id++) };
    FIELDS.forEach((field, f) => { record[field] = texts[f]; });
    builder.add(record);
  }
  const plain = builder.build();

  // The data files register themselves through a global, as in the page.
  const values = {};
  global.uprSearchData = (name, value) => { values[name] = value; };
  const loader = (dir) => (name) => {
    if (!(name in values)) vm.runInThisContext(fs.readFileSync(path.join(dir, name + ".js"), "utf8"));
    return Promise.resolve(values[name]);
  };
  const engine = makeEngine(lunr, pipeline, codec, loader(dataDir), loader(sharedDir));
  await engine.ready();

  const answers = [];
  for (const query of queries) {
    const meaning = plainMeaning(query, pipeline, plain, textOf);
    const expected = meaning ? meaning.docs : [];
    const results = await engine.search(query, {});
    const ids = results.slice(0, results.total);
    // For fuzzy terms: which results have the term itself (lunr's own term, no edit).
    const exact = /~/.test(query) ? [...new Set(plain.search(query.replace(/~\d+/g, "")).map((r) => Number(r.ref)))] : null;
    // Facet counts from the query's own terms (a count table or records) before any facet list is loaded.
    let counts = null;
    if (results.shards) {
      await engine.prepareCounts(results, "terms");
      counts = engine.counts(results, "terms");
    }
    // What the page would suggest instead (it asks below 3 results).
    const suggestions = results.total < 3 ? await engine.suggest(query) : null;
    answers.push({ query, lunr: expected, scoring: meaning && meaning.scoring, exact, suggestions,
                   split: ids.map((d) => [d, results.scoreOf(d)]), counts, results,
                   source: engine.countSource(results, "terms") });
  }
  // Searches by facets alone: counts from the selected value's count table...
  const facetAnswers = [];
  // And by the State, session, region and cycle of the newest review, alone and with a response.
  const core = await loader(sharedDir)("c");
  const [, session, sur] = core.reviews[0];
  const newest = [{ sur }, { session: String(session) }, { region: core.region[sur] },
                  { cycle: String(core.cycle[session]) }, { sur, response: "supported" }];
  for (const filters of [...FILTERS, ...newest]) {
    const results = await engine.search("", filters);
    await engine.prepareCounts(results);
    facetAnswers.push({ filters, total: results.total, counts: engine.counts(results), results,
                        source: engine.countSource(results) });
  }
  // ... and the same counts, like those of the word queries, from every facet list.
  for (const answer of facetAnswers) {
    await engine.prepareCounts(answer.results, "lists");
    answer.listCounts = engine.counts(answer.results, "lists");
    delete answer.results;
  }
  for (const answer of answers) {
    await engine.prepareCounts(answer.results, "lists");
    answer.listCounts = answer.counts ? engine.counts(answer.results, "lists") : null;
    delete answer.results;
  }
  process.stdout.write(JSON.stringify({ queries: answers, facets: facetAnswers }));
}

main().catch((error) => {
  console.error(error && error.stack || error);
  process.exit(1);
});
