#!/usr/bin/env python3
"""Benchmark sanshen's search index against Pagefind on the same pages.

For each corpus size the runner generates (or reuses, with --reuse) the
signed corpus of bench_corpus (see run.py), then:

  sanshen-cold   `sanshen build --timings` into an empty folder, history
                 cache deleted: the whole build, and its search parts (the
                 search documents written beside the pages, CPU summed over
                 threads; the index itself, wall)
  sanshen-warm   the same build again into the same folder: the index is
                 kept when no search document changed
  pagefind       Pagefind (npm package `pagefind`, extended binary, which
                 segments Chinese) over the same article pages sanshen just
                 wrote — the published articles only, hard-linked into a
                 folder of their own so Pagefind indexes what sanshen does

each wrapped in /usr/bin/time -v (CPU, peak RSS). Index sizes: every file of
sanshen's search/ folder but the page itself, and Pagefind's whole output
(its index, fragments and metadata, and its UI files: listed separately).

Then, unless --skip-browser, the built site is served on 127.0.0.1 and
tests/browser/search.py runs queries in headless Chromium:

  - typical two-word queries: the bytes the browser downloaded from
    search/ (manifest, shards, name files, the table, the ten documents
    shown), with its cache emptied before each query;
  - planted phrases: --phrases random stretches of 8–12 characters from the
    last third of random articles' bodies; the ground truth is every
    article whose text holds the stretch (read from the search documents,
    folded the same way), and the runner reports whether each was found and
    at which rank the source article came.

Pagefind is installed from the npm registry into a temporary folder (or
--pagefind BIN): a benchmark tool only, never a dependency of sanshen or its
tests. Results: a Markdown summary on stdout, JSON in WORK/search-N.json.
Nothing is written under bench/.
"""

import argparse
import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # noqa: E402  (generate, measure, remove, target_dir)

ROOT = Path(__file__).resolve().parent.parent
PAGEFIND_PACKAGE = "pagefind@1.6.0"
TWO_WORD_QUERIES = ["营商环境 培训", "安全生产 检查", "数字政府 建设", "就业 服务", "医保 参保"]


def folder_bytes(folder, skip=()):
    total = 0
    for base, _, files in os.walk(folder):
        for name in files:
            path = Path(base) / name
            if path.relative_to(folder).as_posix() not in skip:
                total += path.stat().st_size
    return total


def install_pagefind(given):
    if given:
        return given, None
    folder = Path(tempfile.mkdtemp(prefix="sanshen-pagefind-"))
    print(f"installing {PAGEFIND_PACKAGE} from npm into {folder} …", file=sys.stderr)
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", PAGEFIND_PACKAGE],
                   cwd=folder, check=True, stdout=subprocess.DEVNULL)
    found = list(folder.glob("node_modules/@pagefind/*/bin/pagefind_extended"))
    if not found:
        bench.fail("the pagefind package has no pagefind_extended binary for this machine")
    return str(found[0]), folder


def timings(stderr_text):
    """Seconds of the search phases in `build --timings` output."""
    found = {}
    for key, label in (("documents_cpu", "search documents (all threads)"),
                       ("index_wall", "search index and page (wall)"),
                       ("render_wall", "render (markdown, templates, write)"),
                       ("total", "total")):
        match = re.search(rf"^\s*{re.escape(label)}\s+([0-9.]+) s", stderr_text, re.MULTILINE)
        found[key] = float(match.group(1)) if match else None
    return found


def sanshen_build(bins, corpus, summary, out, manifest):
    command = [bins["sanshen"], "build", "--root", corpus / "site", "--out", out,
               "--now", summary["now"], "--timings", "--manifest", manifest]
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report, \
            tempfile.NamedTemporaryFile("r", suffix=".err") as errors:
        started = time.perf_counter()
        done = subprocess.run([bench.TIME, "-v", "-o", report.name, *command],
                              stdout=subprocess.DEVNULL, stderr=open(errors.name, "w"))
        wall = time.perf_counter() - started
        text = report.read()
        err = errors.read()
    if done.returncode not in (0, 1):
        bench.fail(f"sanshen build exited {done.returncode}:\n{err[-3000:]}")
    user = float(re.search(r"User time \(seconds\): (.+)", text).group(1))
    system = float(re.search(r"System time \(seconds\): (.+)", text).group(1))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (.+)", text).group(1)) / 1024
    result = {"wall": wall, "cpu": user + system, "rss_mb": rss}
    result.update(timings(err))
    return result


def article_pages(out, manifest):
    """Output paths of the published articles' pages (from the build's record)."""
    record = json.loads(Path(manifest).read_text())
    pages = []
    for entry in record.get("articles", []):
        path = urllib.parse.urlparse(entry.get("url", "")).path.strip("/")
        page = Path(out) / path / "index.html"
        if path and page.is_file():
            pages.append(page)
    return pages


def pagefind_run(pagefind, pages, out, work):
    site = work / "pagefind-site"
    bench.remove(site)
    for page in pages:
        target = site / page.relative_to(out)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(page, target)
    output = work / "pagefind-out"
    bench.remove(output)
    run = bench.measure([pagefind, "--site", site, "--output-path", output, "--silent"])
    ui = sum((output / name).stat().st_size for name in os.listdir(output)
             if (output / name).is_file() and (name.startswith("pagefind-") and
                                                 not name.startswith("pagefind-entry")))
    run["size"] = folder_bytes(output)
    run["ui_size"] = ui
    run["pages"] = len(pages)
    return run


# ---- queries in Chromium --------------------------------------------------

def manifest_of(out):
    """The manifest the search page names."""
    page = (Path(out) / "search" / "index.html").read_text(encoding="utf-8")
    url = re.search(r'data-index="([^"]+)"', page).group(1)
    return json.loads((Path(out) / url.lstrip("/")).read_text())


def load_documents(out):
    """The search documents of the built site, by document number."""
    documents = []
    for name in manifest_of(out)["name_files"]:
        raw = (Path(out) / "search" / "n" / f"{name}.bin").read_bytes()
        for at in range(0, len(raw), 8):
            name = raw[at:at + 8].hex()
            path = Path(out) / "search" / "d" / name[:2] / f"{name[2:]}.bin"
            documents.append(json.loads(gzip.decompress(path.read_bytes())))
    return documents


def planted_phrases(documents, count, seed=15):
    """(phrase, source url, ground truth urls): stretches from the last third
    of bodies, at least 8 CJK characters or digits long."""
    rng = random.Random(seed)
    picked = []
    attempts = 0
    while len(picked) < count and attempts < count * 50:
        attempts += 1
        document = rng.choice(documents)
        body = document["body"]
        if len(body) < 300:
            continue
        start = rng.randrange(len(body) * 2 // 3, len(body) - 12)
        length = rng.randrange(8, 13)
        phrase = body[start:start + length]
        if re.search(r"[\s，。、；：“”（）《》|%\-\[\]]", phrase) or not re.search(r"[\u4e00-\u9fff]", phrase):
            continue
        truth = [d["url"] for d in documents if phrase in d["body"] or phrase in d["title"]]
        picked.append((phrase, document["url"], truth))
    return picked


def browser_queries(out, queries, scratch):
    port = bench_free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", "127.0.0.1",
                               "--directory", str(out), str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 30
        import socket
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline:
                    bench.fail("the file server did not start")
                time.sleep(0.1)
        file = scratch / "queries.json"
        file.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
        done = subprocess.run([sys.executable, ROOT / "tests" / "browser" / "search.py",
                               f"http://127.0.0.1:{port}", file], capture_output=True, text=True)
        if done.returncode != 0:
            bench.fail(f"tests/browser/search.py failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
        return [json.loads(line) for line in done.stdout.splitlines()]
    finally:
        server.terminate()
        server.wait()


def bench_free_port():
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_size(bins, pagefind, size, args):
    work = Path(args.work)
    corpus = work / str(size)
    summary, _ = bench.generate(bins, size, corpus, args)
    out = work / f"search-out-{size}"
    manifest = work / f"search-manifest-{size}.json"
    bench.remove(out)
    for cache in ("site/.git/sanshen",):
        bench.remove(corpus / cache)
    print(f"[{size}] sanshen cold …", file=sys.stderr)
    cold = sanshen_build(bins, corpus, summary, out, manifest)
    print(f"[{size}] sanshen warm …", file=sys.stderr)
    warm = sanshen_build(bins, corpus, summary, out, manifest)
    index_size = folder_bytes(out / "search", skip={"index.html"})
    documents_size = folder_bytes(out / "search" / "d")
    pages = article_pages(out, manifest)
    print(f"[{size}] pagefind over {len(pages)} article pages …", file=sys.stderr)
    pf = pagefind_run(pagefind, pages, out, work)
    result = {
        "articles": size, "published": len(pages),
        "sanshen_cold": cold, "sanshen_warm": warm,
        "index_size": index_size, "documents_size": documents_size,
        "shards": manifest_of(out)["shards"],
        "pagefind": pf,
    }
    if not args.skip_browser:
        documents = load_documents(out)
        phrases = planted_phrases(documents, args.phrases)
        queries = [{"q": q} for q in TWO_WORD_QUERIES] + [{"q": p} for p, _, _ in phrases]
        print(f"[{size}] {len(queries)} queries in Chromium …", file=sys.stderr)
        answers = browser_queries(out, queries, work)
        result["two_word"] = [{"q": a["q"], "index_bytes": a["index_bytes"], "files": a["index_files"],
                               "status": a["status"]} for a in answers[:len(TWO_WORD_QUERIES)]]
        planted = []
        for (phrase, source, truth), answer in zip(phrases, answers[len(TWO_WORD_QUERIES):]):
            shown = answer["urls"]
            count = int(re.search(r"(\d+)", answer["status"]).group(1)) if re.search(r"\d", answer["status"]) else 0
            planted.append({
                "q": phrase, "truth": len(truth), "results": count,
                "source_rank": shown.index(source) + 1 if source in shown else None,
                "truth_in_top": sum(1 for url in truth if url in shown),
                "index_bytes": answer["index_bytes"],
            })
        result["planted"] = planted
    (work / f"search-{size}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return result


def mib(n):
    return f"{n / 1048576:.1f} MiB"


def report(results):
    lines = ["| articles | tool | wall s | CPU s | peak RSS MiB | index size |",
             "|---:|---|---:|---:|---:|---:|"]
    for r in results:
        c, w, p = r["sanshen_cold"], r["sanshen_warm"], r["pagefind"]
        lines.append(f"| {r['articles']} | sanshen build, cold (whole build) | {c['wall']:.2f} | {c['cpu']:.2f} | "
                     f"{c['rss_mb']:.0f} | {mib(r['index_size'])} |")
        lines.append(f"| {r['articles']} | … of which search: documents (CPU, all threads) + index (wall) | "
                     f"{(c['documents_cpu'] or 0) + (c['index_wall'] or 0):.2f} | | | |")
        lines.append(f"| {r['articles']} | sanshen build, warm (whole build; index kept) | {w['wall']:.2f} | "
                     f"{w['cpu']:.2f} | {w['rss_mb']:.0f} | |")
        lines.append(f"| {r['articles']} | pagefind {PAGEFIND_PACKAGE.split('@')[1]} extended ({p['pages']} pages) | "
                     f"{p['wall']:.2f} | {p['cpu']:.2f} | {p['rss_mb']:.0f} | {mib(p['size'])} "
                     f"(UI files {p['ui_size'] / 1024:.0f} KiB) |")
    lines.append("")
    for r in results:
        lines.append(f"{r['articles']} articles: sanshen index {mib(r['index_size'])} "
                     f"(search documents {mib(r['documents_size'])}, {r['shards']} shards); "
                     f"search phase {r['sanshen_cold']['documents_cpu']} s CPU documents + "
                     f"{r['sanshen_cold']['index_wall']} s index wall; warm index phase "
                     f"{r['sanshen_warm']['index_wall']} s")
        for q in r.get("two_word", []):
            lines.append(f"  two-word query `{q['q']}`: {q['index_bytes'] / 1024:.1f} KiB in {q['files']} files ({q['status']})")
        planted = r.get("planted", [])
        if planted:
            found = sum(1 for p in planted if p["truth_in_top"] >= min(p["truth"], 10))
            first = sum(1 for p in planted if p["source_rank"] is not None)
            ranks = sorted(p["source_rank"] for p in planted if p["source_rank"])
            lines.append(f"  planted phrases: {len(planted)}; every article holding the phrase on the first page: "
                         f"{found}; source article on the first page: {first} "
                         f"(ranks {ranks}); median download {sorted(p['index_bytes'] for p in planted)[len(planted) // 2] / 1024:.1f} KiB")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--work", default="/var/tmp/sanshen-bench")
    parser.add_argument("--reuse", action="store_true", help="reuse a corpus generated before")
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--edited", type=float, default=0.05)
    parser.add_argument("--loose", action="store_true")
    parser.add_argument("--pagefind", help="a pagefind_extended binary (default: install from npm)")
    parser.add_argument("--phrases", type=int, default=20)
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--no-build", action="store_true", help="use the release binaries as they are")
    args = parser.parse_args()
    if not Path(bench.TIME).exists():
        bench.fail("needs /usr/bin/time (apt-get install time)")
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--bin", "sanshen", "--example", "bench_corpus"],
                       cwd=ROOT, check=True)
    release = bench.target_dir() / "release"
    bins = {"sanshen": release / "sanshen", "corpus": release / "examples" / "bench_corpus"}
    pagefind, installed = install_pagefind(args.pagefind)
    try:
        Path(args.work).mkdir(parents=True, exist_ok=True)
        results = [bench_size(bins, pagefind, size, args) for size in args.articles]
    finally:
        if installed:
            shutil.rmtree(installed, ignore_errors=True)
    print(report(results))


if __name__ == "__main__":
    main()
