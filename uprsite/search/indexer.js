/* Builds one language's split search index (run by uprsite/search/build.py).
 *
 *   node indexer.js < payload.json > framed files
 *
 * The payload (JSON) lists the search documents in document-id order with
 * their fields and facet values; the output is every data file of the
 * language's search, each framed as "path\nbyte length\n" + bytes, for the
 * build to write through its SiteWriter.
 *
 * Terms come from static/search-pipeline.js running on the same lunr.js and
 * lunr-languages files the search page loads, and each posting carries the
 * field weight lunr.Builder would give it (BM25 with lunr's k1, b and its
 * rounding to thousandths), so that the search page reproduces lunr's scores
 * exactly without the whole index. The formats are described in
 * static/search-engine.js, which reads them.
 */
"use strict";

const path = require("path");
const fs = require("fs");

const ROOT = path.resolve(__dirname, "..", "..");
const lunr = require(path.join(ROOT, "node_modules", "lunr", "lunr.min.js"));
require(path.join(ROOT, "node_modules", "lunr-languages", "min", "lunr.stemmer.support.min.js"))(lunr);
require(path.join(ROOT, "node_modules", "lunr-languages", "min", "lunr.fr.min.js"))(lunr);
require(path.join(ROOT, "node_modules", "lunr-languages", "min", "lunr.es.min.js"))(lunr);
const makePipeline = require(path.join(ROOT, "static", "search-pipeline.js"));
const codec = require(path.join(ROOT, "static", "search-codec.js"));

const FIELDS = ["text", "sur", "by", "theme"];
const K1 = 1.2;  // lunr.Builder's defaults
const B = 0.75;
const SHARD_CHARS = 12000;  // target size of a term shard before gzip
const CHUNK = 16;  // documents per details file

function fieldTexts(doc, names) {
  // doc: [sur, session, anchor, text, textLang, by[], themes[], response, action]
  return [
    doc[3],
    names.countries[doc[0]],
    doc[5].map((code) => names.countries[code]).join(" "),
    doc[6].map((id) => names.themes[id]).join(" "),
  ];
}

/* The inverted index with lunr's term frequencies and field lengths. */
function invert(docs, names, pipeline) {
  const n = docs.length;
  const postings = new Map();  // term -> per field {docs: [], tfs: []}
  const lengths = FIELDS.map(() => new Uint32Array(n));
  const counts = new Map();
  for (let d = 0; d < n; d++) {
    const texts = fieldTexts(docs[d], names);
    for (let f = 0; f < FIELDS.length; f++) {
      counts.clear();
      let length = 0;
      const words = pipeline.words(texts[f]);
      for (let i = 0; i < words.length; i++) {
        const terms = pipeline.termsOfWord(words[i]);
        for (let j = 0; j < terms.length; j++) {
          counts.set(terms[j], (counts.get(terms[j]) || 0) + 1);
          length++;
        }
      }
      lengths[f][d] = length;
      for (const [term, tf] of counts) {
        let entry = postings.get(term);
        if (entry === undefined) {
          entry = FIELDS.map(() => ({ docs: [], tfs: [] }));
          postings.set(term, entry);
        }
        entry[f].docs.push(d);
        entry[f].tfs.push(tf);
      }
    }
  }
  // lunr.Builder#calculateAverageFieldLengths: every document has every field.
  const average = lengths.map((list) => {
    let sum = 0;
    for (let d = 0; d < n; d++) sum += list[d];
    return sum / n;
  });
  return { postings, lengths, average };
}

/* One term's postings: per field a count, a weight table and (gap, weight) pairs. */
function encodeTerm(entry, n, lengths, average) {
  let df = 0;
  for (const field of entry) df += field.docs.length;
  // lunr.idf
  const idf = Math.log(1 + Math.abs((n - df + 0.5) / (df + 0.5)));
  const w = new codec.Writer();
  for (let f = 0; f < entry.length; f++) {
    const { docs, tfs } = entry[f];
    w.int(docs.length);
    if (docs.length === 0) continue;
    const weights = new Array(docs.length);
    const frequency = new Map();
    for (let i = 0; i < docs.length; i++) {
      const tf = tfs[i], fieldLength = lengths[f][docs[i]];
      // lunr.Builder#createFieldVectors, expression for expression (field and document boosts are 1).
      const score = idf * ((K1 + 1) * tf) / (K1 * (1 - B + B * (fieldLength / average[f])) + tf);
      weights[i] = Math.round(score * 1000);
      frequency.set(weights[i], (frequency.get(weights[i]) || 0) + 1);
    }
    // A table of the distinct weights, most frequent first, pays when weights repeat.
    const table = [...frequency.keys()].sort((a, b) => frequency.get(b) - frequency.get(a) || a - b);
    const useTable = table.length * 2 < docs.length;
    w.int(useTable ? table.length : 0);
    if (useTable) w.ints(table);
    const position = new Map(table.map((value, i) => [value, i]));
    let last = -1;
    for (let i = 0; i < docs.length; i++) {
      w.int(docs[i] - last - 1);
      last = docs[i];
      if (!useTable) w.int(weights[i]);
      else if (table.length > 1) w.int(position.get(weights[i]));
    }
  }
  return w.toString();
}

/* The documents that have a term in any field, ascending (the order of its facet records). */
function unionOfFields(entry) {
  const filled = entry.filter((field) => field.docs.length > 0);
  if (filled.length === 1) return filled[0].docs;
  const seen = new Set();
  for (const field of entry) for (const d of field.docs) seen.add(d);
  return Int32Array.from(seen).sort();
}

function script(name, value) {
  return Buffer.from("uprSearchData(" + JSON.stringify(name) + "," + JSON.stringify(value) + ");\n", "utf8");
}

function build(payload, emit) {
  const docs = payload.docs, names = payload.names, n = docs.length;
  const pipeline = makePipeline(lunr, payload.language);
  const { postings, lengths, average } = invert(docs, names, pipeline);

  // Term shards: contiguous ranges of the sorted terms (JS string order, as the page compares).
  const terms = [...postings.keys()].sort();
  const shards = [];
  let current = null;
  for (const term of terms) {
    const data = encodeTerm(postings.get(term), n, lengths, average);
    if (current === null || (current.size + data.length + term.length > SHARD_CHARS && current.terms.length > 0)) {
      current = { terms: [], data: [], size: 0 };
      shards.push(current);
    }
    current.terms.push(term);
    current.data.push(data);
    current.size += data.length + term.length + 3;
  }
  shards.forEach((shard, k) => emit("s" + k + ".js", script("s" + k, [shard.terms, shard.data.join("")])));
  emit("v.js", script("v", terms));

  // Result details, a few documents per file: only the results shown are loaded.
  for (let start = 0, k = 0; start < n; start += CHUNK, k++) {
    const rows = docs.slice(start, start + CHUNK).map((doc) =>
      [doc[0], doc[1], doc[2], doc[3], doc[4], doc[5], doc[7], doc[8]]);
    emit("d" + k + ".js", script("d" + k, rows));
  }

  // Facets. State under Review and session (and so regional group and cycle)
  // follow from the reviews, which are runs of consecutive documents.
  const reviews = [];
  for (let d = 0; d < n; d++) {
    if (d === 0 || docs[d][0] !== docs[d - 1][0] || docs[d][1] !== docs[d - 1][1]) {
      reviews.push([d, docs[d][1], docs[d][0]]);
    }
  }
  emit("f.js", script("f", { reviews: reviews, region: payload.regions, cycle: payload.cycles }));
  const lists = { by: new Map(), theme: new Map(), response: new Map(), action: new Map() };
  const add = (facet, value, d) => {
    let list = lists[facet].get(value);
    if (!list) lists[facet].set(value, (list = []));
    if (list[list.length - 1] !== d) list.push(d);
  };
  for (let d = 0; d < n; d++) {
    const doc = docs[d];
    for (const code of doc[5]) add("by", code, d);
    for (const id of doc[6]) add("theme", id, d);
    add("response", doc[7], d);
    if (doc[8]) add("action", String(doc[8]), d);
  }
  const facets = {}, listChars = {};
  let allListChars = 0;
  for (const facet of Object.keys(lists)) {
    const values = [...lists[facet].keys()].sort();
    facets[facet] = values;
    for (const value of values) {
      const name = "f-" + facet + "-" + value;
      const encoded = codec.encodeIds(lists[facet].get(value));
      allListChars += encoded.length;
      emit(name + ".js", script(name, encoded));
    }
  }

  // Facet records of the documents of each shard's terms: a query's counts
  // then need only the records of its own terms' documents, when those cost
  // less than every facet list.
  const position = {};
  for (const facet of Object.keys(facets)) position[facet] = new Map(facets[facet].map((v, i) => [v, i]));
  const record = docs.map((doc) => {
    const w = new codec.Writer(16);
    const action = doc[8] ? position.action.get(String(doc[8])) + 1 : 0;
    w.int(position.response.get(doc[7]) * 8 + action);
    w.int(doc[6].length);
    for (const id of doc[6]) w.int(position.theme.get(id));
    w.int(doc[5].length);
    for (const code of doc[5]) w.int(position.by.get(code));
    return w;
  });
  // And of each facet value's documents, for counts when the search is that value alone.
  const totals = {};
  for (const facet of Object.keys(facets)) {
    totals[facet] = {};
    for (const value of facets[facet]) {
      const ids = lists[facet].get(value), w = new codec.Writer();
      for (const d of ids) w.append(record[d]);
      const name = "g-" + facet + "-" + value;
      emit(name + ".js", script(name, w.toString()));
      totals[facet][value] = ids.length;
    }
  }
  const recordChars = shards.map((shard, k) => {
    const w = new codec.Writer();
    for (const term of shard.terms) {
      for (const d of unionOfFields(postings.get(term))) w.append(record[d]);
    }
    const text = w.toString();
    emit("r" + k + ".js", script("r" + k, text));
    return text.length;
  });

  emit("m.js", script("m", {
    language: payload.language,
    documents: n,
    fields: FIELDS,
    shards: shards.map((shard) => shard.terms[0]),
    chunk: CHUNK,
    facets: facets,
    listChars: allListChars,
    totals: totals,
    recordChars: recordChars,
  }));
}

function main() {
  const payload = JSON.parse(fs.readFileSync(0, "utf8"));
  const out = [];
  let size = 0;
  const flush = () => {
    const bytes = Buffer.concat(out);
    for (let done = 0; done < bytes.length;) done += fs.writeSync(1, bytes, done);
    out.length = 0;
    size = 0;
  };
  build(payload, (name, bytes) => {
    out.push(Buffer.from(name + "\n" + bytes.length + "\n", "utf8"), bytes);
    size += bytes.length;
    if (size > 1 << 20) flush();
  });
  flush();
}

if (require.main === module) {
  main();
}

module.exports = { build, FIELDS, fieldTexts };
