#!/usr/bin/env bash
# The whole-pipeline benchmark: each job is a whole ./segflow run process on files a user would have,
# beside its peer (pandas + scikit-learn) doing the same job, interleaved run by run; wall seconds and peak
# RSS from /usr/bin/time -v, stage times from segflow's progress lines. Prints one table (medians; ratio =
# segflow / peer). Inputs are generated with a seed (bench/generate.py) into target/bench/.
#
# Usage: bench/pipeline.sh [JOB...]   JOB: demo complete-journey retail-x10 retail-x100 blobs-1m blobs-10m
#   (default: demo blobs-1m)
# Settings: RUNS (3), RUNNERS ("direct flink"; "flink-cluster" needs pipelines/flink/cluster.sh start).
# Needs: /usr/bin/time, python3 with numpy, pandas and scikit-learn (Debian: python3-pandas python3-sklearn).
set -euo pipefail
cd "$(dirname "$0")/.."
home="$(pwd -P)"
out="$home/target/bench"
mkdir -p "$out"
runs="${RUNS:-3}"
read -r -a runners <<< "${RUNNERS:-direct flink}"
jobs=("$@")
[ ${#jobs[@]} -gt 0 ] || jobs=(demo blobs-1m)
py=/usr/bin/python3
results="$out/results.tsv"
: > "$results"

environment() { # name source path -> environment file binding that source
  local file="$out/env-$1.yaml"
  cat > "$file" <<YAML
apiVersion: segflow/v1
name: bench-$1
runner: direct
sources:
  $2: {kind: file, format: csv, path: $3, timestamp_format: yyyy-MM-dd HH:mm:ss, time_zone: Europe/London}
output: {kind: files, path: $out/runs, warehouse: $out/runs/warehouse.duckdb}
YAML
  echo "$file"
}

measure() { # job runner command... -> one row of results.tsv
  local job=$1 runner=$2 log="$out/last.log"
  shift 2
  /usr/bin/time -v "$@" > "$log" 2>&1 || { echo "bench: $job on $runner failed; see $log" >&2; tail -5 "$log" >&2; return 1; }
  local wall rss stages
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.2f", $2/1048576}' "$log")
  stages=$(grep -oE '^\[ *[0-9.]+s\] (read [a-z_]+|features|k-means model|segment profiles) done' "$log" \
    | sed -E 's/^\[ *([0-9.]+)s\] (.*) done/\2=\1/' | tr '\n' ';' || true)
  printf '%s\t%s\t%s\t%s\t%s\n' "$job" "$runner" "$wall" "$rss" "$stages" >> "$results"
}

for job in "${jobs[@]}"; do
  case "$job" in
    demo)
      definition=segment-definitions/online_retail_rfm_kmeans.yaml
      input="$home/segment-definitions/data/online_retail.csv.gz"
      env=local
      peer=("$py" bench/peers/online_retail_rfm.py "$input" "$out/peer-members.csv") ;;
    complete-journey)
      definition=segment-definitions/complete_journey_households.yaml
      env=local
      peer=("$py" bench/peers/complete_journey_households.py "$home/segment-definitions/data" "$out/peer-members.csv") ;;
    retail-x*)
      factor=${job#retail-x}
      input="$out/online_retail_x$factor.csv"
      [ -f "$input" ] || "$py" bench/generate.py retail "$factor" "$input"
      definition=segment-definitions/online_retail_rfm_kmeans.yaml
      env=$(environment "$job" retail_transactions "$input")
      peer=("$py" bench/peers/online_retail_rfm.py "$input" "$out/peer-members.csv") ;;
    blobs-*)
      n=${job#blobs-}; n=${n/m/000000}
      input="$out/blobs_$n.csv"
      [ -f "$input" ] || "$py" bench/generate.py blobs "$n" "$input"
      definition=bench/definitions/blobs_kmeans.yaml
      env=$(environment "$job" blobs "$input")
      peer=("$py" bench/peers/blobs_kmeans.py "$input" "$out/peer-members.csv") ;;
    *) echo "bench: unknown job $job" >&2; exit 2 ;;
  esac
  ./segflow validate "$definition" --env "$env" > /dev/null # builds the jar first, outside the timings
  for run in $(seq "$runs"); do
    for runner in "${runners[@]}"; do
      case "$runner" in
        flink-cluster) measure "$job" "$runner" ./segflow run "$definition" --env "$env" --runner flink --flink-master localhost:8081 --run-id bench ;;
        *) measure "$job" "$runner" ./segflow run "$definition" --env "$env" --runner "$runner" --run-id bench ;;
      esac
    done
    measure "$job" "pandas+sklearn" "${peer[@]}"
  done
done

"$py" - "$results" <<'PY'
import collections, statistics, sys
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    job, runner, wall, rss, stages = line.rstrip("\n").split("\t")
    rows[(job, runner)].append((float(wall), float(rss), dict(s.split("=") for s in stages.split(";") if s)))
print("| job | runner | runs | whole s (median) | vs peer | peak RSS GB | stages done at (s, median) |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for (job, runner), runs in rows.items():
    wall = statistics.median(r[0] for r in runs)
    rss = statistics.median(r[1] for r in runs)
    peer = rows.get((job, "pandas+sklearn"))
    ratio = "" if runner == "pandas+sklearn" or not peer else "%.1fx" % (wall / statistics.median(r[0] for r in peer))
    names = list(runs[0][2])
    stages = ", ".join("%s %.1f" % (n, statistics.median(float(r[2][n]) for r in runs if n in r[2])) for n in names)
    print(f"| {job} | {runner} | {len(runs)} | {wall:.1f} | {ratio} | {rss:.2f} | {stages} |")
PY
