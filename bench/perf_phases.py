#!/usr/bin/env python3
"""Where a `sanshen build` spends its time, from a `perf record --call-graph dwarf` profile.

Reads `perf script -F tid,time,ip,sym` output (see bench/profile.sh) and
prints three tables:

  phases     wall-clock span and CPU seconds of each phase of the build, found
             by the outermost sanshen function on each sample's stack
  ledger     the same inside `ledger::history::read`, by the innermost match
  leaves     the functions the samples were in (self time), top 25

A sample stands for 1/FREQ seconds of CPU on one thread (perf -F FREQ).
"""

import argparse
import collections
import re

PHASES = [
    "ledger::history::read",
    "ledger::verdict::fold",
    "ledger::site_facts",
    "PublicationSet::decide",
    "SiteModel::new",
    "render_articles",
    "render_column_pages",
    "render_home",
    "write_feeds",
    "write_sitemaps",
    "write_search_index",
    "StagedOutput::finish",
]
INSIDE_HISTORY = [
    "tracked_changes",
    "record_target",
    "version_facts",
    "verify_embedded",
    "extract_signature",
    "git_revwalk_next",
    "read_commit",
]


def read_samples(path):
    """(time, tid, frames innermost first) per sample."""
    samples, frames, header = [], None, None
    with open(path, errors="replace") as text:
        for line in text:
            if not line.strip():
                continue
            if not line.startswith((" ", "\t")) or re.match(r"^\s*\d+\s+[\d.]+:", line):
                if frames is not None:
                    samples.append((*header, frames))
                found = re.match(r"^\s*(\d+)\s+([\d.]+):", line)
                header = (float(found.group(2)), int(found.group(1))) if found else (0.0, 0)
                frames = []
            else:
                parts = line.strip().split(" ", 1)
                if len(parts) == 2 and frames is not None:
                    frames.append(parts[1].replace(" (inlined)", ""))
    if frames is not None:
        samples.append((*header, frames))
    return samples


def first_match(frames, names):
    for frame in frames:
        for name in names:
            if name in frame:
                return name
    return None


def table(samples, classify, frequency, start):
    spans, counts = {}, collections.Counter()
    for when, _, frames in samples:
        key = classify(frames)
        if key is None:
            continue
        low, high = spans.get(key, (when, when))
        spans[key] = (min(low, when), max(high, when))
        counts[key] += 1
    rows = sorted(spans.items(), key=lambda item: item[1][0])
    for key, (low, high) in rows:
        print(f"  {key:28s} {low - start:7.2f} – {high - start:7.2f} s   "
              f"{counts[key] / frequency:7.2f} CPU-s")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("script", help="output of perf script -F tid,time,ip,sym")
    parser.add_argument("--frequency", type=float, default=250, help="the -F given to perf record")
    args = parser.parse_args()
    samples = read_samples(args.script)
    if not samples:
        raise SystemExit(f"{args.script}: no samples (was it written by `perf script -F tid,time,ip,sym`?)")
    start = min(s[0] for s in samples)
    end = max(s[0] for s in samples)
    print(f"{len(samples)} samples, {end - start:.2f} s from first to last, "
          f"{len(samples) / args.frequency:.2f} CPU-s")

    print("phases (outermost sanshen function; wall span, CPU):")
    table(samples, lambda frames: first_match(reversed(frames), PHASES) or "(other)", args.frequency, start)

    print("inside ledger::history::read (innermost match):")
    inside = [s for s in samples if any("history::read" in f for f in s[2])]
    table(inside, lambda frames: first_match(frames, INSIDE_HISTORY) or "(read itself)", args.frequency, start)

    print("leaves (self time):")
    leaves = collections.Counter(frames[0][:100] for _, _, frames in samples if frames)
    for name, count in leaves.most_common(25):
        print(f"  {100 * count / len(samples):5.1f}%  {name}")


if __name__ == "__main__":
    main()
