#!/usr/bin/env bash
# The streaming benchmark: a definition's events published to the Pub/Sub emulator and streamed by a
# whole `./segflow stream` process, its changes received from their topic. Prints the lines of issue 17:
#   events/s: N                 events timed / (last change received - first timed event published)
#   p99 event-to-change: X ms   a change's arrival - the publish of its customer's newest event
#   parity: A/B                 customers whose last streamed segment is a file replay's at their last event
#   emulator pull/s: M          a bare one-thread subscriber on the same emulator, in the same run
# and the stream process's peak RSS; before them, the p99 a bare subscriber gets when the timed events are
# published to it alike (the floor the emulator puts under any subscriber's p99 on a burst). Starts and stops
# the emulator it uses (pipelines/pubsub/emulator.sh).
#
# Usage: bench/stream.sh [RUNNER]   RUNNER: flink (default) or direct
# Settings: EVENTS (50000: the first purchase lines of the Online Retail sample; the emulator slows down as
# its backlog grows, so the bare subscriber is measured on as many), WARMUP (10000 of them, published and
# their changes received before the rest are timed: the JIT compiles the job meanwhile, as it does in the
# first minute of a stream that then runs for days), RATE (0: the timed events are published as fast as the
# emulator takes them, so the p99 is the backlog draining; N: N events a second, so the p99 is the path of
# an event through a stream that keeps up), PUBSUB_PORT (8095), DEFINITION (the rules example; a k-means
# definition of the Online Retail purchases, such as online_retail_rfm_kmeans_streaming.yaml, is run in
# batch over the same events first, so the stream and the replay assign with that run's model).
set -euo pipefail
cd "$(dirname "$0")/.."
home="$(pwd -P)"
out="$home/target/bench-stream"
runner="${1:-flink}"
events="${EVENTS:-50000}"
warmup="${WARMUP:-10000}"
rate="${RATE:-0}"
definition="${DEFINITION:-segment-definitions/online_retail_rfm_rules.yaml}"
export PUBSUB_PORT="${PUBSUB_PORT:-8095}" PUBSUB_DIR="$out/pubsub"
mkdir -p "$out"
rm -rf "$out/runs"
data="$out/events.csv.gz"
# head stops reading early: zcat's broken pipe is expected, not a failure.
(set +o pipefail; zcat segment-definitions/data/online_retail.csv.gz | head -n $((events + 1)) | gzip -1 > "$data")

./segflow --help > /dev/null
cat > "$out/replay.yaml" <<YAML
apiVersion: segflow/v1
name: bench-replay
runner: direct
sources:
  retail_transactions:
    kind: file
    format: csv
    path: $data
    timestamp_format: yyyy-MM-dd HH:mm:ss
    time_zone: Europe/London
    event_time: InvoiceDate
output:
  kind: files
  path: $out/runs
YAML
if grep -Eq '^ *method: *(kmeans|bisecting_kmeans)' "$definition"; then
  echo "stream.sh: publishing a batch run of $definition over the same lines (the model the stream assigns with)" >&2
  ./segflow run "$definition" --env "$out/replay.yaml" > "$out/batch.out"
fi
echo "stream.sh: replaying the first $events purchase lines from their file (the expected segments)" >&2
./segflow stream "$definition" --env "$out/replay.yaml" > "$out/replay.out"
replay="$(sed -n 's/^outputs: \(.*\) (changes.csv, rejects.csv)$/\1/p' "$out/replay.out")"

pipelines/pubsub/emulator.sh start > "$out/emulator.env"
stream_pid=""
cleanup() {
  if [ -n "$stream_pid" ] && kill -0 "$stream_pid" 2>/dev/null; then
    pkill -TERM -P "$stream_pid" 2>/dev/null || true
    wait "$stream_pid" 2>/dev/null || true
  fi
  pipelines/pubsub/emulator.sh stop
}
trap cleanup EXIT
# shellcheck disable=SC1091 # written by emulator.sh start
. "$out/emulator.env"
pipelines/pubsub/emulator.sh topic events events-stream
pipelines/pubsub/emulator.sh topic changes changes-bench
pipelines/pubsub/emulator.sh topic bare bare-bench

cat > "$out/live.yaml" <<YAML
apiVersion: segflow/v1
name: bench-live
runner: direct
sources:
  retail_transactions:
    kind: pubsub
    subscription: projects/segflow-local/subscriptions/events-stream
    format: json
    event_time: InvoiceDate
    timestamp_format: yyyy-MM-dd HH:mm:ss
    time_zone: Europe/London
    id_attribute: event_id
output:
  kind: files
  path: $out/runs
  changes_topic: projects/segflow-local/topics/changes
YAML

/usr/bin/time -v -o "$out/stream.time" ./segflow stream "$definition" --env "$out/live.yaml" --runner "$runner" \
  > "$out/stream.out" 2> "$out/stream.err" &
stream_pid=$!
# Started when the command prints its outputs; then a few seconds for the source to open its pull.
until grep -q '^outputs: ' "$out/stream.out" 2>/dev/null; do
  kill -0 "$stream_pid" 2>/dev/null || { echo "stream.sh: the stream stopped; see $out/stream.err" >&2; exit 1; }
  sleep 0.5
done
sleep 10
SEGFLOW_MAIN=io.segflow.bench.StreamBench ./segflow "$PUBSUB_EMULATOR_HOST" segflow-local "$data" "$events" \
  InvoiceNo,Quantity,InvoiceDate,UnitPrice,CustomerID CustomerID InvoiceDate "yyyy-MM-dd HH:mm:ss" Europe/London \
  "$replay/changes.csv" "$warmup" "$rate" | tee "$out/result.txt"
# SIGTERM to the stream's JVM (the child of /usr/bin/time), whose shutdown hook cancels the pipeline as Ctrl-C
# does in a terminal: a job started with & by a script ignores SIGINT (POSIX), and so does its JVM.
pkill -TERM -P "$stream_pid"
stopped=0
wait "$stream_pid" || stopped=$?
stream_pid=""
[ "$stopped" -eq 0 ] || echo "stream.sh: the stream exited $stopped when stopped (expected 0); see $out/stream.err" >&2
echo "stream process ($runner): peak RSS $(awk -F': ' '/Maximum resident/ {printf "%.2f GB", $2/1048576}' "$out/stream.time")" \
  | tee -a "$out/result.txt"
