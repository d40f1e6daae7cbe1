#!/usr/bin/env python3
"""Run search queries on a built site in headless Chromium, as a visitor would.

usage: search.py BASE_URL QUERIES.json

QUERIES.json is a list of objects: {"q": "...", "column": "...", "year": "...",
"page": N} (all but "q" optional). For each, the search page is opened at
BASE_URL/search/?q=…, and once its status line has settled the script prints
one JSON line:

  {"q": ..., "status": "...", "titles": [...], "urls": [...], "marks": [[...]...],
   "snippets": [...], "index_bytes": N, "index_files": N, "problems": [...]}

index_bytes counts what the browser downloaded from the site's search/
folder for that query (encoded bytes, the page itself excluded), with the
browser's cache emptied before each query. A query of "!unit" instead runs
the pure functions of search.js against expected values (see UNIT below)
and prints {"unit": [...failures...]}.

Needs only the Python standard library and Debian's chromium (see smoke.py).
"""
import json
import os
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from smoke import Browser  # noqa: E402

SETTLE_TIMEOUT = 60

# Pure functions of search.js: (expression, expected JSON value).
UNIT = [
    ("SanshenSearch.queryWords('科技创新', null).map(w => w.terms.map(t => [t.term, t.at, t.positions]))",
     [[["科技", 0, True], ["创新", 2, True]]]),
    ("SanshenSearch.queryWords('黑颈鹤越冬', null)[0].terms.map(t => [t.term, t.at])",
     [["黑颈", 0], ["鹤越", 2], ["越冬", 3]]),
    ("SanshenSearch.queryWords('税', null).map(w => w.terms.map(t => [t.term, t.positions]))",
     [[["税", False]]]),
    ("SanshenSearch.queryWords('５Ｇ基站  0871-65550100', null).map(w => w.terms.map(t => [t.term, t.at]))",
     [[["5g", 0], ["基站", 1]], [["0871", 0], ["65550100", 1]]]),
    ("SanshenSearch.queryWords('云科协发〔2026〕12号', null).map(w => w.terms.map(t => [t.term, t.at]))",
     [[["云科", 0], ["协发", 2], ["2026", 4], ["12", 5], ["号", 6]]]),
    ("SanshenSearch.queryWords('COVID-19　Vaccine', null).map(w => w.terms.map(t => t.term))",
     [["covid", "19"], ["vaccine"]]),
    ("SanshenSearch.queryWords('〔〕 ，', null).length", 0),
    ("SanshenSearch.queryWords('a'.repeat(40), null)[0].terms[0].term.length", 32),
    ("SanshenSearch.foldText('國務院關於ＡＢＣ', SanshenSearch.parseTable('國国務务關关於于')).join('')",
     "国务院关于abc"),
    ("[SanshenSearch.fnv1a(''), SanshenSearch.fnv1a('a'), SanshenSearch.fnv1a('foobar')]",
     [0x811c9dc5, 0xe40c292c, 0xbf9cf968]),
    ("SanshenSearch.needles(SanshenSearch.queryWords('科技创新 5G', null), null).map(n => n.join(''))",
     ["科技创新", "科技", "创新", "5g"]),
    ("(() => { const w = SanshenSearch.bestWindow('第一行\\n' + '甲'.repeat(200) + '科技创新' + '乙'.repeat(200), "
     "SanshenSearch.needles(SanshenSearch.queryWords('科技创新', null), null), null); "
     "return [w.from, w.to, w.chars.slice(w.from + 30, w.from + 34).join('')]; })()",
     [174, 294, "科技创新"]),
]

SETTLED = """(() => {
  const box = document.getElementById('search-results');
  const status = document.querySelector('.search-status');
  if (!box || !status || box.getAttribute('aria-busy') !== 'false') return null;
  const items = Array.from(document.querySelectorAll('.search-list li'));
  return {
    status: status.textContent,
    titles: items.map(li => li.querySelector('.result-title').textContent),
    urls: items.map(li => li.querySelector('.result-title').getAttribute('href')),
    marks: items.map(li => Array.from(li.querySelectorAll('mark')).map(m => m.textContent)),
    snippets: items.map(li => li.querySelector('.result-text').textContent),
    header: (document.getElementById('site-search-q') || {}).value,
    filters_shown: !document.querySelector('.search-filters').hidden,
    pages: Array.from(document.querySelectorAll('.search-pages a')).map(a => a.textContent),
  };
})()"""


def evaluate(browser, session, expression):
    reply = browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session)
    result = reply["result"]
    if "exceptionDetails" in result:
        raise RuntimeError(f"{expression}: {result['exceptionDetails'].get('exception', {}).get('description')}")
    return result["result"].get("value")


def open_page(browser, session, url):
    browser.events.clear()
    browser.send("Page.navigate", {"url": url}, session=session)
    if not any(e.get("method") == "Page.loadEventFired" and e.get("sessionId") == session
               for e in browser.events):
        browser.wait(lambda m: m.get("method") == "Page.loadEventFired"
                     and m.get("sessionId") == session, timeout=SETTLE_TIMEOUT)
    deadline = time.time() + SETTLE_TIMEOUT
    while time.time() < deadline:
        state = evaluate(browser, session, SETTLED)
        if state:
            return state
        time.sleep(0.05)
    raise TimeoutError(f"the search page did not settle: {url}")


def drain(browser, seconds):
    end = time.time() + seconds
    try:
        while time.time() < end:
            browser.events.append(browser.read_one(end))
    except TimeoutError:
        pass


def run(base, queries):
    browser = Browser()
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["result"]["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["result"]["sessionId"]
        for domain in ("Page", "Runtime", "Network"):
            browser.send(f"{domain}.enable", session=session)
        for query in queries:
            if query.get("q") == "!unit":
                open_page(browser, session, base + "/search/?q=")
                failures = []
                for expression, expected in UNIT:
                    try:
                        value = evaluate(browser, session, expression)
                    except RuntimeError as err:
                        failures.append(str(err))
                        continue
                    if value != expected:
                        failures.append(f"{expression}\n  got      {value!r}\n  expected {expected!r}")
                print(json.dumps({"unit": failures}, ensure_ascii=False), flush=True)
                continue
            browser.send("Network.clearBrowserCache", session=session)
            params = {k: str(v) for k, v in query.items() if k in ("q", "column", "year", "page")}
            url = base + "/search/?" + urllib.parse.urlencode(params)
            state = open_page(browser, session, url)
            drain(browser, 0.3)
            urls, sizes, problems = {}, {}, []
            for event in browser.events:
                if event.get("sessionId") != session:
                    continue
                method, p = event.get("method"), event.get("params", {})
                if method == "Network.requestWillBeSent":
                    urls[p["requestId"]] = p["request"]["url"]
                elif method == "Network.loadingFinished":
                    sizes[p["requestId"]] = p.get("encodedDataLength", 0)
                elif method == "Network.responseReceived" and p["response"]["status"] >= 400:
                    problems.append(f"HTTP {p['response']['status']} {p['response']['url']}")
                elif method == "Runtime.exceptionThrown":
                    problems.append(f"exception: {p['exceptionDetails'].get('text')}")
                elif method == "Runtime.consoleAPICalled" and p.get("type") == "error":
                    problems.append("console.error")
            index = [r for r, u in urls.items()
                     if "/search/" in urllib.parse.urlparse(u).path
                     and not urllib.parse.urlparse(u).path.endswith("/search/")]
            state.update({
                "q": query["q"],
                "index_bytes": sum(sizes.get(r, 0) for r in index),
                "index_files": len(index),
                "problems": problems,
            })
            print(json.dumps(state, ensure_ascii=False), flush=True)
    finally:
        browser.close()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    with open(sys.argv[2], encoding="utf-8") as file:
        run(sys.argv[1].rstrip("/"), json.load(file))
