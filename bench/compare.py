#!/usr/bin/env python3
"""Compare two builds of sanshen on the same generated corpus.

    python3 bench/compare.py --before OLD/sanshen --after target/release/sanshen \
        --corpus /var/tmp/sanshen-bench/10000 [--reps 3]

The corpus is one `bench/run.py` generated (its `site/` folder and
`.git/bench-corpus.json`). For each repetition, alternating the two
binaries so machine noise hits both alike: a cold build (history cache
deleted, fresh output folder) and a warm build (again, into the same
folder), each under `/usr/bin/time -v`. Prints the median wall time, CPU
time and peak memory of each, and the ratio after/before — how a change
to the code moved the numbers, which `bench/run.py` compares with Hugo.

Both binaries must accept the corpus as it is: its cache files are kept
apart per binary (`.git/sanshen` is deleted before every cold build, and a
warm build follows its own cold build).
"""

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (the runner's measure() and helpers)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", required=True, help="the sanshen binary to compare against")
    parser.add_argument("--after", required=True, help="the sanshen binary measured")
    parser.add_argument("--corpus", required=True, help="a corpus folder made by bench/run.py (holds site/)")
    parser.add_argument("--out", default="/dev/shm/sanshen-compare", help="output folders (tmpfs by default)")
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()

    corpus = Path(args.corpus)
    site = corpus / "site"
    summary = json.loads((site / ".git" / "bench-corpus.json").read_text())
    binaries = {"before": args.before, "after": args.after}
    runs = {(name, kind): [] for name in binaries for kind in ("cold", "warm")}
    for rep in range(args.reps):
        for name, binary in binaries.items():
            out = Path(args.out) / name
            run.remove(out)
            for kind in ("cold", "warm"):
                if kind == "cold":
                    run.remove(site / ".git" / "sanshen")
                command = [binary, "build", "--root", site, "--out", out, "--now", summary["now"]]
                result = run.measure(command)
                runs[(name, kind)].append(result)
                print(f"[rep {rep + 1}] {name} {kind}: {result['wall']:.2f} s wall, {result['cpu']:.2f} s CPU, "
                      f"{result['rss_mb']:.0f} MiB (others: {result['others_cpu']:.1f} CPU-s)", file=sys.stderr)
            run.remove(out)

    print(f"\n{summary['articles']} articles, {summary.get('commits', '?')} commits, median of {args.reps}:\n")
    print("| build | before wall | after wall | ratio | before CPU | after CPU | before peak | after peak | ratio |")
    print("|---|---|---|---|---|---|---|---|---|")
    for kind in ("cold", "warm"):
        before = run.median_of(runs[("before", kind)])
        after = run.median_of(runs[("after", kind)])
        print(f"| {kind} | {before['wall']:.2f} s | {after['wall']:.2f} s | {after['wall'] / before['wall']:.2f} "
              f"| {before['cpu']:.2f} s | {after['cpu']:.2f} s "
              f"| {before['rss_mb']:.0f} MiB | {after['rss_mb']:.0f} MiB | {after['rss_mb'] / before['rss_mb']:.2f} |")
    spread = {key: statistics.pstdev(r["wall"] for r in value) for key, value in runs.items()}
    print("\nwall-time spread (population stdev):",
          ", ".join(f"{name} {kind} {s:.2f} s" for (name, kind), s in spread.items()))


if __name__ == "__main__":
    main()
