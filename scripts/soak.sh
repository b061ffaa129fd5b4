#!/usr/bin/env bash
# Soak run (not a CI test): embedded broker + one scorer + a producer at a fixed rate; samples heap after GC,
# consumer lag, state-dir size and throughput every 10 s, then prints a table and a flat / not-flat verdict.
#   scripts/soak.sh [--minutes 10] [--rate 1000] [--sample-seconds 10]
# Compiles common and scorer (main + test classes, nothing installed) and runs
# org.fraudscorer.scorer.soak.SoakRun on the scorer's test class path.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl common,scorer -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/test.cp
CP="scorer/target/test-classes:scorer/target/classes:$(cat scorer/target/test.cp)"
exec java -Xmx1g --add-modules jdk.incubator.vector -DFRAUD_LOG_LEVEL=warn -cp "$CP" org.fraudscorer.scorer.soak.SoakRun "$@"
