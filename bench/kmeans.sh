#!/usr/bin/env bash
# The k-means benchmark table: N = 100k, 1M, 10M (d=8, k=8) on the DirectRunner and the embedded
# FlinkRunner (parallelism 2), each runner's empty job, and Commons Math in process; each run is its own
# JVM started by ./segflow (so with segflow's own JVM options and class-data archive), three runs each,
# the median printed last. Usage: bench/kmeans.sh [SIZES...] (default 100000 1000000 10000000)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000 10000000)
for n in "${sizes[@]}"; do
  runners=(empty-direct direct empty-flink flink)
  # Commons Math holds every point on one heap and is single-threaded: measured up to 1M.
  [ "$n" -le 1000000 ] && runners+=(commons-math)
  for runner in "${runners[@]}"; do
    lines=""
    for run in $(seq "$RUNS"); do
      # Commons Math is a baseline, not segflow: it gets the JVM's default compilers (C2), which its
      # in-process loops need; segflow's launcher stops at C1 (see ./segflow).
      jit=""; [ "$runner" = commons-math ] && jit="-XX:TieredStopAtLevel=4"
      line=$(SEGFLOW_MAIN=io.segflow.bench.KMeansBench SEGFLOW_JAVA_OPTS="-Xmx16g $jit" ./segflow "$runner" "$n" 8 8 42 2>/dev/null | grep '^runner=')
      echo "$line"
      lines+="$line"$'\n'
    done
    printf '%s' "$lines" | python3 -c '
import sys, statistics
rows = [dict(kv.split("=", 1) for kv in line.split()) for line in sys.stdin if line.strip()]
if rows:
    m = lambda key: statistics.median(float(r[key]) for r in rows)
    r = rows[0]
    print("MEDIAN runner=%s N=%s whole_s=%.2f fit_s=%.2f passes=%s inertia=%s runs=%d" % (
        r["runner"], r["N"], m("whole_s"), m("fit_s"), r["passes"], r["inertia"], len(rows)))'
  done
done
