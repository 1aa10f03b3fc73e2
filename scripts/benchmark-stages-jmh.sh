#!/usr/bin/env bash
# JMH benchmarks of each stage of a translation request (src/test/java/dev/polyfence/bench/StageBenchmarks.java)
# on the realistic 1,000-rule, 50-group body: read, schemas, semantics, assemble, parse (all four),
# azure, gcp, json (average time per call, ms). The AWS translation takes tens of seconds per call
# at 1,000 rules, so it runs apart, on AWS_SIZE (default 100x20; AWS=0 leaves it out). Extra
# arguments go to JMH (e.g. -p size=100x20, -f 2, -prof gc). Run apart from the tests, on a quiet
# machine.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -DskipTests -Dpolyfence.moto.skipInstall test-compile 2>/dev/null || mvn -B -q -DskipTests -Dpolyfence.moto.skipInstall test-compile
cp="target/classes:target/test-classes:$(mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout 2>/dev/null || mvn -B -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout)"
java -cp "$cp" org.openjdk.jmh.Main 'StageBenchmarks\.(read|schemas|semantics|assemble|parse|azure|gcp|json)$' "$@"
if [[ "${AWS:-1}" != 0 ]]; then
	java -cp "$cp" org.openjdk.jmh.Main 'StageBenchmarks\.aws$' -p size="${AWS_SIZE:-100x20}" -wi 2 -i 3 "$@"
fi
