#!/usr/bin/env python3
"""Look at pages as an accessibility auditor and an elderly reader would.

usage:
  audit.py axe AXE_JS URL...         axe-core in normal, large-font (大, 特大) and
                                     high-contrast modes at desktop width, and normal
                                     mode at phone width; exit 1 on any serious or
                                     critical violation
  audit.py fonts ARTICLE_URL URL...  the body follows the browser's default font
                                     size; 大 and 特大 enlarge body, navigation, title
                                     and meta; no page given scrolls sideways at 320 px
  audit.py shots DIR URL...          PNG screenshots at 1366, 390 and 320 px in each
                                     mode, for a person to look at

Drives headless Chromium over the DevTools pipe, like smoke.py (whose Browser it
uses): Python standard library only. axe-core is injected from the local file
given (installed from npm by tests/package.json); nothing is loaded from
another host.
"""
import base64
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from smoke import Browser  # noqa: E402

DESKTOP = (1366, 900, False)
PHONE = (390, 844, True)
NARROW = (320, 640, True)
# The class each mode puts on <html> (see site.js), and whether it is one of the
# enlarged-text modes.
MODES = {
    "normal": "",
    "large": "font-large",
    "xlarge": "font-xlarge",
    "contrast": "high-contrast",
}
LOAD_TIMEOUT = 30


class Page:
    """One tab, navigated and inspected through Runtime.evaluate."""

    def __init__(self, browser):
        self.browser = browser
        target = browser.send("Target.createTarget", {"url": "about:blank"})["result"]["targetId"]
        self.target = target
        self.session = browser.send(
            "Target.attachToTarget", {"targetId": target, "flatten": True})["result"]["sessionId"]
        for domain in ("Page", "Runtime"):
            self.send(f"{domain}.enable")

    def send(self, method, params=None):
        return self.browser.send(method, params, session=self.session)

    def viewport(self, size):
        width, height, mobile = size
        self.send("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

    def open(self, url, mode="normal"):
        self.browser.events.clear()
        self.send("Page.navigate", {"url": url})
        if not any(e.get("method") == "Page.loadEventFired" and e.get("sessionId") == self.session
                   for e in self.browser.events):
            self.browser.wait(lambda m: m.get("method") == "Page.loadEventFired"
                              and m.get("sessionId") == self.session, timeout=LOAD_TIMEOUT)
        self.set_mode(mode)

    def set_mode(self, mode):
        classes = json.dumps([c for c in MODES.values() if c])
        wanted = json.dumps(MODES[mode])
        # What the page's own buttons do, without waiting for a click.
        self.eval(f"""(() => {{
            const root = document.documentElement;
            root.classList.remove(...{classes});
            if ({wanted}) root.classList.add({wanted});
            return true;
        }})()""")

    def eval(self, expression, await_promise=False):
        result = self.send("Runtime.evaluate", {
            "expression": expression, "returnByValue": True, "awaitPromise": await_promise})["result"]
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path):
        """The whole page, in pieces of at most 1800 px so each stays legible."""
        height = self.eval("document.documentElement.scrollHeight")
        width = self.eval("document.documentElement.clientWidth")
        written = []
        for number, top in enumerate(range(0, min(height, 9000), 1800)):
            clip = {"x": 0, "y": top, "width": width, "height": min(1800, height - top), "scale": 1}
            data = self.send("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True, "clip": clip})["result"]["data"]
            piece = path.replace(".png", f"-{number}.png")
            with open(piece, "wb") as out:
                out.write(base64.b64decode(data))
            written.append(piece)
        return written

    def close(self):
        self.browser.send("Target.closeTarget", {"targetId": self.target})


def axe(axe_js, urls):
    with open(axe_js, encoding="utf-8") as source:
        axe_source = source.read()
    browser = Browser()
    failed = False
    try:
        page = Page(browser)
        runs = [(size, mode) for mode in MODES for size in [DESKTOP]] + [(PHONE, "normal")]
        for url in urls:
            for size, mode in runs:
                page.viewport(size)
                page.open(url, mode)
                page.eval(axe_source)
                report = page.eval("""axe.run(document, {resultTypes: ['violations']})
                    .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.map(n => n.target.join(' ') + ' — ' + n.failureSummary)})))""",
                                   await_promise=True)
                serious = [v for v in report if v["impact"] in ("serious", "critical")]
                label = f"{url} [{mode}, {size[0]} px]"
                counts = ", ".join(f"{v['id']} ({v['impact']}, {len(v['nodes'])})" for v in report)
                if serious:
                    failed = True
                    print(f"FAIL {label}: {counts}")
                    for violation in serious:
                        print(f"  {violation['id']}: {violation['help']}")
                        for node in violation["nodes"][:5]:
                            print(f"    {node}")
                else:
                    print(f"ok   {label}" + (f" (minor: {counts})" if counts else ""))
        page.close()
    finally:
        browser.close()
    return 1 if failed else 0


def px(page, selector):
    return page.eval(f"""(() => {{
        const e = document.querySelector({json.dumps(selector)});
        return e ? parseFloat(getComputedStyle(e).fontSize) : null;
    }})()""")


def fonts(url, others):
    """The body grows with the reader's default size, and with 大 and 特大."""
    browser = Browser()
    problems = []
    try:
        page = Page(browser)
        page.viewport(DESKTOP)
        parts = {"body": ".article-body p", "navigation": ".nav-link", "title": ".article-title",
                 "meta": ".article-meta", "footer": ".identity"}
        sizes = {}
        for default in (16, 24):
            page.send("Page.setFontSizes", {"fontSizes": {"standard": default, "fixed": 13}})
            for mode in ("normal", "large", "xlarge"):
                page.open(url, mode)
                sizes[(default, mode)] = {name: px(page, sel) for name, sel in parts.items()}
        page.send("Page.setFontSizes", {"fontSizes": {"standard": 16, "fixed": 13}})
        for key, value in sorted(sizes.items()):
            print(f"default {key[0]} px, {key[1]}: " + ", ".join(f"{k} {v} px" for k, v in value.items()))
        normal, bigger = sizes[(16, "normal")], sizes[(24, "normal")]
        for name in parts:
            if normal[name] is None:
                problems.append(f"no element for {name} ({parts[name]})")
                continue
            if abs(bigger[name] - normal[name] * 1.5) > 0.6:
                problems.append(f"{name}: {normal[name]} px at a 16 px default, {bigger[name]} px at 24 px "
                                f"(expected {normal[name] * 1.5:.1f})")
            for mode, factor in (("large", 1.5), ("xlarge", 2.0)):
                got = sizes[(16, mode)][name]
                if abs(got - normal[name] * factor) > 0.6:
                    problems.append(f"{name} in {mode} mode: {got} px, expected {normal[name] * factor:.1f}")
        if normal["body"] is not None and abs(normal["body"] - 14) > 0.1:
            problems.append(f"the body is {normal['body']} px at a 16 px default; 五号 is 14 px")
        for mode in MODES:
            for other in [url] + others:
                page.viewport(NARROW)
                page.open(other, mode)
                # Against the device's width: a phone browser widens its layout
                # viewport to fit content that is too wide, so innerWidth would grow too.
                overflow = page.eval(f"document.documentElement.scrollWidth - {NARROW[0]}")
                if overflow > 0:
                    problems.append(f"{other} [{mode}] scrolls sideways by {overflow} px at 320 px")
        page.close()
    finally:
        browser.close()
    for problem in problems:
        print(f"FAIL {problem}")
    if not problems:
        print("ok   fonts follow the reader and the 字号 buttons; nothing scrolls sideways at 320 px")
    return 1 if problems else 0


def shots(folder, urls):
    os.makedirs(folder, exist_ok=True)
    browser = Browser()
    try:
        page = Page(browser)
        for number, url in enumerate(urls):
            for name, size in (("desktop", DESKTOP), ("phone", PHONE), ("320", NARROW)):
                for mode in MODES:
                    page.viewport(size)
                    page.open(url, mode)
                    path = os.path.join(folder, f"{number:02d}-{name}-{mode}.png")
                    for piece in page.screenshot(path):
                        print(piece)
        page.close()
    finally:
        browser.close()
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "axe":
        sys.exit(axe(sys.argv[2], sys.argv[3:]))
    if len(sys.argv) >= 3 and sys.argv[1] == "fonts":
        sys.exit(fonts(sys.argv[2], sys.argv[3:]))
    if len(sys.argv) >= 4 and sys.argv[1] == "shots":
        sys.exit(shots(sys.argv[2], sys.argv[3:]))
    print(__doc__)
    sys.exit(2)
