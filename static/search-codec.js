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

  /* Collects integers into a string. */
  function Writer() {
    this.parts = [];
  }
  Writer.prototype.int = function (n) {
    if (!(n >= 0) || n !== Math.floor(n)) throw new Error("cannot encode " + n);
    var out = "";
    while (n >= 32) {
      out += DIGITS[32 | (n % 32)];
      n = Math.floor(n / 32);
    }
    this.parts.push(out + DIGITS[n]);
    return this;
  };
  Writer.prototype.ints = function (list) {
    for (var i = 0; i < list.length; i++) this.int(list[i]);
    return this;
  };
  Writer.prototype.toString = function () {
    return this.parts.join("");
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
