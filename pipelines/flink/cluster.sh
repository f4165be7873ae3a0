#!/usr/bin/env bash
# A Flink 1.19 session cluster on this machine: one JobManager and one TaskManager, each its own JVM,
# from the Flink jars segflow's build already resolved from Maven Central (Flink publishes no
# distribution there; the entry points are in flink-runtime). Runs segflow's jobs with
#   ./segflow run DEFINITION --runner flink --flink-master localhost:8081
#
# Usage: pipelines/flink/cluster.sh start|stop|status
# Settings (environment): FLINK_REST_PORT (8081), FLINK_RPC_PORT (6123), FLINK_SLOTS (2, slots of the TaskManager),
# FLINK_TM_MEMORY (3072m, the TaskManager's whole process), FLINK_JM_MEMORY (512m), FLINK_DIR (target/flink:
# config, logs and pid files). stop ends only the processes start wrote pid files for.
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
dir="${FLINK_DIR:-$home/target/flink}"
rest_port="${FLINK_REST_PORT:-8081}"
rpc_port="${FLINK_RPC_PORT:-6123}"
slots="${FLINK_SLOTS:-2}"
tm_memory="${FLINK_TM_MEMORY:-3072m}"
jm_memory="${FLINK_JM_MEMORY:-512m}"
classpath_file="$home/target/runtime-classpath.txt"

# The module opens Flink's own scripts pass on Java 17.
opens=(--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
  --add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED)

running() { # pid file -> 0 when its process is alive
  [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

overview() {
  curl -sf --max-time 2 "http://localhost:$rest_port/overview" 2>/dev/null
}

write_config() {
  mkdir -p "$dir/conf" "$dir/logs" "$dir/tmp"
  cat > "$dir/conf/config.yaml" <<YAML
jobmanager.rpc.address: localhost
jobmanager.rpc.port: $rpc_port
jobmanager.bind-host: localhost
jobmanager.memory.process.size: $jm_memory
rest.address: localhost
rest.bind-address: localhost
rest.port: $rest_port
taskmanager.host: localhost
taskmanager.bind-host: localhost
taskmanager.numberOfTaskSlots: $slots
taskmanager.memory.process.size: $tm_memory
# A Beam batch job is one long chain of operators per slot, each with its own network buffers: Flink's
# default 10% (380 buffers here) fails the demo with "Insufficient number of network buffers".
taskmanager.memory.network.fraction: 0.25
taskmanager.memory.network.min: 512mb
taskmanager.memory.network.max: 1gb
parallelism.default: $slots
io.tmp.dirs: $dir/tmp
# segflow's jobs stage only segflow.jar; Beam and Flink come from the cluster's classpath, which is the
# same one the job was built against.
classloader.resolve-order: parent-first
YAML
}

start() {
  if running "$dir/jobmanager.pid" || running "$dir/taskmanager.pid"; then
    echo "cluster.sh: already running (pids $(cat "$dir"/*.pid 2>/dev/null | tr '\n' ' ')); stop it first" >&2
    exit 1
  fi
  if overview >/dev/null; then
    echo "cluster.sh: port $rest_port already answers as a Flink REST endpoint that this script did not start" >&2
    exit 1
  fi
  if [ ! -f "$classpath_file" ]; then
    echo "cluster.sh: building segflow first (the cluster runs from its resolved jars)" >&2
    "$home/segflow" --help >/dev/null
  fi
  write_config
  local cp
  cp="$(cat "$classpath_file")"
  java -Xms"$jm_memory" -Xmx"$jm_memory" "${opens[@]}" -Dlog.file="$dir/logs/jobmanager.log" \
    -Dorg.slf4j.simpleLogger.logFile="$dir/logs/jobmanager.log" -cp "$cp" \
    org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint --configDir "$dir/conf" \
    > "$dir/logs/jobmanager.out" 2>&1 &
  echo $! > "$dir/jobmanager.pid"
  # The TaskManager's memory flags, worked out by Flink from the config (what taskmanager.sh does).
  local params jvm dynamic
  params="$(java -cp "$cp" org.apache.flink.runtime.util.bash.BashJavaUtils GET_TM_RESOURCE_PARAMS \
    --configDir "$dir/conf" 2>>"$dir/logs/taskmanager.out" | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://')"
  jvm="$(echo "$params" | sed -n 1p)"
  dynamic="$(echo "$params" | sed -n 2p)"
  if [ -z "$jvm" ]; then
    echo "cluster.sh: Flink could not work out the TaskManager's memory; see $dir/logs/taskmanager.out" >&2
    stop
    exit 1
  fi
  # shellcheck disable=SC2086 # both are lists of flags
  java $jvm "${opens[@]}" -Dlog.file="$dir/logs/taskmanager.log" \
    -Dorg.slf4j.simpleLogger.logFile="$dir/logs/taskmanager.log" -cp "$cp" \
    org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$dir/conf" $dynamic \
    > "$dir/logs/taskmanager.out" 2>&1 &
  echo $! > "$dir/taskmanager.pid"
  local started=$SECONDS
  until overview | grep -q '"taskmanagers":1'; do
    if ! running "$dir/jobmanager.pid" || ! running "$dir/taskmanager.pid"; then
      echo "cluster.sh: the cluster stopped while starting; see $dir/logs/" >&2
      stop
      exit 1
    fi
    if [ $((SECONDS - started)) -gt 90 ]; then
      echo "cluster.sh: not ready after 90 s; see $dir/logs/" >&2
      stop
      exit 1
    fi
    sleep 0.5
  done
  echo "cluster.sh: ready in $((SECONDS - started)) s at localhost:$rest_port ($slots slots); logs in $dir/logs"
}

stop() {
  local pid_file pid
  for pid_file in "$dir/taskmanager.pid" "$dir/jobmanager.pid"; do
    if running "$pid_file"; then
      pid="$(cat "$pid_file")"
      kill "$pid"
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    fi
    rm -f "$pid_file"
  done
  echo "cluster.sh: stopped"
}

status() {
  if running "$dir/jobmanager.pid" && running "$dir/taskmanager.pid" && overview | grep -q '"taskmanagers":1'; then
    echo "cluster.sh: running at localhost:$rest_port: $(overview)"
  else
    echo "cluster.sh: not running"
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
