#!/usr/bin/env bash
# Profile one `sanshen build` of a generated corpus with perf, and say where
# the time goes (bench/perf_phases.py). Needs `perf` (Debian: linux-perf).
#
#   bench/profile.sh SITE_REPO [OUT_DIR]
#
# SITE_REPO is a repository written by `bench_corpus generate` (it holds
# .git/bench-corpus.json with the clock to build at). The profile data and
# its text dump stay in a new folder under /tmp, named on the last line.
set -euo pipefail

site=${1:?usage: bench/profile.sh SITE_REPO [OUT_DIR]}
out=${2:-/dev/shm/sanshen-profile-out}
here=$(cd "$(dirname "$0")" && pwd)
sanshen=${SANSHEN:-${CARGO_TARGET_DIR:-$here/../target}/release/sanshen}
frequency=250

now=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["now"])' "$site/.git/bench-corpus.json")
work=$(mktemp -d /tmp/sanshen-profile.XXXXXX)
rm -rf "$out"
# DWARF call graphs: the release build keeps line tables but no frame pointers.
perf record -F "$frequency" --call-graph dwarf,32768 -o "$work/perf.data" -- \
    "$sanshen" build --root "$site" --out "$out" --now "$now"
perf script -i "$work/perf.data" -F tid,time,ip,sym > "$work/perf.txt" 2>/dev/null
python3 "$here/perf_phases.py" --frequency "$frequency" "$work/perf.txt"
rm -rf "$out"
echo "profile: $work/perf.data (perf report -i $work/perf.data)"
