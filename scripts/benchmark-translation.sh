#!/usr/bin/env bash
# Translation benchmark on the realistic corpus (src/test/java/dev/polyfence/bench/RealisticPolicies.java):
# per size, the time of each stage of a translation request (read, JSON Schemas, semantic checks,
# model assembly, the whole parse, each cloud's translation, the answer's JSON; warm, median of
# several runs) and, per cloud, the entries emitted next to a floor, with the sides past quota. The
# output explains the counts and the floors. Run apart from the tests, on a quiet machine.
#
# Arguments: sizes as RULESxGROUPS (default: 10x5 100x20 1000x50 5000x50) and --aws-max-rules=N,
# which leaves AWS out of larger sizes (default 1000: one AWS translation of 5000 rules takes minutes).
# Per-stage JMH figures: scripts/benchmark-stages-jmh.sh; over HTTP: scripts/benchmark-http.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -DskipTests -Dpolyfence.moto.skipInstall test-compile 2>/dev/null || mvn -B -q -DskipTests -Dpolyfence.moto.skipInstall test-compile
cp=$(mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout 2>/dev/null || mvn -B -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
args=("$@")
if ! printf '%s\n' "${args[@]+"${args[@]}"}" | grep -q -- '--aws-max-rules='; then
  args+=(--aws-max-rules=1000)
fi
exec java -Xms2g -Xmx4g -cp "target/classes:target/test-classes:$cp" dev.polyfence.bench.TranslationBenchmark "${args[@]}"
