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
  for (const { sur, doc } of planDocuments(plan, new Cache(plan.cache))) {
    const texts = fieldTexts(doc, sur, plan.names[lang], lang, plan.languages);
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
    const expected = plain.search(pipeline.normaliseQuery(query)).map((r) => [Number(r.ref), r.score]);
    const results = await engine.search(query, {});
    const ids = results.slice(0, results.total);
    // Facet counts from the query's own terms (a count table or records) before any facet list is loaded.
    let counts = null;
    if (results.shards) {
      await engine.prepareCounts(results, "terms");
      counts = engine.counts(results, "terms");
    }
    answers.push({ query, lunr: expected, split: ids.map((d) => [d, results.scoreOf(d)]), counts, results,
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
