#!/usr/bin/env bash
# Translation benchmark: median of warm runs per cloud, and emitted rule counts, for generated
# policies. Run apart from the tests, on a quiet machine. Arguments: sizes as RULESxGROUPS
# (default: 10x5 100x20 1000x50 5000x50).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests test-compile
cp=$(mvn -B -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
exec java -Xms1g -Xmx4g -cp "target/classes:target/test-classes:$cp" dev.polyfence.bench.TranslationBenchmark "$@"
