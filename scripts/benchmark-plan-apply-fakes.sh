#!/usr/bin/env bash
# Plan and apply of a generated policy on Azure and GCP through the real SDKs against the project's
# fakes: wall times and write calls next to the lower bound. Run apart from the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests -Dpolyfence.moto.skipInstall test-compile
cp=$(mvn -B -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
exec java -cp "target/classes:target/test-classes:$cp" dev.polyfence.bench.FakesPlanApplyBenchmark "$@"
