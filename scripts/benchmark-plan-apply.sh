#!/usr/bin/env bash
# Plan and apply of a generated policy against moto's EC2 server: wall times and EC2 calls next to
# the lower bound. Run apart from the tests. Arguments: rule count and group count (default 1000 50).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-moto.sh
mvn -B -q -DskipTests -Dpolyfence.moto.skipInstall test-compile
cp=$(mvn -B -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
exec java -cp "target/classes:target/test-classes:$cp" dev.polyfence.bench.PlanApplyBenchmark "$@"
