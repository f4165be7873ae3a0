#!/usr/bin/env bash
# Makes target/segflow.jsa, the class-data archive ./segflow starts the JVM with (AppCDS, JEP 350): a
# training run (io.segflow.cli.ClassDataTraining) records every class it loads, and later JVMs map them
# from the archive instead of loading them from ~300 jars, which saves 2-3 s per run on a 2-core machine.
# The archive is only valid for this JVM and this exact classpath, so the launcher uses it only when it
# is newer than the jar. Run by `mvn package` (skip with -Dsegflow.classdata.skip).
set -euo pipefail
home="$(cd "$(dirname "$0")/../.." && pwd -P)"
cd "$home"
archive=target/segflow.jsa
rm -f "$archive" "$archive.tmp"
# The classpath string must be exactly the one the launcher passes.
java -XX:+UseParallelGC -XX:ArchiveClassesAtExit="$archive.tmp" -Xlog:cds=off -Xlog:cds+dynamic=off -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
  -cp "$home/target/segflow.jar:$(cat target/runtime-classpath.txt)" \
  io.segflow.cli.ClassDataTraining src/build/class-data-env.yaml src/build/class-data-kmeans.yaml src/build/class-data-rules.yaml
mv "$archive.tmp" "$archive"
