#!/usr/bin/env bash
# The Pub/Sub emulator of this machine's Google Cloud CLI (package google-cloud-cli-pubsub-emulator; one
# self-contained jar, no credentials), for segflow stream, its tests and bench/stream.sh:
#   eval "$(pipelines/pubsub/emulator.sh start)"      # prints export PUBSUB_EMULATOR_HOST=localhost:PORT
#   pipelines/pubsub/emulator.sh topic events events-sub   # a topic and a subscription of it
#   ./segflow stream DEFINITION --env ENV                  # an environment binding a source with kind: pubsub
#   pipelines/pubsub/emulator.sh stop
#
# Usage: pipelines/pubsub/emulator.sh start|stop|status|topic TOPIC [SUBSCRIPTION...]
# Settings (environment): PUBSUB_PORT (8085), PUBSUB_PROJECT (segflow-local, for topic), PUBSUB_EMULATOR_JAR
# (found from the Cloud CLI when unset), PUBSUB_DIR (target/pubsub: log and pid file). stop ends only the
# process start wrote a pid file for. Exit 3 from start: no emulator on this machine.
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
dir="${PUBSUB_DIR:-$home/target/pubsub}"
port="${PUBSUB_PORT:-8085}"
project="${PUBSUB_PROJECT:-segflow-local}"

running() {
  [ -f "$dir/emulator.pid" ] && kill -0 "$(cat "$dir/emulator.pid")" 2>/dev/null
}

jar() {
  if [ -n "${PUBSUB_EMULATOR_JAR:-}" ]; then
    echo "$PUBSUB_EMULATOR_JAR"
    return
  fi
  local found=""
  if command -v dpkg >/dev/null; then
    found="$(dpkg -L google-cloud-cli-pubsub-emulator 2>/dev/null | grep -- '-all\.jar$' | head -1 || true)"
  fi
  if [ -z "$found" ] && command -v gcloud >/dev/null; then
    local root
    root="$(gcloud info --format='value(installation.sdk_root)' 2>/dev/null || true)"
    found="$(ls "$root"/platform/pubsub-emulator/lib/*-all.jar 2>/dev/null | head -1 || true)"
  fi
  echo "$found"
}

start() {
  if running; then
    echo "emulator.sh: already running (pid $(cat "$dir/emulator.pid")); stop it first" >&2
    exit 1
  fi
  local emulator
  emulator="$(jar)"
  if [ -z "$emulator" ] || [ ! -f "$emulator" ]; then
    echo "emulator.sh: no Pub/Sub emulator here: install the Google Cloud CLI's google-cloud-cli-pubsub-emulator" \
      "package, or set PUBSUB_EMULATOR_JAR to its cloud-pubsub-emulator-*-all.jar" >&2
    exit 3
  fi
  if curl -s --max-time 1 "http://localhost:$port/" >/dev/null 2>&1; then
    echo "emulator.sh: port $port already answers; set PUBSUB_PORT to a free one" >&2
    exit 1
  fi
  mkdir -p "$dir"
  # The emulator logs 17 lines per REST request at INFO (each header it forwards): at a stream's rate that
  # costs it more CPU than serving the request. Its own start-up line stays.
  cat > "$dir/logging.properties" <<'PROPERTIES'
handlers=java.util.logging.ConsoleHandler
java.util.logging.ConsoleHandler.level=ALL
.level=INFO
io.gapi.emulators.level=WARNING
PROPERTIES
  java -Xmx1g -Djava.util.logging.config.file="$dir/logging.properties" -jar "$emulator" --host=localhost \
    --port="$port" > "$dir/emulator.log" 2>&1 &
  echo $! > "$dir/emulator.pid"
  local started=$SECONDS
  # Ready when it answers: its "Server started" line can come before it accepts connections.
  until grep -q "Server started" "$dir/emulator.log" 2>/dev/null \
      && curl -s --max-time 1 "http://localhost:$port/" >/dev/null 2>&1; do
    if ! running; then
      echo "emulator.sh: the emulator stopped while starting; see $dir/emulator.log" >&2
      rm -f "$dir/emulator.pid"
      exit 1
    fi
    if [ $((SECONDS - started)) -gt 60 ]; then
      echo "emulator.sh: not ready after 60 s; see $dir/emulator.log" >&2
      stop
      exit 1
    fi
    sleep 0.2
  done
  echo "emulator.sh: ready in $((SECONDS - started)) s at localhost:$port; log in $dir/emulator.log" >&2
  echo "export PUBSUB_EMULATOR_HOST=localhost:$port"
}

stop() {
  if running; then
    local pid
    pid="$(cat "$dir/emulator.pid")"
    kill "$pid"
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    echo "emulator.sh: stopped (pid $pid)" >&2
  else
    echo "emulator.sh: not running" >&2
  fi
  rm -f "$dir/emulator.pid"
}

topic() { # topic [subscription...]: created if absent
  local name="$1"
  shift
  local base="http://localhost:$port/v1/projects/$project"
  curl -sf -X PUT "$base/topics/$name" >/dev/null || curl -sf "$base/topics/$name" >/dev/null || {
    echo "emulator.sh: cannot create topic $name at localhost:$port" >&2
    exit 1
  }
  for sub in "$@"; do
    curl -sf -X PUT -H 'content-type: application/json' \
      -d "{\"topic\":\"projects/$project/topics/$name\",\"ackDeadlineSeconds\":60}" "$base/subscriptions/$sub" >/dev/null \
      || curl -sf "$base/subscriptions/$sub" >/dev/null || {
        echo "emulator.sh: cannot create subscription $sub at localhost:$port" >&2
        exit 1
      }
  done
  echo "projects/$project/topics/$name${*:+ (subscriptions: $*)}" >&2
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status)
    if running; then echo "emulator.sh: running (pid $(cat "$dir/emulator.pid")) at localhost:$port"; else
      echo "emulator.sh: not running"; exit 1; fi ;;
  topic)
    [ $# -ge 2 ] || { echo "usage: emulator.sh topic TOPIC [SUBSCRIPTION...]" >&2; exit 2; }
    shift
    topic "$@" ;;
  *) echo "usage: pipelines/pubsub/emulator.sh start|stop|status|topic TOPIC [SUBSCRIPTION...]" >&2; exit 2 ;;
esac
