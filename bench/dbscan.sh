#!/usr/bin/env bash
# DBSCAN against scikit-learn: each case is a whole ./segflow run process on files a user would have, and
# its peer (pandas + scikit-learn's DBSCAN on every customer) at the same eps and min points; prints the
# adjusted Rand index between the two and against the true shapes, with wall seconds and peak RSS of both.
#
# Usage: bench/dbscan.sh [CASE...]   CASE: retail shapes-20k shapes-200k (default: all three)
#   retail       the bundled example (segment-definitions/online_retail_rfm_density.yaml, eps: auto): the
#                peer uses the eps segflow chose
#   shapes-20k   generated shapes (bench/generate.py shapes), every customer in the sample: DBSCAN itself
#   shapes-200k  the same shapes x 10 on the default 16,384 sample; the peer runs on every customer with
#                min_samples scaled by customers / sample, the same density: what changes when data does
#                not fit the sample
#   shapes-1m    the shapes x 50: scikit-learn's DBSCAN cannot hold every customer in 24 GB here, so the peer
#                does segflow's job (DBSCAN on a seeded 16,384 sample, every customer to its nearest core
#                point within eps)
# Settings: RUNNER (direct). Needs /usr/bin/time and Debian's python3-pandas and python3-sklearn.
set -euo pipefail
cd "$(dirname "$0")/.."
home="$(pwd -P)"
out="$home/target/bench/dbscan"
mkdir -p "$out"
py=/usr/bin/python3
runner="${RUNNER:-direct}"
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(retail shapes-20k shapes-200k)

timed() { # label command... -> "label: wall s, peak GB" on stderr-free stdout; output in $out/last.log
  /usr/bin/time -v "${@:2}" > "$out/last.log" 2>&1 || { echo "bench: $1 failed; see $out/last.log" >&2; tail -5 "$out/last.log" >&2; exit 1; }
  awk -F': ' -v label="$1" '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]}
    /Maximum resident set size/ {gb=$2/1048576} END {printf "  %s: %.1f s, %.2f GB peak\n", label, s, gb}' "$out/last.log"
}

for case in "${cases[@]}"; do
  truth=()
  case "$case" in
    retail)
      definition=segment-definitions/online_retail_rfm_density.yaml
      input="$home/segment-definitions/data/online_retail.csv.gz"
      env=local ;;
    shapes-*)
      n=${case#shapes-}; n=${n/k/000}; n=${n/m/000000}
      input="$out/shapes_$n.csv"
      [ -f "$input" ] || "$py" bench/generate.py shapes "$n" "$input"
      truth=("${input%.csv}.truth.csv")
      definition=bench/definitions/shapes_dbscan.yaml
      [ "$n" -le 200000 ] && [ "$case" != shapes-200k ] || definition=bench/definitions/shapes_dbscan_sampled.yaml
      env="$out/env-$case.yaml"
      cat > "$env" <<YAML
apiVersion: segflow/v1
name: bench-$case
runner: direct
sources:
  shapes: {kind: file, format: csv, path: $input}
output: {kind: files, path: $out/runs, warehouse: $out/runs/warehouse.duckdb}
YAML
      ;;
    *) echo "bench: unknown case $case" >&2; exit 2 ;;
  esac
  name=$(awk '/^name:/ {print $2; exit}' "$definition")
  ./segflow validate "$definition" --env "$env" > /dev/null # builds the jar first, outside the timings
  echo "$case ($definition, $runner)"
  timed segflow ./segflow run "$definition" --env "$env" --runner "$runner" --run-id bench
  run_dir=$(sed -nE 's/^outputs: ([^ ]+) .*/\1/p' "$out/last.log")
  read -r eps min_points sample points < <("$py" -c 'import json, sys; m = json.load(open(sys.argv[1]))
print(m["eps"], m["minPoints"], m["sampleSize"], m["points"])' "$run_dir/model.json")
  # The peer sees every customer: at the density segflow's sample asked for, min points grow with the data.
  min_samples=$("$py" -c "print(max(1, round($min_points * $points / $sample)))")
  peer_sample=()
  [ "$case" != shapes-1m ] || { min_samples=$min_points; peer_sample=("$sample"); }
  echo "  eps $eps, min points $min_points on a sample of $sample of $points; peer min_samples $min_samples" \
    "${peer_sample[@]/#/on a sample of }"
  if [ "$case" = retail ]; then
    timed peer "$py" bench/peers/online_retail_rfm_dbscan.py "$input" "$out/peer-members.csv" "$eps" "$min_samples"
  else
    timed peer "$py" bench/peers/shapes_dbscan.py "$input" "$out/peer-members.csv" "$eps" "$min_samples" \
      "${peer_sample[@]}"
  fi
  echo "  $("$py" bench/peers/dbscan_agreement.py "$run_dir/members.csv" "$out/peer-members.csv" "${truth[@]}")"
done
