/*
 * sanshen default theme: the few things that need a script.
 *
 * - 字号 中/大/特大 and 高对比度: a class on <html>, remembered in localStorage.
 *   The sizes are percentages of the reader's own default font size, and
 *   every length of text in the style sheet is in rem or em, so the whole
 *   page — navigation, titles, meta, body — grows together.
 *   The buttons are hidden in the HTML and shown here, so a visitor without
 *   JavaScript never meets a button that does nothing.
 * - 打印本页: window.print(); print.css decides what goes on paper.
 * - The search page: loads search-index.json and matches every query term
 *   as a case-insensitive substring of title or text, which works for
 *   Chinese without word segmentation.
 *
 * Plain ES5-level code, no libraries, nothing loaded from other hosts.
 */
(function () {
  "use strict";

  var root = document.documentElement;
  var FONT_KEY = "sanshen-font-size";
  var CONTRAST_KEY = "sanshen-contrast";
  var FONT_CLASSES = { medium: "", large: "font-large", xlarge: "font-xlarge" };
  var SEARCH_LIMIT = 100;

  function remember(key, value) {
    try {
      window.localStorage.setItem(key, value);
    } catch (e) {
      /* Storage may be off (private mode, policy): the choice lasts for this page. */
    }
  }

  function recall(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (e) {
      return null;
    }
  }

  function each(selector, action) {
    var found = document.querySelectorAll(selector);
    for (var i = 0; i < found.length; i++) {
      action(found[i]);
    }
  }

  function setFontSize(size) {
    if (!FONT_CLASSES.hasOwnProperty(size)) {
      size = "medium";
    }
    root.classList.remove("font-large", "font-xlarge");
    if (FONT_CLASSES[size]) {
      root.classList.add(FONT_CLASSES[size]);
    }
    each("[data-font-size]", function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-font-size") === size));
    });
  }

  function setContrast(on) {
    root.classList.toggle("high-contrast", on);
    each("[data-contrast-switch]", function (button) {
      button.setAttribute("aria-pressed", String(on));
    });
  }

  function setUpTools() {
    setFontSize(recall(FONT_KEY) || "medium");
    setContrast(recall(CONTRAST_KEY) === "on");

    each("[data-font-switch], [data-contrast-switch], [data-article-tools]", function (element) {
      element.hidden = false;
    });
    each("[data-font-size]", function (button) {
      button.addEventListener("click", function () {
        var size = button.getAttribute("data-font-size");
        setFontSize(size);
        remember(FONT_KEY, size);
      });
    });
    each("[data-contrast-switch]", function (button) {
      button.addEventListener("click", function () {
        var on = !root.classList.contains("high-contrast");
        setContrast(on);
        remember(CONTRAST_KEY, on ? "on" : "off");
      });
    });
    each("[data-print]", function (button) {
      button.addEventListener("click", function () {
        window.print();
      });
    });
  }

  /* ---- Search ---- */

  function queryTerms(query) {
    return query
      .toLowerCase()
      .split(/\s+/)
      .filter(function (term) {
        return term.length > 0;
      });
  }

  /* Append `text` to `parent`, wrapping every occurrence of a term in <mark>. */
  function appendHighlighted(parent, text, terms) {
    var lower = text.toLowerCase();
    var position = 0;
    while (position < text.length) {
      var nextAt = -1;
      var nextLength = 0;
      for (var i = 0; i < terms.length; i++) {
        var at = lower.indexOf(terms[i], position);
        if (at !== -1 && (nextAt === -1 || at < nextAt || (at === nextAt && terms[i].length > nextLength))) {
          nextAt = at;
          nextLength = terms[i].length;
        }
      }
      if (nextAt === -1) {
        parent.appendChild(document.createTextNode(text.slice(position)));
        return;
      }
      if (nextAt > position) {
        parent.appendChild(document.createTextNode(text.slice(position, nextAt)));
      }
      var mark = document.createElement("mark");
      mark.textContent = text.slice(nextAt, nextAt + nextLength);
      parent.appendChild(mark);
      position = nextAt + nextLength;
    }
  }

  /* A window of the text around the first match, so the match is visible. */
  function excerpt(text, terms) {
    var lower = text.toLowerCase();
    var first = -1;
    for (var i = 0; i < terms.length; i++) {
      var at = lower.indexOf(terms[i]);
      if (at !== -1 && (first === -1 || at < first)) {
        first = at;
      }
    }
    if (first === -1) {
      first = 0;
    }
    var start = Math.max(0, first - 40);
    var end = Math.min(text.length, start + 160);
    return (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
  }

  function matches(entry, terms) {
    var haystack = (entry.title + "\n" + entry.text).toLowerCase();
    for (var i = 0; i < terms.length; i++) {
      if (haystack.indexOf(terms[i]) === -1) {
        return false;
      }
    }
    return true;
  }

  function showResults(container, entries, terms) {
    var status = container.querySelector(".search-status");
    var list = container.querySelector(".search-list");
    list.textContent = "";
    if (terms.length === 0) {
      status.textContent = container.getAttribute("data-empty");
      return;
    }
    var found = entries.filter(function (entry) {
      return matches(entry, terms);
    });
    // Title matches first; the index is already newest first, and sort is stable.
    var titleHits = found.filter(function (entry) {
      return matches({ title: entry.title, text: "" }, terms);
    });
    var otherHits = found.filter(function (entry) {
      return titleHits.indexOf(entry) === -1;
    });
    found = titleHits.concat(otherHits);

    if (found.length === 0) {
      status.textContent = container.getAttribute("data-none");
      return;
    }
    var message = container.getAttribute("data-count").replace("{n}", String(found.length));
    if (found.length > SEARCH_LIMIT) {
      message += " " + container.getAttribute("data-more").replace("{n}", String(SEARCH_LIMIT));
    }
    status.textContent = message;

    found.slice(0, SEARCH_LIMIT).forEach(function (entry) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.className = "result-title";
      link.href = entry.url;
      appendHighlighted(link, entry.title, terms);
      item.appendChild(link);

      var meta = document.createElement("p");
      meta.className = "result-meta";
      meta.textContent = entry.date + (entry.column ? " · " + entry.column : "");
      item.appendChild(meta);

      // The indexed text begins with the title, which is shown just above.
      var body = entry.text.indexOf(entry.title) === 0 ? entry.text.slice(entry.title.length).trim() : entry.text;
      var text = document.createElement("p");
      text.className = "result-text";
      appendHighlighted(text, excerpt(body, terms), terms);
      item.appendChild(text);
      list.appendChild(item);
    });
  }

  function setUpSearch() {
    var container = document.getElementById("search-results");
    if (!container) {
      return;
    }
    var input = document.getElementById("search-q");
    var status = container.querySelector(".search-status");
    var query = new URLSearchParams(window.location.search).get("q") || "";
    input.value = query;
    var terms = queryTerms(query);
    if (terms.length === 0) {
      status.textContent = container.getAttribute("data-empty");
      return;
    }
    status.textContent = container.getAttribute("data-loading");
    fetch(container.getAttribute("data-index"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (entries) {
        showResults(container, entries, terms);
      })
      .catch(function () {
        status.textContent = container.getAttribute("data-failed");
      });
  }

  function start() {
    setUpTools();
    setUpSearch();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
