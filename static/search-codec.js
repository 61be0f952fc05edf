/* Compact integers for the search data files, shared by the index build
 * (Node, encoding) and the search page (browser, decoding); and an inflater
 * for the compressed result details, for browsers without DecompressionStream.
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
  /* One base-64 digit (0-63), without the "more digits follow" bit: for bitmaps and small indices. */
  Writer.prototype.digit = function (n) {
    this.reserve(1);
    this.bytes[this.length++] = CODES[n];
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
  Reader.prototype.digit = function () {
    var digit = VALUE[this.text.charCodeAt(this.pos++)];
    if (digit < 0 || digit === undefined) throw new Error("corrupt search data at " + (this.pos - 1));
    return digit;
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

  // -- deflate (RFC 1951) in a zlib wrapper (RFC 1950), for the result details ----
  var LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
                     131, 163, 195, 227, 258];
  var LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
  var DISTANCE_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
                       2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
  var DISTANCE_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
  var CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

  /* A canonical Huffman code from its code lengths: how many codes of each length, and the symbols in code order. */
  function huffman(lengths) {
    var counts = new Uint16Array(16), offsets = new Uint16Array(16), symbols = new Uint16Array(lengths.length), i;
    for (i = 0; i < lengths.length; i++) counts[lengths[i]]++;
    counts[0] = 0;
    for (i = 1; i < 16; i++) offsets[i] = offsets[i - 1] + counts[i - 1];
    for (i = 0; i < lengths.length; i++) if (lengths[i]) symbols[offsets[lengths[i]]++] = i;
    return { counts: counts, symbols: symbols };
  }

  var FIXED = (function () {
    var lengths = new Uint8Array(288), i;
    for (i = 0; i < 288; i++) lengths[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
    return { literals: huffman(lengths), distances: huffman(new Uint8Array(30).fill(5)) };
  })();

  /* The bytes a zlib stream holds (its checksum is not checked: the file came whole or not at all). */
  function inflate(input) {
    var pos = 2, buffer = 0, count = 0, out = new Uint8Array(input.length * 4 + 1024), length = 0;
    function bits(n) {
      while (count < n) {
        if (pos >= input.length) throw new Error("truncated compressed data");
        buffer |= input[pos++] << count;
        count += 8;
      }
      var value = buffer & ((1 << n) - 1);
      buffer >>>= n;
      count -= n;
      return value;
    }
    function room(extra) {
      if (length + extra > out.length) {
        var bigger = new Uint8Array(Math.max(out.length * 2, length + extra));
        bigger.set(out.subarray(0, length));
        out = bigger;
      }
    }
    function decode(code) {
      var value = 0, first = 0, index = 0;
      for (var len = 1; len < 16; len++) {
        value |= bits(1);
        var n = code.counts[len];
        if (value - first < n) return code.symbols[index + value - first];
        index += n;
        first = (first + n) << 1;
        value <<= 1;
      }
      throw new Error("corrupt compressed data");
    }
    var last;
    do {
      last = bits(1);
      var type = bits(2), literals, distances, i;
      if (type === 0) {
        buffer = count = 0;  // to the byte boundary
        var size = input[pos] | (input[pos + 1] << 8);
        pos += 4;
        room(size);
        out.set(input.subarray(pos, pos + size), length);
        length += size;
        pos += size;
        continue;
      }
      if (type === 1) {
        literals = FIXED.literals;
        distances = FIXED.distances;
      } else if (type === 2) {
        var nLiterals = bits(5) + 257, nDistances = bits(5) + 1, nCodes = bits(4) + 4;
        var codeLengths = new Uint8Array(19);
        for (i = 0; i < nCodes; i++) codeLengths[CODE_LENGTH_ORDER[i]] = bits(3);
        var lengthCode = huffman(codeLengths), lengths = new Uint8Array(nLiterals + nDistances);
        for (i = 0; i < lengths.length;) {
          var symbol = decode(lengthCode);
          if (symbol < 16) {
            lengths[i++] = symbol;
          } else {
            var repeat = symbol === 16 ? 3 + bits(2) : symbol === 17 ? 3 + bits(3) : 11 + bits(7);
            var value = symbol === 16 ? lengths[i - 1] : 0;
            while (repeat--) lengths[i++] = value;
          }
        }
        literals = huffman(lengths.subarray(0, nLiterals));
        distances = huffman(lengths.subarray(nLiterals));
      } else {
        throw new Error("corrupt compressed data");
      }
      for (;;) {
        var sym = decode(literals);
        if (sym < 256) {
          room(1);
          out[length++] = sym;
        } else if (sym === 256) {
          break;
        } else {
          sym -= 257;
          var len = LENGTH_BASE[sym] + bits(LENGTH_EXTRA[sym]);
          var d = decode(distances), distance = DISTANCE_BASE[d] + bits(DISTANCE_EXTRA[d]);
          room(len);
          for (var k = 0; k < len; k++, length++) out[length] = out[length - distance];
        }
      }
    } while (!last);
    return out.subarray(0, length);
  }

  return { Writer: Writer, Reader: Reader, encodeIds: encodeIds, decodeIds: decodeIds, inflate: inflate };
});
