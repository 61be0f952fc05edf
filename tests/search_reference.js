/* Test helper: answers queries with a plain lunr.js index and with the split
 * index of a built site, for tests/test_search_parity.py to compare.
 *
 *   node search_reference.js PAYLOAD.json DATA_DIR QUERIES.json > answers.json
 *
 * PAYLOAD.json is what the build gives uprsite/search/indexer.js for one
 * language; DATA_DIR is that language's search data folder in the built site.
 * The plain index is built by lunr.Builder over the same documents, with the
 * same pipeline (static/search-pipeline.js); the split index is read by
 * static/search-engine.js from the files the build wrote.
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
const { FIELDS, fieldTexts } = require(path.join(ROOT, "uprsite", "search", "indexer.js"));

const FILTERS = [{ theme: "torture" }, { response: "noted" }, { theme: "torture", response: "noted" },
                 { by: "FRA", action: "5" }];

async function main() {
  const [payloadPath, dataDir, queriesPath] = process.argv.slice(2);
  const payload = JSON.parse(fs.readFileSync(payloadPath, "utf8"));
  const queries = JSON.parse(fs.readFileSync(queriesPath, "utf8"));
  const pipeline = makePipeline(lunr, payload.language);

  const builder = new lunr.Builder();
  builder.pipeline = pipeline.indexPipeline;
  builder.searchPipeline = pipeline.searchPipeline;
  builder.ref("id");
  FIELDS.forEach((field) => builder.field(field));
  payload.docs.forEach((doc, id) => {
    const texts = fieldTexts(doc, payload.names);
    const record = { id: String(id) };
    FIELDS.forEach((field, f) => { record[field] = texts[f]; });
    builder.add(record);
  });
  const plain = builder.build();

  // The data files register themselves through a global, as in the page.
  const values = {};
  global.uprSearchData = (name, value) => { values[name] = value; };
  const load = (name) => {
    if (!(name in values)) vm.runInThisContext(fs.readFileSync(path.join(dataDir, name + ".js"), "utf8"));
    return Promise.resolve(values[name]);
  };
  const engine = makeEngine(lunr, pipeline, codec, load);
  await engine.ready();

  const answers = [];
  for (const query of queries) {
    const expected = plain.search(pipeline.normaliseQuery(query)).map((r) => [Number(r.ref), r.score]);
    const results = await engine.search(query, {});
    const ids = results.slice(0, results.total);
    // Facet counts from the query's own facet records (before any facet list is loaded).
    let counts = null;
    if (results.shards) {
      await engine.prepareCounts(results, "records");
      counts = engine.counts(results);
    }
    answers.push({ query, lunr: expected, split: ids.map((d) => [d, results.scoreOf(d)]), counts, results });
  }
  // Searches by facets alone: counts from the selected values' records...
  const facetAnswers = [];
  for (const filters of FILTERS) {
    const results = await engine.search("", filters);
    await engine.prepareCounts(results);
    facetAnswers.push({ filters, total: results.total, counts: engine.counts(results), results });
  }
  // ... and the same counts, like those of the word queries, from every facet list.
  for (const answer of facetAnswers) {
    await engine.prepareCounts(answer.results, "lists");
    answer.listCounts = engine.counts(answer.results);
    delete answer.results;
  }
  for (const answer of answers) {
    await engine.prepareCounts(answer.results, "lists");
    answer.listCounts = answer.counts ? engine.counts(answer.results) : null;
    delete answer.results;
  }
  process.stdout.write(JSON.stringify({ queries: answers, facets: facetAnswers }));
}

main().catch((error) => {
  console.error(error && error.stack || error);
  process.exit(1);
});
