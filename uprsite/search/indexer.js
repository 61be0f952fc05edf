/* Builds the split search index (run by uprsite/search/build.py).
 *
 *   node indexer.js PLAN.json OUT_DIR          runs every job, two at a time
 *   node indexer.js PLAN.json OUT_DIR JOB      one job: "shared" or a language
 *
 * The plan (uprsite/search/documents.py) lists the reviews in document order
 * by cache key; each review's documents are a JSON file in the search cache.
 * A job writes every data file of its part of the search into OUT_DIR, in
 * the folder the plan gives it (its path in the site), for the build to move
 * into the site whole.
 *
 * - A language job writes that language's manifest, term shards, vocabulary,
 *   per-shard facet counts and word positions (for phrases), and the terms
 *   with their frequencies and the words they are shown as (for suggestions). Terms come from static/search-pipeline.js
 *   running on the same lunr.js and lunr-languages files the search page
 *   loads. Postings hold what does not depend on other documents (term
 *   frequency and field length), and the manifest the corpus statistics, so
 *   that the page computes lunr's weights itself and one review's edit
 *   changes only the shards of its terms.
 * - The shared job writes what every language uses: result details (the
 *   texts of every language, compressed), facet lists and count tables.
 *
 * Work that depends on one review only (its terms, its facets) and every
 * compressed details file are cached by content in the plan's cache folder,
 * so that a build after one edit redoes little. The formats are described in
 * static/search-engine.js, which reads them. Every cache file starts with the
 * SHA-256 of its bytes (as uprsite/reuse/cache.py seals them): a damaged one is
 * ignored, with a warning, and made again.
 *
 * The indexer stops when the build that started it is gone (killed), and a
 * write the machine refuses (disk full, read-only) ends it with one line,
 * "machine fault: ...", and exit status 3.
 */
"use strict";

const path = require("path");
const fs = require("fs");
const os = require("os");
const crypto = require("crypto");
const zlib = require("zlib");
const { spawn } = require("child_process");

const ROOT = path.resolve(__dirname, "..", "..");
// The records Python writes for this script and the lists both share, declared once (shapes.py reads it too).
const SHAPES_FILE = path.join(__dirname, "shapes.json");
const SHAPES = require(SHAPES_FILE);
const LUNR_FILES = SHAPES.lunrFiles.map((file) => path.join(ROOT, "node_modules", file));
const PIPELINE = path.join(ROOT, "static", "search-pipeline.js");
const CODEC = path.join(ROOT, "static", "search-codec.js");
const codec = require(CODEC);

const FIELDS = ["text", "sur", "by", "theme"];
const LIST_FACETS = SHAPES.listFacets;
const REVIEW_FACETS = SHAPES.reviewFacets;
// A review's document is a row (there are many: rows keep their JSON small): DOC.<field> is a field's position.
const DOC = Object.fromEntries(SHAPES.document.map((field, i) => [field, i]));
// Term shards are cut where a term's hash says so once they hold about
// SHARD_MIN characters (and always before about SHARD_MAX), so that a change
// in one term's postings moves no boundary but its own shard's: the other
// shards keep their bytes.
const SHARD_MIN = 8000;
const SHARD_MAX = 32000;
const SHARD_CUT_ONE_IN = 8;
const CHUNK = 32;  // documents per details file
const SUGGESTED_MIN_DOCUMENTS = 2;  // a term in fewer documents is never suggested (file w)
const CORRUPT = "unreadable review in the search cache: ";  // build.py retries on this
const MACHINE = "machine fault: ";  // build.py reports this line as the machine's refusal (exit 3)
const MACHINE_FAULTS = { ENOSPC: "disk full", EDQUOT: "disk quota exceeded", EROFS: "read-only file system",
                         EACCES: "permission denied", EPERM: "operation not permitted", EIO: "input/output error",
                         EMFILE: "too many open files", ENFILE: "too many open files", ENOMEM: "out of memory" };
const DEFLATE_LEVEL = 9;

// Everything that shapes the output besides the plan: a new version of any
// of these files makes every cache entry stale.
const CODE = (() => {
  const h = crypto.createHash("sha1");
  // Node's own version and its zlib's too: the compressed details are zlib's bytes.
  h.update(process.version + "\0" + process.versions.zlib + "\0");
  for (const file of [__filename, SHAPES_FILE, PIPELINE, CODEC, ...LUNR_FILES]) h.update(fs.readFileSync(file));
  for (const name of ["lunr", "lunr-languages"]) h.update(fs.readFileSync(path.join(ROOT, "node_modules", name, "package.json")));
  return h.digest("hex");
})();

function digest(...parts) {
  const h = crypto.createHash("sha1");
  for (const part of parts) h.update(String(part)).update("\0");
  return h.digest("hex");
}

function loadLunr() {
  const lunr = require(LUNR_FILES[0]);
  for (const file of LUNR_FILES.slice(1)) require(file)(lunr);
  return lunr;
}

// -- the cache ------------------------------------------------------------------
const SEAL = 64;  // hex characters of a SHA-256, then a newline, then the bytes

class Damaged extends Error {}

function sealed(data) {
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data, "utf8");
  return Buffer.concat([Buffer.from(crypto.createHash("sha256").update(bytes).digest("hex") + "\n", "latin1"), bytes]);
}

function warnDamaged(file) {
  process.stderr.write("warning: " + file + ": damaged search cache entry ignored; made again\n");
  try {
    fs.unlinkSync(file);
  } catch (ignored) {
    // already gone
  }
}

class Cache {
  constructor(root) {
    this.root = root;
  }
  file(kind, key) {
    return path.join(this.root, kind, key.slice(0, 2), key + ".json");
  }
  /* A file's bytes, checked against their seal; throws (ENOENT, or Damaged). */
  read(file) {
    const bytes = fs.readFileSync(file);
    const data = bytes.subarray(SEAL + 1);
    if (bytes.length <= SEAL || bytes[SEAL] !== 10 ||
        crypto.createHash("sha256").update(data).digest("hex") !== bytes.toString("latin1", 0, SEAL)) {
      throw new Damaged("damaged: " + file);
    }
    return data;
  }
  /* read(), or undefined when missing or damaged (warned): the caller makes it again. */
  readOrNothing(file) {
    try {
      return this.read(file);
    } catch (error) {
      if (error instanceof Damaged) warnDamaged(file);
      else if (error.code !== "ENOENT") throw error;
      return undefined;
    }
  }
  get(kind, key) {
    const file = this.file(kind, key);
    const bytes = this.readOrNothing(file);
    if (bytes === undefined) return undefined;
    try {
      return JSON.parse(bytes.toString("utf8"));
    } catch (error) {  // sealed, so written so by a version with a bug: made again
      warnDamaged(file);
      return undefined;
    }
  }
  put(kind, key, value) {
    this.write(this.file(kind, key), JSON.stringify(value));
    return value;
  }
  write(file, data) {
    // Through a temporary file: a job stopped half-way leaves no half entry.
    const tmp = file + ".tmp-" + process.pid;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(tmp, sealed(data));
      fs.renameSync(tmp, file);
    } catch (error) {
      // A full or read-only cache only costs speed (as in uprsite/reuse/cache.py): the value is used unsaved.
      if (!MACHINE_FAULTS[error.code]) throw error;
      try {
        fs.unlinkSync(tmp);
      } catch (ignored) {
        // never written
      }
    }
  }
  /* The cached value, or make() cached. */
  through(kind, key, make) {
    const value = this.get(kind, key);
    return value !== undefined ? value : this.put(kind, key, make());
  }
  reviewDocuments(key) {
    // Written by documents.py before the jobs start, and only then: an
    // unreadable one is removed, for the build to write it again and retry.
    const file = this.file("reviews", key);
    try {
      return JSON.parse(this.read(file).toString("utf8"));
    } catch (error) {
      try {
        fs.unlinkSync(file);
      } catch (ignored) {
        // already gone
      }
      throw new Error(CORRUPT + file + " (" + error.message + ")");
    }
  }
}

// -- documents --------------------------------------------------------------------

/* The text in a language, or the first of the fallbacks that has one (model.Text.choose). */
function chooseText(pairs, lang, fallbacks) {
  for (const pair of pairs) if (pair[0] === lang) return pair;
  for (const other of fallbacks) for (const pair of pairs) if (pair[0] === other) return pair;
  return pairs[0];
}

function fieldTexts(doc, sur, names, lang, fallbacks) {
  return [
    chooseText(doc[DOC.texts], lang, fallbacks)[1],
    names.countries[sur],
    doc[DOC.by].map((code) => names.countries[code]).join(" "),
    doc[DOC.themes].map((id) => names.themes[id]).join(" "),
  ];
}

/* Every document of the plan in order, with its review: for the reference index of the tests. */
function* planDocuments(plan, cache) {
  for (const { session, sur, key } of plan.reviews) {
    for (const doc of cache.reviewDocuments(key)) yield { session, sur, doc };
  }
}

/* Per review: each document's field lengths and terms with their frequencies,
 * the word positions of each term in the text, and the words each term comes from.
 * { terms: [...], shown: per term {word: count}, data: per document, per field:
 *   length, count, (term index, tf) pairs, and for the text field, for each
 *   pair in order, its tf word positions (ascending) } */
const TEXT = FIELDS.indexOf("text");
const WORD_CORE = /^[^\p{L}\p{N}]*(.*?)[^\p{L}\p{N}]*$/u;  // a word without the punctuation around it

function tokenizeReview(docs, sur, names, lang, fallbacks, pipeline) {
  const terms = [], shown = [], index = new Map(), data = [], counts = new Map(), places = new Map();
  for (const doc of docs) {
    const texts = fieldTexts(doc, sur, names, lang, fallbacks);
    for (let f = 0; f < FIELDS.length; f++) {
      counts.clear();
      places.clear();
      let length = 0;
      const words = pipeline.words(texts[f]);
      for (let w = 0; w < words.length; w++) {
        for (const term of pipeline.termsOfWord(words[w])) {
          counts.set(term, (counts.get(term) || 0) + 1);
          if (f === TEXT) {
            if (!places.has(term)) places.set(term, []);
            places.get(term).push(w);
          }
          let i = index.get(term);
          if (i === undefined) {
            index.set(term, (i = terms.length));
            terms.push(term);
            shown.push({});
          }
          const word = WORD_CORE.exec(words[w])[1];
          shown[i][word] = (shown[i][word] || 0) + 1;
          length++;
        }
      }
      data.push(length, counts.size);
      for (const [term, tf] of counts) data.push(index.get(term), tf);
      if (f === TEXT) for (const term of counts.keys()) for (const w of places.get(term)) data.push(w);
    }
  }
  return { terms, shown, data };
}

/* Per review: each document's [recommending States, themes, response, action]. */
function reviewFacets(cache, key) {
  return cache.through("facets", digest(CODE, key), () =>
    cache.reviewDocuments(key).map((doc) => [doc[DOC.by], doc[DOC.themes], doc[DOC.response], doc[DOC.action]]));
}

/* Facets of every document, as indices into sorted value lists.
 *
 * Every job needs this table, and making it reads every review's facets: it
 * is cached whole, under the reviews' facts (reuse.keys facts: all but the
 * texts), so that after a text edit each job reads one file instead of a
 * thousand. */
function facetTable(plan, cache) {
  const key = digest(CODE, "facet-table", JSON.stringify(plan.reviews.map((r) => [r.session, r.sur, r.count, r.facts])),
    JSON.stringify(plan.regions), JSON.stringify(plan.cycles));
  const file = cache.file("facet-tables", key).replace(/\.json$/, ".bin");
  let table;
  const bytes = cache.readOrNothing(file);
  if (bytes !== undefined) table = unpackFacetTable(bytes);  // sealed: a failure here is a bug
  if (table === undefined) {  // missing or damaged: made again
    table = makeFacetTable(plan, cache);
    cache.write(file, packFacetTable(table));
  }
  table.position = {};
  for (const facet of Object.keys(table.values)) table.position[facet] = new Map(table.values[facet].map((v, i) => [v, i]));
  return table;
}

const FACET_ARRAYS = [["code", Uint8Array], ["review", Uint32Array], ["themeStart", Uint32Array],
                      ["byStart", Uint32Array], ["themes", Uint16Array], ["by", Uint16Array]];

function packFacetTable(table) {
  const head = Buffer.from(JSON.stringify({ n: table.n, values: table.values,
                                            lengths: FACET_ARRAYS.map(([name]) => table[name].length) }), "utf8");
  const parts = [Buffer.from(Uint32Array.of(head.length).buffer), head];
  let offset = 4 + head.length;
  for (const [name] of FACET_ARRAYS) {
    const pad = (4 - (offset % 4)) % 4;  // each array aligned for its type
    parts.push(Buffer.alloc(pad), Buffer.from(table[name].buffer, table[name].byteOffset, table[name].byteLength));
    offset += pad + table[name].byteLength;
  }
  return Buffer.concat(parts);
}

function unpackFacetTable(bytes) {
  const headLength = bytes.readUInt32LE(0);
  const head = JSON.parse(bytes.toString("utf8", 4, 4 + headLength));
  const table = { n: head.n, values: head.values };
  let offset = 4 + headLength;
  FACET_ARRAYS.forEach(([name, Type], i) => {
    offset += (4 - (offset % 4)) % 4;
    const length = head.lengths[i], byteLength = length * Type.BYTES_PER_ELEMENT;
    if (offset + byteLength > bytes.length) throw new Error("truncated facet table");
    // Copied out: the file's buffer may not be aligned for the type.
    table[name] = new Type(new Uint8Array(bytes.subarray(offset, offset + byteLength)).buffer);
    offset += byteLength;
  });
  if (offset !== bytes.length) throw new Error("facet table of the wrong length");
  return table;
}

function makeFacetTable(plan, cache) {
  const n = plan.reviews.reduce((sum, review) => sum + review.count, 0);
  const perReview = plan.reviews.map((review) => reviewFacets(cache, review.key));
  const sets = { by: new Set(), theme: new Set(), response: new Set(), action: new Set() };
  for (const docs of perReview) {
    for (const [by, themes, response, action] of docs) {
      for (const code of by) sets.by.add(code);
      for (const id of themes) sets.theme.add(id);
      sets.response.add(response);
      if (action) sets.action.add(String(action));
    }
  }
  const values = {};
  for (const facet of LIST_FACETS) values[facet] = [...sets[facet]].sort();
  values.sur = [...new Set(plan.reviews.map((r) => r.sur))].sort();
  values.region = [...new Set(values.sur.map((code) => plan.regions[code]))].sort();
  const sessions = [...new Set(plan.reviews.map((r) => r.session))].sort((a, b) => a - b);
  values.session = sessions.map(String);
  values.cycle = [...new Set(sessions.map((s) => plan.cycles[String(s)]))].sort((a, b) => a - b).map(String);

  const position = {};
  for (const facet of Object.keys(values)) position[facet] = new Map(values[facet].map((v, i) => [v, i]));
  // Per document: response * 8 + action (index + 1, or 0), its review, and
  // its themes and recommending States (document d's are themes[themeStart[d]
  // ... themeStart[d + 1] - 1], and so on).
  const code = new Uint8Array(n), review = new Uint32Array(n);
  const themeStart = new Uint32Array(n + 1), byStart = new Uint32Array(n + 1), themes = [], by = [];
  let d = 0;
  perReview.forEach((docs, r) => {
    for (const doc of docs) {
      code[d] = position.response.get(doc[2]) * 8 + (doc[3] ? position.action.get(String(doc[3])) + 1 : 0);
      for (const id of new Set(doc[1])) themes.push(position.theme.get(id));
      for (const c of new Set(doc[0])) by.push(position.by.get(c));
      review[d] = r;
      d++;
      themeStart[d] = themes.length;
      byStart[d] = by.length;
    }
  });
  if (values.response.length * 8 > 256) throw new Error("too many responses for the facet records");
  return { n, values, code, review, themeStart, byStart, themes: Uint16Array.from(themes),
           by: Uint16Array.from(by) };
}

/* Counts per list-facet value over a set of documents: for each facet, the
 * number of values counted, then (value index gap, count) pairs. */
function countTable(facets, docs, w) {
  const counts = LIST_FACETS.map((facet) => new Uint32Array(facets.values[facet].length));
  const [byCounts, themeCounts, responseCounts, actionCounts] = counts;
  for (let i = 0; i < docs.length; i++) {
    const d = docs[i], code = facets.code[d];
    responseCounts[code >> 3]++;
    if (code & 7) actionCounts[(code & 7) - 1]++;
    for (let j = facets.themeStart[d]; j < facets.themeStart[d + 1]; j++) themeCounts[facets.themes[j]]++;
    for (let j = facets.byStart[d]; j < facets.byStart[d + 1]; j++) byCounts[facets.by[j]]++;
  }
  for (const list of counts) {
    let filled = 0;
    for (let i = 0; i < list.length; i++) if (list[i]) filled++;
    w.int(filled);
    let last = -1;
    for (let i = 0; i < list.length; i++) {
      if (list[i]) {
        w.int(i - last - 1).int(list[i]);
        last = i;
      }
    }
  }
  return w;
}

function record(facets, d, w) {
  w.int(facets.code[d]);
  w.int(facets.themeStart[d + 1] - facets.themeStart[d]);
  for (let j = facets.themeStart[d]; j < facets.themeStart[d + 1]; j++) w.int(facets.themes[j]);
  w.int(facets.byStart[d + 1] - facets.byStart[d]);
  for (let j = facets.byStart[d]; j < facets.byStart[d + 1]; j++) w.int(facets.by[j]);
  return w;
}

function script(name, value) {
  return Buffer.from("uprSearchData(" + JSON.stringify(name) + "," + JSON.stringify(value) + ");\n", "utf8");
}

// -- a language's index -------------------------------------------------------------
/* A review's terms as cached: the term list as JSON, then the numbers as 32-bit integers. */
function packTerms(tokens) {
  const json = Buffer.from(JSON.stringify([tokens.terms, tokens.shown]), "utf8");
  const head = Buffer.alloc(8);
  head.writeUInt32LE(json.length, 0);
  head.writeUInt32LE(tokens.data.length, 4);
  const pad = Buffer.alloc((4 - (json.length % 4)) % 4);
  return Buffer.concat([head, json, pad, Buffer.from(Uint32Array.from(tokens.data).buffer)]);
}

function unpackTerms(bytes) {
  const jsonLength = bytes.readUInt32LE(0), count = bytes.readUInt32LE(4);
  const start = 8 + jsonLength + ((4 - (jsonLength % 4)) % 4);
  if (start + count * 4 !== bytes.length) throw new Error("truncated");
  const aligned = new Uint8Array(count * 4);
  aligned.set(bytes.subarray(start, start + count * 4));
  const [terms, shown] = JSON.parse(bytes.toString("utf8", 8, 8 + jsonLength));
  return { terms, shown, data: new Uint32Array(aligned.buffer) };
}

/* The inverted index of a language, from each review's cached terms. */
function invert(plan, cache, lang) {
  const lunr = loadLunr();
  const pipeline = require(PIPELINE)(lunr, lang);
  const names = plan.names[lang];
  const salt = digest(CODE, lang, JSON.stringify(names), JSON.stringify(plan.languages));
  const n = plan.reviews.reduce((sum, review) => sum + review.count, 0);
  const F = FIELDS.length;
  // First pass: every review's terms, numbered, and how many postings each term has per field.
  const ids = new Map(), terms = [], shown = [];
  let sizes = new Uint32Array(1024 * F), placeSizes = new Uint32Array(1024);
  const reviews = plan.reviews.map(({ sur, key }) => {
    const file = cache.file("terms", digest(salt, key)).replace(/\.json$/, ".bin");
    let tokens;
    const bytes = cache.readOrNothing(file);
    if (bytes !== undefined) tokens = unpackTerms(bytes);  // sealed: a failure here is a bug
    if (tokens === undefined) {  // missing or damaged: made again
      tokens = tokenizeReview(cache.reviewDocuments(key), sur, names, lang, plan.languages, pipeline);
      cache.write(file, packTerms(tokens));
    }
    const global = new Uint32Array(tokens.terms.length);
    tokens.terms.forEach((term, i) => {
      let id = ids.get(term);
      if (id === undefined) {
        ids.set(term, (id = terms.length));
        terms.push(term);
        shown.push(new Map());
        if (sizes.length < terms.length * F) {
          const bigger = new Uint32Array(sizes.length * 2);
          bigger.set(sizes);
          sizes = bigger;
          const morePlaces = new Uint32Array(placeSizes.length * 2);
          morePlaces.set(placeSizes);
          placeSizes = morePlaces;
        }
      }
      global[i] = id;
      const words = shown[id];
      for (const [word, count] of Object.entries(tokens.shown[i])) words.set(word, (words.get(word) || 0) + count);
    });
    const data = tokens.data;
    for (let i = 0; i < data.length;) {
      for (let f = 0; f < F; f++) {
        const count = data[i + 1];
        i += 2;
        let places = 0;
        for (let j = 0; j < count; j++, i += 2) {
          sizes[global[data[i]] * F + f]++;
          if (f === TEXT) {
            placeSizes[global[data[i]]] += Math.min(data[i + 1], 65535);
            places += data[i + 1];
          }
        }
        i += places;
      }
    }
    return { global, data };
  });
  // Second pass: the postings, straight into arrays of their final size.
  const docs = terms.map((_, t) => FIELDS.map((_, f) => new Int32Array(sizes[t * F + f])));
  const tfs = terms.map((_, t) => FIELDS.map((_, f) => new Uint16Array(sizes[t * F + f])));
  // Word positions in the text: of each term, per document of its text postings (as many as its tf there).
  const places = terms.map((_, t) => new Uint32Array(placeSizes[t]));
  const placed = new Uint32Array(terms.length);
  const filled = new Uint32Array(terms.length * F);
  const lengths = new Uint32Array(n * F);
  let d = 0;
  for (const { global, data } of reviews) {
    for (let i = 0; i < data.length; d++) {
      for (let f = 0; f < F; f++) {
        lengths[d * F + f] = data[i];
        const count = data[i + 1], pairs = i + 2;
        i += 2;
        for (let j = 0; j < count; j++, i += 2) {
          const t = global[data[i]], at = filled[t * F + f]++;
          docs[t][f][at] = d;
          tfs[t][f][at] = Math.min(data[i + 1], 65535);
        }
        if (f !== TEXT) continue;
        for (let j = 0; j < count; j++) {
          const t = global[data[pairs + 2 * j]], tf = data[pairs + 2 * j + 1];
          for (let q = 0; q < Math.min(tf, 65535); q++) places[t][placed[t]++] = data[i + q];
          i += tf;
        }
      }
    }
  }
  if (d !== n) throw new Error("the plan's document counts do not match the reviews");
  const postings = new Map();  // term -> per field [docs, tfs]
  const positions = new Map();  // term -> word positions in the texts, document after document
  const shownAs = new Map();  // term -> the commonest word that gives it (ties: the first in code point order)
  terms.forEach((term, t) => {
    postings.set(term, FIELDS.map((_, f) => [docs[t][f], tfs[t][f]]));
    positions.set(term, places[t]);
    let best = null, most = 0;
    for (const [word, count] of shown[t]) {
      if (count > most || (count === most && word < best)) {
        best = word;
        most = count;
      }
    }
    shownAs.set(term, best);
  });
  return { n, postings, positions, shownAs, lengths, salt };
}

function vlqLength(n) {
  return n < 32 ? 1 : n < 1024 ? 2 : n < 32768 ? 3 : n < 1048576 ? 4 : n < 33554432 ? 5 : 6;
}

// Scratch space of pairTable: how often each (tf, field length) key occurs, and its place in the table.
const SCRATCH_KEYS = 1 << 20;
const keyCount = new Int32Array(SCRATCH_KEYS), keyPosition = new Int32Array(SCRATCH_KEYS);

/* The distinct keys, most frequent first (then ascending), and each key's index in that table. */
function pairTable(keys) {
  let small = true;
  for (let i = 0; i < keys.length && small; i++) small = keys[i] < SCRATCH_KEYS;
  if (!small) {  // a term frequency of 16 or more in one field: rare, so the slower way
    const frequency = new Map();
    for (const key of keys) frequency.set(key, (frequency.get(key) || 0) + 1);
    const table = [...frequency.keys()].sort((a, b) => frequency.get(b) - frequency.get(a) || a - b);
    const position = new Map(table.map((key, i) => [key, i]));
    return { table, positions: keys.map((key) => position.get(key)) };
  }
  const table = [];
  for (let i = 0; i < keys.length; i++) if (keyCount[keys[i]]++ === 0) table.push(keys[i]);
  table.sort((a, b) => keyCount[b] - keyCount[a] || a - b);
  for (let i = 0; i < table.length; i++) keyPosition[table[i]] = i;
  const positions = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) positions[i] = keyPosition[keys[i]];
  for (const key of table) keyCount[key] = 0;
  return { table, positions };
}

/* One field of a term's postings: count, then (table size * 4 + mode), the
 * table of distinct (tf, field length) pairs most frequent first, then the
 * documents and each one's pair index, in the smallest of three ways:
 * 0: per document (gap, pair index); 1: per run of consecutive documents
 * with the same pair (gap, run length - 1, pair index); 2: first document,
 * span, a bitmap of the span six documents to a digit, then the pair indices
 * (one digit each when the table has at most 64 pairs). The pair index is
 * left out when the table has one pair. */
function encodeField(docs, tfs, lengths, f, w) {
  const count = docs.length;
  w.int(count);
  if (count === 0) return;
  const keys = new Array(count);
  for (let i = 0; i < count; i++) keys[i] = tfs[i] * 65536 + lengths[docs[i] * FIELDS.length + f];
  const { table, positions } = pairTable(keys);
  const indexed = table.length > 1;
  // Characters each way, to choose the smaller.
  let plain = 0, runs = 0, last = -1;
  for (let i = 0; i < count; i++) {
    plain += vlqLength(docs[i] - last - 1) + (indexed ? vlqLength(positions[i]) : 0);
    last = docs[i];
  }
  last = -1;
  for (let i = 0; i < count;) {
    let j = i;
    while (j + 1 < count && docs[j + 1] === docs[j] + 1 && keys[j + 1] === keys[i]) j++;
    runs += vlqLength(docs[i] - last - 1) + vlqLength(j - i) + (indexed ? vlqLength(positions[i]) : 0);
    last = docs[j];
    i = j + 1;
  }
  // A bitmap of the documents from the first to the last, six to a digit,
  // then each one's pair index as a digit: for the frequent terms.
  const span = docs[count - 1] - docs[0] + 1, digits = table.length <= 64;
  const bitmap = vlqLength(docs[0]) + vlqLength(span) + Math.ceil(span / 6) +
    (indexed ? (digits ? count : positions.reduce((sum, p) => sum + vlqLength(p), 0)) : 0);
  const mode = bitmap < Math.min(plain, runs) ? 2 : runs < plain ? 1 : 0;
  w.int(table.length * 4 + mode);
  for (const key of table) w.int(Math.floor(key / 65536)).int(key % 65536);
  if (mode === 2) {
    w.int(docs[0]).int(span);
    let bits = 0, filled = 0, next = 0;
    for (let b = 0; b < span; b++) {
      if (docs[next] === docs[0] + b) {
        bits |= 1 << filled;
        next++;
      }
      if (++filled === 6 || b === span - 1) {
        w.digit(bits);
        bits = filled = 0;
      }
    }
    for (let i = 0; indexed && i < count; i++) {
      if (digits) w.digit(positions[i]);
      else w.int(positions[i]);
    }
    return;
  }
  last = -1;
  for (let i = 0; i < count;) {
    let j = i;
    if (mode === 1) while (j + 1 < count && docs[j + 1] === docs[j] + 1 && keys[j + 1] === keys[i]) j++;
    w.int(docs[i] - last - 1);
    if (mode === 1) w.int(j - i);
    if (indexed) w.int(positions[i]);
    last = docs[j];
    i = j + 1;
  }
}

/* The documents that have a term in any field, ascending. `seen` marks
 * documents already taken, with a number new for each call. */
function unionOfFields(entry, seen, mark) {
  const filled = entry.filter((field) => field[0].length > 0);
  if (filled.length === 1) return filled[0][0];
  const out = [];
  for (const field of filled) {
    for (const d of field[0]) {
      if (seen[d] !== mark) {
        seen[d] = mark;
        out.push(d);
      }
    }
  }
  return Int32Array.from(out).sort();
}

/* A term's word positions in the texts (file p<k>): per document of its text
 * postings, as many as its tf there: the first, then each gap - 1. */
function encodePositions(tfs, places, w) {
  let at = 0;
  for (let i = 0; i < tfs.length; i++) {
    let last = -1;
    for (let q = 0; q < tfs[i]; q++, at++) {
      w.int(places[at] - last - 1);
      last = places[at];
    }
  }
  if (at !== places.length) throw new Error("positions do not match the term frequencies");
}

/* 32-bit FNV-1a of a term: where shards may be cut. */
function termHash(term) {
  let h = 0x811c9dc5;
  for (let i = 0; i < term.length; i++) {
    h ^= term.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/* A term's postings, and its facet counts: the records of its documents, or
 * a table of its counts when that is smaller (the frequent terms). */
function encodeTerm(entry, lengths, facets, recordLength, seen, mark) {
  const docs = unionOfFields(entry, seen, mark);
  let recordChars = 0;
  for (let i = 0; i < docs.length; i++) recordChars += recordLength[docs[i]];
  let counts = null, table = false;
  if (recordChars > 64) {
    counts = countTable(facets, docs, new codec.Writer());
    table = counts.length < recordChars;
  }
  if (!table) {
    counts = new codec.Writer(recordChars + 8);
    for (let i = 0; i < docs.length; i++) record(facets, docs[i], counts);
  }
  // The first number of a term's postings says how its counts are stored: 1 a table, 0 records.
  const postings = new codec.Writer().int(table ? 1 : 0);
  entry.forEach((field, f) => encodeField(field[0], field[1], lengths, f, postings));
  return { postings, counts };
}

function bytesOf(array) {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

function languageJob(plan, cache, lang, emit) {
  const { n, postings, positions, shownAs, lengths, salt } = invert(plan, cache, lang);
  const facets = facetTable(plan, cache);
  const F = FIELDS.length;
  const terms = [...postings.keys()].sort();

  // Shards: runs of terms cut by their postings counts (about the characters they take).
  const shards = [];
  let current = null;
  for (const term of terms) {
    let count = 0;
    for (const field of postings.get(term)) count += field[0].length;
    const size = 2 * count + term.length + 3;
    const cut = current === null || (current.size > 0 && (current.size + size > SHARD_MAX ||
      (current.size >= SHARD_MIN && termHash(term) % SHARD_CUT_ONE_IN === 0)));
    if (cut) shards.push((current = { terms: [], size: 0 }));
    current.terms.push(term);
    current.size += size;
  }

  // A shard's files are cached under a digest of all they depend on: its
  // terms, their postings (documents, term frequencies, field lengths) and
  // the facets of every document.
  const facetsKey = crypto.createHash("sha1");
  for (const array of [facets.code, facets.review, facets.themeStart, facets.themes, facets.byStart, facets.by]) {
    facetsKey.update(bytesOf(array));
  }
  facetsKey.update(JSON.stringify(facets.values));
  const base = digest(CODE, salt, facetsKey.digest("hex"));
  let recordLength = null, seen = null, mark = 0;
  const recordChars = shards.map((shard, k) => {
    const h = crypto.createHash("sha1").update(base);
    for (const term of shard.terms) {
      h.update(term + "\0");
      postings.get(term).forEach(([docs, tfs], f) => {
        const fieldLengths = new Uint32Array(docs.length);
        for (let i = 0; i < docs.length; i++) fieldLengths[i] = lengths[docs[i] * F + f];
        h.update(bytesOf(Uint32Array.of(docs.length))).update(bytesOf(docs)).update(bytesOf(tfs))
          .update(bytesOf(fieldLengths));
      });
      h.update(bytesOf(positions.get(term)));
    }
    const files = cache.through("shards", h.digest("hex"), () => {
      if (recordLength === null) {
        recordLength = new Uint16Array(n);
        for (let d = 0; d < n; d++) recordLength[d] = record(facets, d, new codec.Writer(32)).length;
        seen = new Int32Array(n).fill(-1);
      }
      const postingsText = new codec.Writer(), countsText = new codec.Writer(), positionsText = new codec.Writer();
      for (const term of shard.terms) {
        const encoded = encodeTerm(postings.get(term), lengths, facets, recordLength, seen, mark++);
        postingsText.append(encoded.postings);
        countsText.append(encoded.counts);
        encodePositions(postings.get(term)[TEXT][1], positions.get(term), positionsText);
      }
      return { postings: postingsText.toString(), counts: countsText.toString(), positions: positionsText.toString() };
    });
    emit("s" + k + ".js", script("s" + k, [shard.terms, files.postings]));
    emit("r" + k + ".js", script("r" + k, files.counts));
    emit("p" + k + ".js", script("p" + k, files.positions));
    return files.counts.length;
  });
  emit("v.js", script("v", terms));
  // For suggestions: the terms of two documents or more (a term of one is as likely a typo
  // itself, and they are a third of the terms), their document frequencies, and the word each
  // is shown as.
  const frequencies = new codec.Writer(), suggested = [], shown = [];
  for (const term of terms) {
    let df = 0;
    for (const field of postings.get(term)) df += field[0].length;
    if (df < SUGGESTED_MIN_DOCUMENTS) continue;
    suggested.push(term);
    frequencies.int(df);
    const word = shownAs.get(term) || term;
    shown.push(word === term ? "" : word.startsWith(term) && word[term.length] !== "=" ? word.slice(term.length) : "=" + word);
  }
  emit("w.js", script("w", [suggested, frequencies.toString(), shown]));

  const lengthSums = FIELDS.map((_, f) => {
    let sum = 0;
    for (let d = 0; d < n; d++) sum += lengths[d * F + f];
    return sum;
  });
  emit("m.js", script("m", {
    language: lang,
    fallbacks: plan.languages,
    documents: n,
    fields: FIELDS,
    fieldLengthSums: lengthSums,
    chunk: CHUNK,
    shards: shards.map((shard) => shard.terms[0]),
    recordChars: recordChars,
  }));
}

// -- what every language shares -------------------------------------------------------
function sharedJob(plan, cache, emit) {
  const facets = facetTable(plan, cache);
  const { n, values } = facets;

  // Reviews as runs of documents; each State's region, each session's cycle.
  const reviews = [];
  let first = 0;
  for (const { session, sur, count } of plan.reviews) {
    if (count > 0) reviews.push([first, session, sur]);
    first += count;
  }
  const regions = {}, cycles = {};
  for (const code of values.sur) regions[code] = plan.regions[code];
  for (const session of values.session) cycles[session] = plan.cycles[session];

  // Documents of each list-facet value, and count tables of every facet value's documents.
  const lists = {};
  for (const facet of [...LIST_FACETS, ...REVIEW_FACETS]) lists[facet] = values[facet].map(() => []);
  for (let d = 0; d < n; d++) {
    const code = facets.code[d];
    lists.response[code >> 3].push(d);
    if (code & 7) lists.action[(code & 7) - 1].push(d);
    for (let j = facets.themeStart[d]; j < facets.themeStart[d + 1]; j++) lists.theme[facets.themes[j]].push(d);
    for (let j = facets.byStart[d]; j < facets.byStart[d + 1]; j++) lists.by[facets.by[j]].push(d);
    const { session, sur } = plan.reviews[facets.review[d]];
    lists.sur[facets.position.sur.get(sur)].push(d);
    lists.session[facets.position.session.get(String(session))].push(d);
    lists.region[facets.position.region.get(plan.regions[sur])].push(d);
    lists.cycle[facets.position.cycle.get(String(plan.cycles[String(session)]))].push(d);
  }
  const totals = {};
  let listChars = 0;
  for (const facet of [...REVIEW_FACETS, ...LIST_FACETS]) {
    totals[facet] = lists[facet].map((list) => list.length);
    values[facet].forEach((value, i) => {
      if (LIST_FACETS.includes(facet)) {
        const ids = codec.encodeIds(lists[facet][i]);
        listChars += ids.length;
        emit("l-" + facet + "-" + value + ".js", script("l-" + facet + "-" + value, ids));
      }
      const name = "x-" + facet + "-" + value;
      emit(name + ".js", script(name, countTable(facets, lists[facet][i], new codec.Writer()).toString()));
    });
  }
  emit("c.js", script("c", {
    documents: n, chunk: CHUNK, reviews: reviews, region: regions, cycle: cycles,
    values: values, totals: totals, listChars: listChars,
  }));

  // Result details, a few documents per file, each language's text once, compressed.
  const runs = [];  // [review key, sur, session, first document]
  first = 0;
  for (const { session, sur, key, count } of plan.reviews) {
    runs.push([key, sur, session, first]);
    first += count;
  }
  let r = 0, docs = null, docsOf = -1;
  for (let start = 0, k = 0; start < n; start += CHUNK, k++) {
    const end = Math.min(n, start + CHUNK), parts = [];
    while (runs[r][3] + plan.reviews[r].count <= start) r++;
    for (let q = r; q < runs.length && runs[q][3] < end; q++) {
      parts.push(runs[q][0], Math.max(start, runs[q][3]) - runs[q][3], Math.min(end, runs[q][3] + plan.reviews[q].count) - runs[q][3]);
    }
    const name = "d" + k;
    emit.keyed(name + ".js", digest(CODE, CHUNK, DEFLATE_LEVEL, name, ...parts), () => script(name, cache.through("details", digest(CODE, CHUNK, DEFLATE_LEVEL, ...parts), () => {
      const rows = [];
      for (let q = r; q < runs.length && runs[q][3] < end; q++) {
        if (docsOf !== q) {
          docs = cache.reviewDocuments(runs[q][0]);
          docsOf = q;
        }
        const from = Math.max(start, runs[q][3]) - runs[q][3], to = Math.min(end, runs[q][3] + plan.reviews[q].count) - runs[q][3];
        for (let i = from; i < to; i++) {
          const doc = docs[i];
          rows.push([runs[q][1], runs[q][2], doc[DOC.id], doc[DOC.texts], doc[DOC.by], doc[DOC.response], doc[DOC.action], doc[DOC.page]]);
        }
      }
      return zlib.deflateSync(Buffer.from(JSON.stringify(rows), "utf8"), { level: DEFLATE_LEVEL }).toString("base64");
    })));
  }
}

// -- running ------------------------------------------------------------------------
/* Linux: the parent's pid now (process.ppid is the one at start); elsewhere the one at start. */
function currentParent() {
  try {
    const stat = fs.readFileSync("/proc/self/stat", "latin1");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch (error) {
    return process.ppid;
  }
}

const PARENT = process.ppid;

/* True once the process that started this one is gone: the build was killed, nobody reads the result. */
function orphaned() {
  return currentParent() !== PARENT;
}

function runJob(planFile, outDir, job) {
  const plan = JSON.parse(fs.readFileSync(planFile, "utf8"));
  const cache = new Cache(plan.cache);
  const folder = path.join(outDir, plan.folders[job]);
  fs.mkdirSync(folder, { recursive: true });
  // A file with the same bytes in the published site is linked, not written:
  // after one edit most files are unchanged, and a link writes no data.
  const published = plan.published ? path.join(plan.published, plan.folders[job]) : null;
  let emits = 0;
  const emit = (name, bytes) => {
    // Every so often: is the build still there? (A job is one synchronous run: no timer would fire.)
    if (++emits % 64 === 0 && orphaned()) process.exit(1);
    const target = path.join(folder, name);
    if (published) {
      const existing = path.join(published, name);
      try {
        const st = fs.statSync(existing);
        // (0644 only: a file published unreadable to others is written again, as the build writes them)
        if (st.size === bytes.length && (st.mode & 0o777) === 0o644 && fs.readFileSync(existing).equals(bytes)) {
          fs.linkSync(existing, target);
          return;
        }
      } catch (error) {
        // not there, or not linkable: written below
      }
    }
    fs.writeFileSync(target, bytes);
  };
  // Files named with a key of all their content: the build's reuse plan (uprsite/reuse/plan.py)
  // lists those the last build made under the same name, still published as it left them, with
  // their key; one whose key is the same is linked without making its bytes or reading the
  // published ones. At 160k the result details are 5,000 such files, and reading them twice was
  // most of an incremental build's search time. The keys of all of them go back to the plan.
  const reusable = (plan.reusable && plan.reusable[job]) || {};
  const keys = {};
  emit.keyed = (name, key, make) => {
    keys[name] = key;
    if (published && reusable[name] === key) {
      try {
        fs.linkSync(path.join(published, name), path.join(folder, name));
        return;
      } catch (error) {
        // gone since, or not linkable: made below
      }
    }
    emit(name, make());
  };
  if (job === "shared") sharedJob(plan, cache, emit);
  else languageJob(plan, cache, job, emit);
  fs.writeFileSync(path.join(path.dirname(planFile), "keys-" + job + ".json"), JSON.stringify(keys));
}

/* A small index is made in this process, one job after the other: four more Node processes
   would cost more than the jobs (about 0.3 s of CPU for a few hundred recommendations, and a
   test suite builds hundreds of small sites). */
const IN_PROCESS_MAX_RECOMMENDATIONS = 2000;

function runInProcess(planFile, outDir, jobs) {
  for (const job of jobs) {
    try {
      runJob(planFile, outDir, job);
    } catch (error) {
      if (MACHINE_FAULTS[error.code]) {
        process.stderr.write(MACHINE + (error.path ? error.path + ": " : "") + MACHINE_FAULTS[error.code] + "\n");
        process.exit(3);
      }
      process.stderr.write(`search job ${job} failed:\n${error.stack || error}\n`);
      process.exit(1);
    }
  }
}

/* Every job, as many at a time as there are cores (at most two: each holds a language's index). */
function runAll(planFile, outDir) {
  const plan = JSON.parse(fs.readFileSync(planFile, "utf8"));
  const jobs = ["shared", ...plan.languages];
  const recommendations = plan.reviews.reduce((sum, review) => sum + review.count, 0);
  if (recommendations <= IN_PROCESS_MAX_RECOMMENDATIONS) {
    runInProcess(planFile, outDir, jobs);
    return;
  }
  const slots = Math.max(1, Math.min(2, os.cpus().length));
  let failed = false, running = 0;
  const children = new Set();
  // Killed with the build: stop the jobs too (they also check, between files).
  setInterval(() => {
    if (!orphaned()) return;
    for (const child of children) child.kill("SIGKILL");
    process.exit(1);
  }, 200).unref();
  const next = () => {
    if (failed) return;
    const job = jobs.shift();
    if (job === undefined) return;
    running++;
    const child = spawn(process.execPath, [__filename, planFile, outDir, job], { stdio: ["ignore", "inherit", "pipe"] });
    children.add(child);
    let stderr = "";
    child.stderr.on("data", (chunk) => { stderr += chunk; });
    child.on("close", (status) => {
      running--;
      children.delete(child);
      if (status !== 0) {
        failed = true;
        process.stderr.write(`search job ${job} failed:\n${stderr}`);
        process.exitCode = status === 3 ? 3 : 1;
        return;
      }
      if (stderr) process.stderr.write(stderr);  // its warnings
      next();
    });
  };
  for (let i = 0; i < slots; i++) next();
}

if (require.main === module) {
  const [planFile, outDir, job] = process.argv.slice(2);
  if (!job) {
    runAll(planFile, outDir);
  } else {
    try {
      runJob(planFile, outDir, job);
    } catch (error) {
      if (!MACHINE_FAULTS[error.code]) throw error;
      process.stderr.write(MACHINE + (error.path ? error.path + ": " : "") + MACHINE_FAULTS[error.code] + "\n");
      process.exit(3);
    }
  }
}

module.exports = { FIELDS, DOC, Cache, fieldTexts, planDocuments };
