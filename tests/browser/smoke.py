#!/usr/bin/env python3
"""Load pages in headless Chromium and fail on console errors or missing resources.

Talks to Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe:
JSON messages separated by NUL bytes on file descriptors 3 and 4), so it needs
nothing but the Python standard library and Debian's chromium.

usage: smoke.py URL [URL...]    exit 0 when every page loaded cleanly
"""
import json
import os
import select
import subprocess
import sys
import tempfile
import time

# Debian's /usr/bin/chromium is a wrapper script; the binary itself keeps the pipe descriptors.
CHROMIUM = os.environ.get(
    "CHROMIUM",
    "/usr/lib/chromium/chromium" if os.path.exists("/usr/lib/chromium/chromium") else "chromium",
)
TIMEOUT = 90  # generous: Chromium starts slowly on a loaded 2-core machine
LOAD_TIMEOUT = 30


class Browser:
    def __init__(self):
        self.to_chrome_r, self.to_chrome_w = os.pipe()
        self.from_chrome_r, self.from_chrome_w = os.pipe()
        profile = tempfile.mkdtemp(prefix="sanshen-chromium-")
        args = [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-extensions", f"--user-data-dir={profile}",
            "--remote-debugging-pipe", "about:blank",
        ]

        def child_fds():
            # Duplicate first: the pipe ends may themselves be descriptors 3 and 4.
            reader, writer = os.dup(self.to_chrome_r), os.dup(self.from_chrome_w)
            os.dup2(reader, 3)
            os.dup2(writer, 4)

        self.proc = subprocess.Popen(
            args, pass_fds=(3, 4, self.to_chrome_r, self.from_chrome_w), preexec_fn=child_fds,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(self.to_chrome_r)
        os.close(self.from_chrome_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_chrome_w, json.dumps(message).encode() + b"\0")
        return self.wait(lambda m: m.get("id") == self.next_id)

    def read_one(self, deadline):
        while b"\0" not in self.buffer:
            remaining = deadline - time.time()
            if remaining <= 0:
                raise TimeoutError("chromium did not answer in time")
            ready, _, _ = select.select([self.from_chrome_r], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self.from_chrome_r, 65536)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def wait(self, predicate, timeout=TIMEOUT):
        deadline = time.time() + timeout
        while True:
            message = self.read_one(deadline)
            if predicate(message):
                if "error" in message:
                    raise RuntimeError(f"DevTools error: {message['error']}")
                return message
            self.events.append(message)

    def close(self):
        try:
            self.send("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def check_page(browser, url):
    target = browser.send("Target.createTarget", {"url": "about:blank"})["result"]["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["result"]["sessionId"]
    for domain in ("Page", "Runtime", "Log", "Network"):
        browser.send(f"{domain}.enable", session=session)
    loaded = False
    for attempt in range(2):
        browser.events.clear()
        browser.send("Page.navigate", {"url": url}, session=session)
        if any(e.get("method") == "Page.loadEventFired" and e.get("sessionId") == session
               for e in browser.events):
            loaded = True
            break
        try:
            browser.wait(lambda m: m.get("method") == "Page.loadEventFired"
                         and m.get("sessionId") == session, timeout=LOAD_TIMEOUT)
            loaded = True
            break
        except TimeoutError:
            # One retry: a loaded test machine can stall a local server; a
            # page that never finishes loading twice is reported below.
            continue
    # Let late console messages and requests settle.
    end = time.time() + 0.5
    try:
        while time.time() < end:
            browser.events.append(browser.read_one(end))
    except TimeoutError:
        pass
    problems = []
    requests = {}
    if not loaded:
        sent, finished = {}, set()
        for event in browser.events:
            params = event.get("params", {})
            if event.get("method") == "Network.requestWillBeSent":
                sent[params["requestId"]] = params["request"]["url"]
            elif event.get("method") in ("Network.loadingFinished", "Network.loadingFailed"):
                finished.add(params["requestId"])
        pending = [u for r, u in sent.items() if r not in finished]
        problems.append(f"the page did not finish loading in {LOAD_TIMEOUT} s; pending: {pending}")
    for event in browser.events:
        if event.get("sessionId") != session:
            continue
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            requests[params["requestId"]] = params["request"]["url"]
        elif method == "Network.responseReceived" and params["response"]["status"] >= 400:
            problems.append(f"HTTP {params['response']['status']} for {params['response']['url']}")
        elif method == "Network.loadingFailed" and not params.get("canceled"):
            problems.append(f"failed to load {requests.get(params['requestId'], '?')}: {params.get('errorText')}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            problems.append(f"console.{params['type']}: {text}")
        elif method == "Runtime.exceptionThrown":
            problems.append(f"uncaught exception: {params['exceptionDetails'].get('text')}")
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            problems.append(f"log error: {params['entry']['text']} ({params['entry'].get('url', '')})")
    external = [u for u in requests.values()
                if u.startswith("http") and not u.startswith(url.split("/", 3)[0] + "//" + url.split("/", 3)[2])]
    for u in external:
        problems.append(f"loads from another host: {u}")
    browser.send("Target.closeTarget", {"targetId": target})
    return problems


def main(urls):
    browser = Browser()
    failed = False
    try:
        for url in urls:
            problems = check_page(browser, url)
            if problems:
                failed = True
                print(f"FAIL {url}")
                for p in problems:
                    print(f"  {p}")
            else:
                print(f"ok   {url}")
    finally:
        browser.close()
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
