#!/usr/bin/env bash
# Measures the partition hand-over after a clean close (the figure behind RebalanceIT's sanity limit and the
# "hand-over" sentence in docs/reliability.md): embedded broker, instance A, and N times an instance B that joins,
# scores and closes; prints each round and the median and maximum.
#   scripts/measure-handover.sh [--rounds 5] [--rate 1000]
# Compiles common and scorer (main + test classes, nothing installed) and runs
# org.fraudscorer.scorer.it.HandoverRun on the scorer's test class path.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl common,scorer -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/test.cp
CP="scorer/target/test-classes:scorer/target/classes:$(cat scorer/target/test.cp)"
exec java -Xmx1g --add-modules jdk.incubator.vector -DFRAUD_LOG_LEVEL=warn -cp "$CP" \
    org.fraudscorer.scorer.it.HandoverRun "$@"
