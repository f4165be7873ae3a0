#!/usr/bin/env bash
# Runs every shipped example with --report on its bundled data and photographs the top of each report in
# headless Chromium into docs/report/<definition>.png (the pictures docs/report.md and the README show).
# The k-means demo runs twice, a month apart, so its report shows a refresh: transitions and drift.
# Usage: docs/report/screenshots.sh   (needs Debian's chromium: apt-get install chromium)
set -euo pipefail
cd "$(dirname "$0")/../.."
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "no Chromium on PATH (apt-get install chromium)" >&2; exit 1; }
shoot() { # report.html, picture, height
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget=10000 \
    --window-size=1100,"$3" --screenshot="$PWD/$2" "file://$PWD/$1" 2>/dev/null
}
# Its own output folder: a run keeps the labels of the run before it, so earlier runs would show through.
out=target/report-screenshots
rm -rf "$out" && mkdir -p "$out"
sed -e "s|path: ../../target/segflow$|path: $PWD/$out/runs|" \
    -e "s|warehouse: ../../target/segflow/warehouse.duckdb|warehouse: $PWD/$out/warehouse.duckdb|" \
    -e "s|\.\./\.\./segment-definitions|$PWD/segment-definitions|" pipelines/environments/local.yaml > "$out/env.yaml"
./segflow run segment-definitions/online_retail_rfm_kmeans.yaml --env "$out/env.yaml" --run-id screenshots-1 \
  --param as_of=2011-11-09 >/dev/null
for definition in online_retail_rfm_kmeans online_retail_rfm_rules online_retail_rfm_tree online_retail_rfm_density \
    online_retail_rfm_scores cdnow_rfm_kmeans complete_journey_households taobao_shoppers; do
  id=screenshots-2
  ./segflow run "segment-definitions/$definition.yaml" --env "$out/env.yaml" --run-id "$id" --report >/dev/null
  report="$out/runs/$definition/$id/report.html"
  shoot "$report" "docs/report/$definition.png" 2200
  echo "docs/report/$definition.png ($(du -k "docs/report/$definition.png" | cut -f1) KB) from $report ($(du -k "$report" | cut -f1) KB)"
done
