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
 *
 * The search page has a script of its own (search.js).
 *
 * Plain ES5-level code, no libraries, nothing loaded from other hosts.
 */
(function () {
  "use strict";

  var root = document.documentElement;
  var FONT_KEY = "sanshen-font-size";
  var CONTRAST_KEY = "sanshen-contrast";
  var FONT_CLASSES = { medium: "", large: "font-large", xlarge: "font-xlarge" };

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

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpTools);
  } else {
    setUpTools();
  }
})();
