/* Compact integers for the search data files, shared by the index build
 * (Node, encoding) and the search page (browser, decoding).
 *
 * Lists of non-negative integers become strings of URL-safe base64 digits,
 * five bits per digit with the sixth as "more digits follow" (the variable
 * length quantity of source maps, without signs): a document-id gap below 32
 * or a small weight index takes one character. Such strings sit in script
 * files as plain JS strings, which both file:// and HTTP can load, and gzip
 * compresses them well.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.UPRSearchCodec = factory();
  }
})(this, function () {
  "use strict";

  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var VALUE = new Int8Array(128).fill(-1);
  for (var i = 0; i < DIGITS.length; i++) VALUE[DIGITS.charCodeAt(i)] = i;

  var CODES = new Uint8Array(64);
  for (var c = 0; c < 64; c++) CODES[c] = DIGITS.charCodeAt(c);

  /* Collects integers into a string (as character codes, joined once at the end). */
  function Writer(capacity) {
    this.bytes = new Uint8Array(capacity || 1024);
    this.length = 0;
  }
  Writer.prototype.reserve = function (extra) {
    if (this.length + extra > this.bytes.length) {
      var bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
      bigger.set(this.bytes.subarray(0, this.length));
      this.bytes = bigger;
    }
  };
  Writer.prototype.int = function (n) {
    if (!(n >= 0) || n !== Math.floor(n)) throw new Error("cannot encode " + n);
    this.reserve(12);
    while (n >= 32) {
      this.bytes[this.length++] = CODES[32 | (n % 32)];
      n = Math.floor(n / 32);
    }
    this.bytes[this.length++] = CODES[n];
    return this;
  };
  Writer.prototype.ints = function (list) {
    for (var i = 0; i < list.length; i++) this.int(list[i]);
    return this;
  };
  /* Appends what another writer holds. */
  Writer.prototype.append = function (other) {
    this.reserve(other.length);
    this.bytes.set(other.bytes.subarray(0, other.length), this.length);
    this.length += other.length;
    return this;
  };
  Writer.prototype.toString = function () {
    var out = "";
    for (var i = 0; i < this.length; i += 8192) {
      out += String.fromCharCode.apply(null, this.bytes.subarray(i, Math.min(this.length, i + 8192)));
    }
    return out;
  };

  /* Reads integers back from a string, in order. */
  function Reader(text) {
    this.text = text;
    this.pos = 0;
  }
  Reader.prototype.int = function () {
    var text = this.text, n = 0, scale = 1, digit;
    do {
      digit = VALUE[text.charCodeAt(this.pos++)];
      if (digit < 0 || digit === undefined) throw new Error("corrupt search data at " + (this.pos - 1));
      n += (digit & 31) * scale;
      scale *= 32;
    } while (digit & 32);
    return n;
  };
  Reader.prototype.done = function () {
    return this.pos >= this.text.length;
  };

  /* A sorted list of distinct ids as gaps. */
  function encodeIds(ids) {
    var w = new Writer(), last = -1;
    w.int(ids.length);
    for (var i = 0; i < ids.length; i++) {
      w.int(ids[i] - last - 1);
      last = ids[i];
    }
    return w.toString();
  }
  function decodeIds(text) {
    var r = new Reader(text), n = r.int(), ids = new Int32Array(n), last = -1;
    for (var i = 0; i < n; i++) {
      last = last + 1 + r.int();
      ids[i] = last;
    }
    return ids;
  }

  return { Writer: Writer, Reader: Reader, encodeIds: encodeIds, decodeIds: decodeIds };
});
