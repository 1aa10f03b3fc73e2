#!/usr/bin/env bash
# End-to-end translation benchmark over HTTP: starts the packaged service jar on a free 127.0.0.1
# port with a throwaway API token, POSTs the realistic 1,000-rule, 50-group request body
# (RealisticPolicies, about 300 KB of JSON) to /v1/translations once per target set, and prints the
# warm median of the wall time as curl sees it (request sent to answer read) and of the CPU time the
# service's process spent on the request (all its threads, from /proc; 10 ms resolution), which
# other work on a shared machine does not inflate as it does wall time.
#
# Environment: SIZE (RULESxGROUPS, default 1000x50), TARGETS (space-separated target sets, default
# "aws gcp azure aws,azure,gcp"), WARMUP (unmeasured requests per set, default 3), RUNS (measured,
# default 7), POLYFENCE_JAR (default: target/polyfence-*.jar, built when missing). Run apart from
# the tests, on a quiet machine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
size="${SIZE:-1000x50}"
target_sets="${TARGETS:-aws gcp azure aws,azure,gcp}"
warmup="${WARMUP:-3}"
runs="${RUNS:-7}"
python="${PYTHON:-python3}"
java="${JAVA:-java}"

say() { echo "benchmark-http: $*" >&2; }
die() {
	echo "benchmark-http: $*" >&2
	exit 1
}

mvn_offline_first() { mvn -B -q -o "$@" 2>/dev/null || mvn -B -q "$@"; }
if [[ -n "${POLYFENCE_JAR:-}" ]]; then
	jar="$POLYFENCE_JAR"
else
	shopt -s nullglob
	jars=(target/polyfence-*.jar)
	shopt -u nullglob
	if [[ ${#jars[@]} -ne 1 ]]; then
		say "packaging the service (mvn package, no tests)"
		mvn_offline_first -DskipTests -Dpolyfence.moto.skipInstall package
		jars=(target/polyfence-*.jar)
	fi
	jar="${jars[0]}"
fi
[[ -f "$jar" ]] || die "$jar not found"
mvn_offline_first -DskipTests -Dpolyfence.moto.skipInstall test-compile
cp="target/classes:target/test-classes:$(mvn_offline_first dependency:build-classpath -Dmdep.outputFile=/dev/stdout)"

work="$(mktemp -d "${TMPDIR:-/tmp}/polyfence-bench-http.XXXXXX")"
service_pid=""
stop() {
	if [[ -n "$service_pid" ]] && kill -0 "$service_pid" 2>/dev/null; then
		kill "$service_pid" 2>/dev/null || true
		wait "$service_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap stop EXIT
trap 'exit 130' INT TERM

for targets in $target_sets; do
	"$java" -cp "$cp" dev.polyfence.bench.RealisticPolicies "$size" "$work/body-$targets.json" "$targets"
done

port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
token="$("$python" -c 'import secrets; print(secrets.token_urlsafe(32))')"
token_sha256="$(printf '%s' "$token" | "$python" -c 'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')"
POLYFENCE_DATA_DIR="$work/data" "$java" -Xms1g -Xmx3g -jar "$jar" \
	--server.address=127.0.0.1 --server.port="$port" \
	--polyfence.azure.enabled=false --polyfence.gcp.enabled=false \
	--polyfence.security.tokens[0].name=bench \
	--polyfence.security.tokens[0].sha256="$token_sha256" \
	--polyfence.security.tokens[0].rights=plan \
	>"$work/service.log" 2>&1 &
service_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 360); do
	kill -0 "$service_pid" 2>/dev/null || { tail -n 40 "$work/service.log" >&2; die "the service stopped"; }
	curl -fsS -o /dev/null "$base/actuator/health" 2>/dev/null && break
	sleep 0.5
done
curl -fsS -o /dev/null "$base/actuator/health" || die "the service never became healthy at $base"
say "service on $base ($(basename "$jar")); body $size, warmup $warmup, runs $runs per target set"

cpu_ms() { awk -v tick="$(getconf CLK_TCK)" '{ print ($14 + $15) * 1000 / tick }' "/proc/$service_pid/stat"; }
printf '%-16s %7s %6s %9s %9s %9s %9s %11s\n' targets body_KB status answer_KB median_ms min_ms max_ms median_cpu_ms
for targets in $target_sets; do
	body="$work/body-$targets.json"
	times=()
	cpus=()
	status=""
	answer=0
	for i in $(seq 1 $((warmup + runs))); do
		cpu_before="$(cpu_ms)"
		out="$(curl -sS -o "$work/answer.json" -w '%{http_code} %{time_total} %{size_download}' \
			-H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
			--data-binary @"$body" "$base/v1/translations")"
		read -r status seconds answer <<<"$out"
		[[ "$status" == 200 ]] || { head -c 600 "$work/answer.json" >&2; echo >&2; die "POST for $targets answered $status"; }
		cpu_after="$(cpu_ms)"
		if ((i > warmup)); then
			times+=("$seconds")
			cpus+=("$(awk -v a="$cpu_after" -v b="$cpu_before" 'BEGIN { print a - b }')")
		fi
	done
	"$python" -c '
import sys, statistics
targets, body, status, answer, times, cpus = sys.argv[1:7]
ms = sorted(float(t) * 1000 for t in times.split())
cpu = statistics.median(float(c) for c in cpus.split())
print(f"{targets:<16} {int(body) / 1024:7.1f} {status:>6} {int(answer) / 1024:9.1f} {statistics.median(ms):9.1f} {ms[0]:9.1f} {ms[-1]:9.1f} {cpu:11.0f}")
' "$targets" "$(wc -c <"$body")" "$status" "$answer" "${times[*]}" "${cpus[*]}"
done
