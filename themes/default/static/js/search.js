/*
 * sanshen default theme: the search page (站内搜索), in the browser alone.
 *
 * The site carries a full-text index built with it (src/render/search/):
 * a manifest, shards of postings keyed by term hash (found through small
 * group files that name them), and one small gzipped document per article.
 * A query downloads the manifest, the group files and shards of its own
 * terms, the parts of the traditional→simplified table its characters
 * need, and the documents of the ten results shown — never the whole index.
 *
 * A query is cut into terms exactly as the index was (tokens.rs): text is
 * folded (full-width → half-width, lower case, traditional → simplified with
 * the table the site ships), CJK characters pair into bigrams (a lone
 * character is looked up as itself), runs of letters and digits are words.
 * Words separated by spaces must all match. Ranking: matches in the title
 * first, then in 文号/索引号/发文机关/tags/column, then phrases (the pieces
 * at consecutive positions) before scattered ones, then the newest.
 *
 * Plain browser JavaScript, no libraries, nothing from other hosts. Gzipped
 * files are opened with DecompressionStream (every current browser).
 * window.SanshenSearch exposes the pure parts for the headless-browser test.
 */
(function () {
  "use strict";

  /* The index format this script reads (FORMAT_VERSION in src/render/search/mod.rs). */
  var FORMAT_VERSION = 1;
  var PAGE_SIZE = 10;
  var MAX_WORD_CHARS = 32;
  var FILTER_PREFIX = "\u0001";
  var FIELD_TITLE = 1;
  var FIELD_META = 2;
  var SNIPPET_BEFORE = 30;
  var SNIPPET_LENGTH = 120;
  var WORD_CHAR = /^[\p{Alphabetic}\p{N}]$/u;
  var UPPERCASE = /^\p{Uppercase}$/u;

  /* ---- Folding and terms: the mirror of fold.rs and tokens.rs ---- */

  function isCjk(code) {
    return code === 0x3007 ||
      (code >= 0x3040 && code <= 0x30ff) ||
      (code >= 0x3400 && code <= 0x4dbf) ||
      (code >= 0x4e00 && code <= 0x9fff) ||
      (code >= 0xac00 && code <= 0xd7af) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0x20000 && code <= 0x323af);
  }

  function isWordChar(ch) {
    return !isCjk(ch.codePointAt(0)) && WORD_CHAR.test(ch);
  }

  /* The traditional → simplified table: the site's text of character pairs. */
  function parseTable(text) {
    var table = new Map();
    var chars = Array.from(text);
    for (var i = 0; i + 1 < chars.length; i += 2) {
      table.set(chars[i], chars[i + 1]);
    }
    return table;
  }

  function foldChar(ch, table) {
    var code = ch.codePointAt(0);
    if (code >= 0x41 && code <= 0x5a) {
      return String.fromCharCode(code + 32);
    }
    if (code < 0x80) {
      return ch;
    }
    if (code >= 0xff01 && code <= 0xff5e) {
      return foldChar(String.fromCharCode(code - 0xfee0), table);
    }
    if (code === 0x3000) {
      return " ";
    }
    if (UPPERCASE.test(ch)) {
      var lower = Array.from(ch.toLowerCase());
      return lower.length === 1 ? lower[0] : ch;
    }
    return (table && table.get(ch)) || ch;
  }

  function foldText(text, table) {
    return Array.from(text).map(function (ch) {
      return foldChar(ch, table);
    });
  }

  /* The units of a text: CJK characters and runs of letters and digits (tokens.rs). */
  function units(chars) {
    var list = [];
    var inWord = false;
    var previousCjk = false;
    chars.forEach(function (ch) {
      if (isWordChar(ch)) {
        if (!inWord) {
          list.push({ text: "", chars: 0, cjk: false, joined: false });
          inWord = true;
        }
        var word = list[list.length - 1];
        if (word.chars < MAX_WORD_CHARS) {
          word.text += ch;
        }
        word.chars += 1;
        previousCjk = false;
        return;
      }
      inWord = false;
      if (isCjk(ch.codePointAt(0))) {
        if (previousCjk) {
          list[list.length - 1].joined = true;
        }
        list.push({ text: ch, cjk: true, joined: false });
        previousCjk = true;
      } else {
        previousCjk = false;
      }
    });
    return list;
  }

  /*
   * One query word → the terms to look up, each with its position in the
   * word. A run of CJK characters is covered by every other bigram
   * (科技创新 → 科技 创新), plus the last one when the run is odd; a lone
   * character is its unigram.
   */
  function wordTerms(word, table) {
    var list = units(foldText(word, table));
    var terms = [];
    function add(term, at, positions) {
      terms.push({ term: term, at: at, positions: positions });
    }
    for (var i = 0; i < list.length; i++) {
      if (!list[i].cjk) {
        add(list[i].text, i, true);
        continue;
      }
      var end = i;
      while (list[end].joined) {
        end += 1;
      }
      var length = end - i + 1;
      if (length === 1) {
        add(list[i].text, i, false);
      }
      for (var offset = 0; offset + 1 < length; offset += 2) {
        add(list[i + offset].text + list[i + offset + 1].text, i + offset, true);
      }
      if (length > 2 && length % 2 === 1) {
        add(list[end - 1].text + list[end].text, end - 1, true);
      }
      i = end;
    }
    return terms;
  }

  /* A query → its words (split at spaces), each with its terms. */
  function queryWords(query, table) {
    return query
      .split(/\s+/u)
      .filter(function (word) {
        return word.length > 0;
      })
      .map(function (word) {
        return { text: word, folded: foldText(word, table), terms: wordTerms(word, table) };
      })
      .filter(function (word) {
        return word.terms.length > 0;
      });
  }

  /* 32-bit FNV-1a over UTF-8: the shard a term is in (shards.rs). */
  function fnv1a(text) {
    var bytes = new TextEncoder().encode(text);
    var hash = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      hash ^= bytes[i];
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash >>> 0;
  }

  /* ---- Reading index files ---- */

  function readVarint(bytes, state) {
    var value = 0;
    var scale = 1;
    for (;;) {
      var byte = bytes[state.at++];
      if (byte === undefined) {
        throw new Error("index file cut short");
      }
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) {
        return value;
      }
      scale *= 128;
    }
  }

  /* A shard's first file: term → where its postings and positions are. */
  function parseShard(bytes) {
    var terms = new Map();
    var decoder = new TextDecoder();
    var state = { at: 0 };
    while (state.at < bytes.length) {
      var length = bytes[state.at++];
      var term = decoder.decode(bytes.subarray(state.at, state.at + length));
      state.at += length;
      var positions = (bytes[state.at++] & 1) === 1;
      var count = readVarint(bytes, state);
      var size = readVarint(bytes, state);
      var entry = { bytes: bytes, count: count, positions: positions };
      if (positions) {
        entry.positionsAt = readVarint(bytes, state);
        readVarint(bytes, state);
      }
      entry.at = state.at;
      terms.set(term, entry);
      state.at += size;
    }
    return terms;
  }

  /*
   * Postings of one term: documents ascending, with fields, and — when the
   * shard's positions are given — where each document's positions are in
   * `positions` (from starts[i], counts[i] of them).
   */
  function decodePostings(entry, positionBytes) {
    var docs = new Int32Array(entry.count);
    var flags = new Uint8Array(entry.count);
    var starts = new Uint32Array(entry.count);
    var counts = new Uint32Array(entry.count);
    var positions = [];
    var state = { at: entry.at };
    var doc = -1;
    for (var i = 0; i < entry.count; i++) {
      var value = readVarint(entry.bytes, state);
      doc += Math.floor(value / 2) + 1;
      docs[i] = doc;
      if (value % 2 === 1) {
        flags[i] = entry.bytes[state.at++];
      }
    }
    if (entry.positions && positionBytes) {
      var at = { at: entry.positionsAt };
      for (var d = 0; d < entry.count; d++) {
        var count = readVarint(positionBytes, at);
        var position = 0;
        starts[d] = positions.length;
        counts[d] = count;
        for (var p = 0; p < count; p++) {
          position += readVarint(positionBytes, at);
          positions.push(position);
        }
      }
    }
    return { docs: docs, flags: flags, starts: starts, counts: counts, positions: positions };
  }

  var EMPTY = decodePostings({ bytes: new Uint8Array(0), at: 0, count: 0, positions: false }, null);

  function Index(manifestUrl) {
    // search/index-<hash>.json: every other file is in search/ too.
    this.base = manifestUrl.slice(0, manifestUrl.lastIndexOf("/") + 1);
    this.files = new Map();
    this.manifest = this.fetch(manifestUrl, false).then(function (bytes) {
      var manifest = JSON.parse(new TextDecoder().decode(bytes));
      if (manifest.version !== FORMAT_VERSION) {
        throw new Error("search index format " + manifest.version + ", this script reads " + FORMAT_VERSION);
      }
      return manifest;
    });
  }

  function hex(bytes) {
    var text = "";
    for (var i = 0; i < bytes.length; i++) {
      text += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    }
    return text;
  }

  /* A file named by eight bytes of hash, in 256 folders: d/ab/cdef….bin. */
  function spread(folder, bytes) {
    var name = hex(bytes);
    return folder + "/" + name.slice(0, 2) + "/" + name.slice(2) + ".bin";
  }

  /* A file's bytes (gunzipped), or what `parse` makes of them; each fetched once. */
  Index.prototype.fetch = function (url, gzipped, parse) {
    if (parse) {
      var key = "parsed:" + url;
      if (!this.files.has(key)) {
        this.files.set(key, this.fetch(url, gzipped).then(parse));
      }
      return this.files.get(key);
    }
    if (!this.files.has(url)) {
      this.files.set(url, fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) {
          throw new Error(url + ": " + response.status);
        }
        return response.arrayBuffer();
      }).then(function (buffer) {
        var bytes = new Uint8Array(buffer);
        // A server that already sent it gunzipped (Content-Encoding) left no header.
        if (!gzipped || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
          return bytes;
        }
        var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
        return new Response(stream).arrayBuffer().then(function (plain) {
          return new Uint8Array(plain);
        });
      }));
    }
    return this.files.get(url);
  };

  /*
   * The traditional → simplified table, as far as `text` needs it: the
   * table comes in parts by code point, and only the parts of the text's
   * CJK characters are fetched. Parts already loaded are kept.
   */
  Index.prototype.table = function (text) {
    var index = this;
    if (!this.tableMap) {
      this.tableMap = new Map();
      this.tableParts = new Map();
    }
    return this.manifest.then(function (manifest) {
      var wanted = new Set();
      Array.from(text).forEach(function (ch) {
        var code = ch.codePointAt(0);
        if (code >= 0x3400) {
          wanted.add(code % manifest.t2s.length);
        }
      });
      return Promise.all(Array.from(wanted).map(function (part) {
        if (!index.tableParts.has(part)) {
          index.tableParts.set(part, index.fetch(index.base + "t2s/" + manifest.t2s[part] + ".bin", true)
            .then(function (bytes) {
              parseTable(new TextDecoder().decode(bytes)).forEach(function (simple, traditional) {
                index.tableMap.set(traditional, simple);
              });
            }));
        }
        return index.tableParts.get(part);
      }));
    }).then(function () {
      return index.tableMap;
    });
  };

  /* A term's postings; with its positions when `withPositions`. */
  Index.prototype.postings = function (term, withPositions) {
    var index = this;
    return this.manifest.then(function (manifest) {
      var shard = fnv1a(term) % manifest.shards;
      var group = manifest.groups[Math.floor(shard / manifest.group_size)];
      return index.fetch(index.base + "g/" + group + ".bin", false).then(function (names) {
        var at = (shard % manifest.group_size) * 16;
        var terms = index.fetch(index.base + spread("t", names.subarray(at, at + 8)), true, parseShard);
        var positions = withPositions ? index.fetch(index.base + spread("p", names.subarray(at + 8, at + 16)), true) : null;
        return Promise.all([terms, positions]);
      });
    }).then(function (loaded) {
      var entry = loaded[0].get(term);
      return entry ? decodePostings(entry, loaded[1]) : EMPTY;
    });
  };

  /* The search document of document number `doc`. */
  Index.prototype.document = function (doc) {
    var index = this;
    return this.manifest.then(function (manifest) {
      var file = manifest.name_files[Math.floor(doc / manifest.names_per_file)];
      return index.fetch(index.base + "n/" + file + ".bin", false).then(function (names) {
        var at = (doc % manifest.names_per_file) * 8;
        return index.fetch(index.base + spread("d", names.subarray(at, at + 8)), true);
      });
    }).then(function (bytes) {
      return JSON.parse(new TextDecoder().decode(bytes));
    });
  };

  /* ---- Matching and ranking ---- */

  /* Whether the sorted positions[from, from + count) hold `wanted`. */
  function holds(positions, from, count, wanted) {
    var low = from;
    var high = from + count - 1;
    while (low <= high) {
      var middle = (low + high) >> 1;
      if (positions[middle] === wanted) {
        return true;
      }
      if (positions[middle] < wanted) {
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return false;
  }

  /*
   * Whether the word's positional terms stand in the document as in the
   * word: some start position from which each is at its own offset.
   */
  function isPhrase(terms, lists, at) {
    var anchor = -1;
    for (var t = 0; t < terms.length; t++) {
      if (terms[t].positions && (anchor === -1 || lists[t].counts[at[t]] < lists[anchor].counts[at[anchor]])) {
        anchor = t;
      }
    }
    if (anchor === -1) {
      return true;
    }
    var a = lists[anchor];
    for (var k = 0; k < a.counts[at[anchor]]; k++) {
      var base = a.positions[a.starts[at[anchor]] + k] - terms[anchor].at;
      var all = true;
      for (var u = 0; u < terms.length && all; u++) {
        if (u !== anchor && terms[u].positions) {
          var list = lists[u];
          all = holds(list.positions, list.starts[at[u]], list.counts[at[u]], base + terms[u].at);
        }
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  /*
   * Documents holding every term of one word, each with what it scored:
   * all terms in the title, all in title or 文号-like fields, and whether
   * they stand in the document as in the word (a phrase).
   */
  function matchWord(terms, lists) {
    var order = lists.map(function (_, i) {
      return i;
    }).sort(function (a, b) {
      return lists[a].docs.length - lists[b].docs.length;
    });
    var pointers = lists.map(function () {
      return 0;
    });
    var shortest = lists[order[0]];
    var needPhrase = terms.filter(function (term) {
      return term.positions;
    }).length > 1;
    var found = new Map();
    for (var k = 0; k < shortest.docs.length; k++) {
      var doc = shortest.docs[k];
      var everywhere = true;
      for (var o = 1; o < order.length && everywhere; o++) {
        var list = lists[order[o]];
        var p = pointers[order[o]];
        while (p < list.docs.length && list.docs[p] < doc) {
          p++;
        }
        pointers[order[o]] = p;
        everywhere = p < list.docs.length && list.docs[p] === doc;
      }
      if (!everywhere) {
        continue;
      }
      var title = true;
      var meta = true;
      var at = [];
      for (var t = 0; t < terms.length; t++) {
        at.push(t === order[0] ? k : pointers[t]);
        var flags = lists[t].flags[at[t]];
        title = title && (flags & FIELD_TITLE) !== 0;
        meta = meta && (flags & (FIELD_TITLE | FIELD_META)) !== 0;
      }
      var phrase = !needPhrase || isPhrase(terms, lists, at);
      found.set(doc, { title: title && phrase, meta: meta && phrase, phrase: phrase });
    }
    return found;
  }

  /*
   * Run a query: every word must match. Returns the matching documents,
   * best first: [{ doc, title, meta, phrase }] (counts of words).
   */
  function runQuery(index, words, filters) {
    var termLists = words.map(function (word) {
      // Positions are needed only to check a phrase of two terms or more.
      var phrase = word.terms.filter(function (term) {
        return term.positions;
      }).length > 1;
      return Promise.all(word.terms.map(function (term) {
        return index.postings(term.term, phrase && term.positions);
      }));
    });
    var filterList = filters.column ? index.postings(FILTER_PREFIX + filters.column, false) : Promise.resolve(null);
    return Promise.all([Promise.all(termLists), filterList, index.manifest]).then(function (loaded) {
      var perWord = loaded[0];
      var allowed = loaded[1] ? new Set(loaded[1].docs) : null;
      var range = null;
      if (filters.year) {
        range = [0, 0];
        loaded[2].years.forEach(function (year) {
          if (String(year[0]) === filters.year) {
            range = [year[1], year[1] + year[2]];
          }
        });
      }
      var scores = null;
      words.forEach(function (word, w) {
        var found = matchWord(word.terms, perWord[w]);
        var next = new Map();
        found.forEach(function (score, doc) {
          if (allowed && !allowed.has(doc)) {
            return;
          }
          if (range && (doc < range[0] || doc >= range[1])) {
            return;
          }
          var before = scores ? scores.get(doc) : { title: 0, meta: 0, phrase: 0 };
          if (!before) {
            return;
          }
          next.set(doc, {
            title: before.title + (score.title ? 1 : 0),
            meta: before.meta + (score.meta ? 1 : 0),
            phrase: before.phrase + (score.phrase ? 1 : 0)
          });
        });
        scores = next;
      });
      var results = [];
      (scores || new Map()).forEach(function (score, doc) {
        results.push({ doc: doc, title: score.title, meta: score.meta, phrase: score.phrase });
      });
      results.sort(function (a, b) {
        return (b.title - a.title) || (b.meta - a.meta) || (b.phrase - a.phrase) || (a.doc - b.doc);
      });
      return results;
    });
  }

  /* ---- Snippets and highlighting ---- */

  function indexOfChars(haystack, needle, from) {
    outer: for (var i = from; i + needle.length <= haystack.length; i++) {
      for (var j = 0; j < needle.length; j++) {
        if (haystack[i + j] !== needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /*
   * What to look for in a document's text, longest first: each query word
   * as typed (folded), its runs of CJK characters and its words, and, for
   * scattered matches, its bigrams.
   */
  function needles(words, table) {
    var list = [];
    words.forEach(function (word) {
      list.push(word.folded);
      var piece = [];
      word.folded.forEach(function (ch) {
        if (isCjk(ch.codePointAt(0)) || isWordChar(ch)) {
          piece.push(ch);
        } else if (piece.length) {
          list.push(piece);
          piece = [];
        }
      });
      if (piece.length) {
        list.push(piece);
      }
      word.terms.forEach(function (term) {
        list.push(foldText(term.term, table));
      });
    });
    var seen = new Set();
    return list.filter(function (needle) {
      var key = needle.join("");
      if (!needle.length || seen.has(key)) {
        return false;
      }
      seen.add(key);
      return true;
    }).sort(function (a, b) {
      return b.length - a.length;
    });
  }

  /* [start, end) of every needle occurrence in `folded`, longest first, not overlapping. */
  function matchSpans(folded, list, from, to) {
    var taken = new Uint8Array(to - from);
    var spans = [];
    list.forEach(function (needle) {
      var at = indexOfChars(folded, needle, from);
      while (at !== -1 && at + needle.length <= to) {
        var free = true;
        for (var i = at; i < at + needle.length; i++) {
          free = free && !taken[i - from];
        }
        if (free) {
          for (var m = at; m < at + needle.length; m++) {
            taken[m - from] = 1;
          }
          spans.push([at, at + needle.length]);
        }
        at = indexOfChars(folded, needle, at + 1);
      }
    });
    return spans.sort(function (a, b) {
      return a[0] - b[0];
    });
  }

  /* Append chars[from, to) to `parent`, with every match in <mark>. */
  function appendHighlighted(parent, chars, folded, list, from, to) {
    var position = from;
    matchSpans(folded, list, from, to).forEach(function (span) {
      if (span[0] > position) {
        parent.appendChild(document.createTextNode(chars.slice(position, span[0]).join("")));
      }
      var mark = document.createElement("mark");
      mark.textContent = chars.slice(span[0], span[1]).join("");
      parent.appendChild(mark);
      position = span[1];
    });
    if (position < to) {
      parent.appendChild(document.createTextNode(chars.slice(position, to).join("")));
    }
  }

  /*
   * The stretch of `text` around its best match: the first place of the
   * longest needle found. Returns { from, to, chars, folded }, or null.
   */
  function bestWindow(text, list, table) {
    var chars = Array.from(text);
    var folded = chars.map(function (ch) {
      return foldChar(ch, table);
    });
    for (var n = 0; n < list.length; n++) {
      var at = indexOfChars(folded, list[n], 0);
      if (at !== -1) {
        var from = Math.max(0, at - SNIPPET_BEFORE);
        var lineStart = folded.lastIndexOf("\n", at);
        if (lineStart + 1 > from) {
          from = lineStart + 1;
        }
        return { from: from, to: Math.min(chars.length, from + SNIPPET_LENGTH), chars: chars, folded: folded };
      }
    }
    return null;
  }

  /*
   * The snippet: around the longest piece of the query found, in the body
   * or, when it is only there, in a 文号/索引号/发文机关/tags line.
   */
  function snippet(parent, record, list, table) {
    var meta = (record.meta || []).map(function (field) {
      return field[0] + "：" + field[1];
    });
    var found = null;
    for (var n = 0; n < list.length && !found; n++) {
      found = bestWindow(record.body || "", [list[n]], table);
      for (var m = 0; m < meta.length && !found; m++) {
        found = bestWindow(meta[m], [list[n]], table);
        if (found) {
          found.from = 0;
          found.to = found.chars.length;
        }
      }
    }
    if (!found) {
      var chars = Array.from(record.body || "");
      found = { chars: chars, folded: [], from: 0, to: Math.min(chars.length, SNIPPET_LENGTH) };
    }
    if (found.from > 0) {
      parent.appendChild(document.createTextNode("…"));
    }
    appendHighlighted(parent, found.chars, found.folded, list, found.from, found.to);
    if (found.to < found.chars.length) {
      parent.appendChild(document.createTextNode("…"));
    }
  }

  /* ---- The page ---- */

  function label(container, name, values) {
    var text = container.getAttribute("data-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.replace("{" + key + "}", String(values[key]));
    });
    return text;
  }

  function readState() {
    var params = new URLSearchParams(window.location.search);
    var page = parseInt(params.get("page") || "1", 10);
    return {
      q: params.get("q") || "",
      column: params.get("column") || "",
      year: params.get("year") || "",
      page: page > 0 ? page : 1
    };
  }

  function stateUrl(state, page) {
    var params = new URLSearchParams();
    params.set("q", state.q);
    if (state.column) {
      params.set("column", state.column);
    }
    if (state.year) {
      params.set("year", state.year);
    }
    if (page > 1) {
      params.set("page", String(page));
    }
    return window.location.pathname + "?" + params.toString();
  }

  function fillFilters(form, manifest, state) {
    var column = form.querySelector("select[name=column]");
    var year = form.querySelector("select[name=year]");
    if (column) {
      manifest.columns.forEach(function (entry) {
        var option = document.createElement("option");
        option.value = entry[0];
        option.textContent = "\u3000".repeat(entry[2]) + entry[1];
        column.appendChild(option);
      });
      column.value = state.column;
    }
    if (year) {
      manifest.years.forEach(function (entry) {
        var option = document.createElement("option");
        option.value = String(entry[0]);
        option.textContent = String(entry[0]);
        year.appendChild(option);
      });
      year.value = state.year;
    }
    var filters = form.querySelector(".search-filters");
    if (filters) {
      filters.hidden = false;
    }
  }

  function showPage(container, index, state, results, words, table) {
    var status = container.querySelector(".search-status");
    var list = container.querySelector(".search-list");
    var pager = container.querySelector(".search-pages");
    var pages = Math.max(1, Math.ceil(results.length / PAGE_SIZE));
    var page = Math.min(state.page, pages);
    list.textContent = "";
    pager.textContent = "";
    pager.hidden = true;
    if (results.length === 0) {
      status.textContent = label(container, "none");
      return Promise.resolve();
    }
    var message = label(container, "count", { n: results.length });
    if (pages > 1) {
      message += " " + label(container, "page", { n: page, total: pages });
    }
    list.setAttribute("start", String((page - 1) * PAGE_SIZE + 1));
    var shown = results.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    var lookFor = needles(words, table);
    return Promise.all(shown.map(function (result) {
      return index.document(result.doc);
    })).then(function (records) {
      records.forEach(function (record) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.className = "result-title";
        link.href = record.url;
        var title = Array.from(record.title);
        appendHighlighted(link, title, title.map(function (ch) {
          return foldChar(ch, table);
        }), lookFor, 0, title.length);
        item.appendChild(link);
        var meta = document.createElement("p");
        meta.className = "result-meta";
        meta.textContent = (record.column ? record.column + " · " : "") + record.date;
        item.appendChild(meta);
        var text = document.createElement("p");
        text.className = "result-text";
        snippet(text, record, lookFor, table);
        item.appendChild(text);
        list.appendChild(item);
      });
      if (pages > 1) {
        pager.appendChild(pageLinks(container, state, page, pages));
        pager.hidden = false;
      }
      status.textContent = message;
    });
  }

  function pageLinks(container, state, page, pages) {
    var list = document.createElement("ul");
    function add(number, text, rel) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = stateUrl(state, number);
      link.textContent = text;
      link.setAttribute("data-page", String(number));
      if (rel) {
        link.rel = rel;
      } else if (number === page) {
        link.setAttribute("aria-current", "page");
      }
      item.appendChild(link);
      list.appendChild(item);
    }
    if (page > 1) {
      add(page - 1, label(container, "previous"), "prev");
    }
    for (var n = Math.max(1, page - 2); n <= Math.min(pages, page + 2); n++) {
      add(n, String(n), null);
    }
    if (page < pages) {
      add(page + 1, label(container, "next"), "next");
    }
    return list;
  }

  function setUp() {
    var container = document.getElementById("search-results");
    if (!container) {
      return;
    }
    var form = document.querySelector(".search-page-form");
    var input = document.getElementById("search-q");
    var header = document.getElementById("site-search-q");
    var status = container.querySelector(".search-status");
    var index = new Index(container.getAttribute("data-index"));
    var results = null;
    var resultsFor = null;

    function fail() {
      status.textContent = label(container, "failed");
      container.setAttribute("aria-busy", "false");
    }

    function run(state, moveFocus) {
      input.value = state.q;
      if (header) {
        header.value = state.q;
      }
      if (!state.q.trim()) {
        status.textContent = label(container, "empty");
        container.setAttribute("aria-busy", "false");
        return;
      }
      status.textContent = label(container, "loading");
      container.setAttribute("aria-busy", "true");
      var key = [state.q, state.column, state.year].join("\u0000");
      index.table(state.q).then(function (table) {
        var words = queryWords(state.q, table);
        var ready = resultsFor === key ? Promise.resolve(results) : runQuery(index, words, state);
        return ready.then(function (found) {
          results = found;
          resultsFor = key;
          return showPage(container, index, state, found, words, table);
        });
      }).then(function () {
        container.setAttribute("aria-busy", "false");
        if (moveFocus) {
          status.focus();
        }
      }).catch(fail);
    }

    index.manifest.then(function (manifest) {
      fillFilters(form, manifest, readState());
    }).catch(fail);

    container.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[data-page]") : null;
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) {
        return;
      }
      event.preventDefault();
      window.history.pushState(null, "", link.getAttribute("href"));
      run(readState(), true);
    });
    window.addEventListener("popstate", function () {
      run(readState(), true);
    });
    run(readState(), false);
  }

  window.SanshenSearch = {
    parseTable: parseTable,
    foldText: foldText,
    queryWords: queryWords,
    fnv1a: fnv1a,
    Index: Index,
    runQuery: runQuery,
    needles: needles,
    bestWindow: bestWindow
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
