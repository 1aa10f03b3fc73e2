#!/usr/bin/env bash
# Fuzzes the HTTP API of the packaged service against openapi.yaml with schemathesis (pinned in
# requirements-fuzz.txt, installed into a project-local .venv-fuzz/ when missing).
#
# It starts moto's EC2 server (so plans that name an AWS VPC reach a local peer, never AWS) and the
# service jar (target/polyfence-*.jar, from `mvn package`), each on a free 127.0.0.1 port, with
# dummy AWS credentials, a fresh data directory and a known API token; waits until the service is
# healthy; then lets schemathesis send generated requests, valid and invalid, to every operation of
# openapi.yaml. Every answer must be documented (status, Content-Type, headers, body schema), no
# answer may be a 5xx, and invalid input must be refused with a 4xx. Both processes are stopped
# however the script ends. Reports go to target/fuzz/ (junit.xml, schemathesis.txt, service.log).
#
# The Maven build runs it in the integration-test phase; skip with -Dpolyfence.fuzz.skip.
# Environment: PYTHON (default python3), JAVA (default java), POLYFENCE_JAR (default the one
# target/polyfence-*.jar), FUZZ_MAX_EXAMPLES (test cases per operation and phase, default 150:
# about a minute here), FUZZ_SEED (fixed by default, so that a failure replays).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv-fuzz"
requirements="$root/requirements-fuzz.txt"
out="$root/target/fuzz"
python="${PYTHON:-python3}"
java="${JAVA:-java}"
max_examples="${FUZZ_MAX_EXAMPLES:-150}"
seed="${FUZZ_SEED:-20261123}"

say() { echo "fuzz-api: $*"; }
die() {
	echo "fuzz-api: $*" >&2
	exit 1
}

# ---- schemathesis, installed like moto (idempotent) ----
pinned="$(sed -n 's/^schemathesis==\([^[:space:]]*\).*/\1/p' "$requirements")"
[[ -n "$pinned" ]] || die "no 'schemathesis==VERSION' line in $requirements"
installed_version() {
	"$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("schemathesis"))' 2>/dev/null || true
}
if [[ -x "$venv/bin/st" && "$(installed_version)" == "$pinned" ]]; then
	say "schemathesis $pinned already in $venv"
else
	command -v "$python" >/dev/null 2>&1 || die "$python not found; install Python 3 (with venv and pip) first"
	say "installing schemathesis==$pinned into $venv"
	if [[ ! -x "$venv/bin/python" ]]; then
		rm -rf "$venv"
		"$python" -m venv "$venv" || die "could not create a virtualenv with $python -m venv"
	fi
	"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" \
		|| die "pip could not install schemathesis==$pinned"
	[[ -x "$venv/bin/st" ]] || die "pip finished but $venv/bin/st is missing"
fi

# ---- moto (install-moto.sh is idempotent and quick when moto is there) ----
bash "$root/scripts/install-moto.sh"
moto="$root/.venv-moto/bin/moto_server"
if [[ ! -x "$moto" ]]; then
	moto="$(command -v moto_server)" || die "no moto_server in .venv-moto/ nor on the PATH"
fi

# ---- the packaged service ----
if [[ -n "${POLYFENCE_JAR:-}" ]]; then
	jar="$POLYFENCE_JAR"
	[[ -f "$jar" ]] || die "$jar not found; run mvn -B package first"
else
	shopt -s nullglob
	jars=("$root"/target/polyfence-*.jar)
	shopt -u nullglob
	[[ ${#jars[@]} -eq 1 ]] || die "expected one target/polyfence-*.jar, found ${#jars[@]}; run mvn -B package first"
	jar="${jars[0]}"
fi

free_port() {
	"$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Polls a URL until it answers 200 or the process behind it dies; 1 when it never did.
wait_for() {
	local url="$1" pid="$2" seconds="$3"
	"$python" - "$url" "$pid" "$seconds" <<'EOF'
import os, sys, time, urllib.request
url, pid, deadline = sys.argv[1], int(sys.argv[2]), time.monotonic() + float(sys.argv[3])
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit(1)
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            if response.status == 200:
                sys.exit(0)
    except Exception:
        pass
    time.sleep(0.5)
sys.exit(1)
EOF
}

rm -rf "$out"
mkdir -p "$out"
work="$(mktemp -d "${TMPDIR:-/tmp}/polyfence-fuzz.XXXXXX")"
moto_pid=""
service_pid=""
stop() {
	local pid
	for pid in "$service_pid" "$moto_pid"; do
		if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
			kill "$pid" 2>/dev/null || true
			wait "$pid" 2>/dev/null || true
		fi
	done
	rm -rf "$work"
}
trap stop EXIT
trap 'exit 130' INT TERM

moto_port="$(free_port)"
"$moto" -H 127.0.0.1 -p "$moto_port" >"$out/moto.log" 2>&1 &
moto_pid=$!
wait_for "http://127.0.0.1:$moto_port/moto-api/" "$moto_pid" 60 \
	|| die "moto did not start on 127.0.0.1:$moto_port; see $out/moto.log"
say "moto on 127.0.0.1:$moto_port"

# A token for this run only; the service knows only its SHA-256 (see the security configuration).
token="$("$python" -c 'import secrets; print(secrets.token_urlsafe(32))')"
token_sha256="$(printf '%s' "$token" | "$python" -c 'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')"

# Dummy AWS credentials and region, and none of the other sources of the default chain, so no call
# ever leaves the machine; Azure and GCP stay off (they have no local emulator here).
port="$(free_port)"
env -u AWS_PROFILE -u AWS_SESSION_TOKEN -u AWS_ROLE_ARN -u AWS_WEB_IDENTITY_TOKEN_FILE \
	-u AWS_CONTAINER_CREDENTIALS_RELATIVE_URI -u AWS_CONTAINER_CREDENTIALS_FULL_URI \
	AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 \
	AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
	POLYFENCE_DATA_DIR="$work/data" \
	"$java" -Xmx512m -jar "$jar" \
	--server.address=127.0.0.1 --server.port="$port" \
	--polyfence.aws.endpoint="http://127.0.0.1:$moto_port" \
	--polyfence.azure.enabled=false --polyfence.gcp.enabled=false \
	--polyfence.security.tokens[0].name=fuzz \
	--polyfence.security.tokens[0].sha256="$token_sha256" \
	--polyfence.security.tokens[0].rights=plan,apply \
	>"$out/service.log" 2>&1 &
service_pid=$!
base="http://127.0.0.1:$port"
if ! wait_for "$base/actuator/health" "$service_pid" 180; then
	tail -n 40 "$out/service.log" >&2 || true
	die "the service never became healthy at $base/actuator/health; see $out/service.log"
fi
say "service healthy at $base (jar $(basename "$jar"))"

# Checks. In: no 5xx; status, Content-Type (so every error is application/problem+json), headers
# and body as openapi.yaml documents them; schema-violating input refused with a 4xx; a missing
# required header refused; an undocumented method answered 405 with a correct Allow header; and,
# once openapi.yaml declares security, an operation refusing a request without valid credentials.
# Out, and why:
# - positive_data_acceptance: the JSON Schemas cannot say every rule of a policy (a rule naming a
#   group that does not exist, duplicate names, non-canonical CIDRs), so schema-valid bodies are
#   often rightly refused with 422; and GET /v1/plans/{id} with a generated id is rightly 404.
# - use_after_free, ensure_resource_availability: about deleted resources; the API deletes none.
# - object_level_authorization: needs two callers with different objects; plans have no owner.
# Phases: the stateful one follows the links schemathesis infers from the Location header of
# POST /v1/plans, so real plans are read back and applied (most are refused for their error
# findings, as their generated VPCs are not in moto).
checks="not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance"
checks+=",response_schema_conformance,negative_data_rejection,missing_required_header"
checks+=",unsupported_method,allow_header_conformance,ignored_auth"

say "schemathesis: seed $seed, at most $max_examples examples per operation and phase"
set +e
# From target/fuzz/, so that schemathesis' and Hypothesis' own files (.schemathesis/, the crash
# files `st replay` reads, and .hypothesis/) land there and not in the project.
cd "$out"
"$venv/bin/st" --no-color run "$root/openapi.yaml" \
	--url "$base" \
	--header "Authorization: Bearer $token" \
	--checks "$checks" \
	--phases examples,coverage,fuzzing,stateful \
	--max-examples "$max_examples" \
	--seed "$seed" \
	--generation-database none \
	--request-timeout 30 \
	--workers 1 \
	--report junit,ndjson \
	--report-dir "$out" \
	--report-junit-path "$out/junit.xml" \
	--report-ndjson-path "$out/events.ndjson" \
	2>&1 | tee "$out/schemathesis.txt"
status=${PIPESTATUS[0]}
set -e
cd "$root"

# A run that tested nothing must not pass: count, from schemathesis' event log, the operations that
# got at least one test case and the test cases sent, and require every selected operation tested.
counts="$("$python" - "$out/events.ndjson" <<'PY'
import json, sys
selected, tested, cases = 0, set(), 0
try:
    with open(sys.argv[1], encoding="utf-8") as events:
        for line in events:
            event = json.loads(line)
            if "LoadingFinished" in event:
                selected = event["LoadingFinished"]["statistic"]["operations"]["selected"]
            elif "ScenarioFinished" in event:
                recorder = event["ScenarioFinished"]["recorder"]
                n = len(recorder.get("cases", {}))
                cases += n
                if n and event["ScenarioFinished"]["phase"] != "stateful":
                    tested.add(recorder["label"])
except FileNotFoundError:
    pass
print(selected, len(tested), cases)
PY
)"
read -r selected tested cases <<<"$counts"
say "operations selected: $selected, tested: $tested; test cases: $cases"
{
	echo "operations selected: $selected"
	echo "operations tested: $tested"
	echo "test cases: $cases"
	echo "schemathesis exit status: $status"
} >"$out/summary.txt"
if [[ "$selected" -eq 0 || "$tested" -ne "$selected" || "$cases" -eq 0 ]]; then
	die "schemathesis did not test every operation of openapi.yaml ($tested of $selected, $cases test cases)"
fi
if [[ "$status" -ne 0 ]]; then
	die "schemathesis found failures (exit status $status); the report is above and in $out/ (service log: $out/service.log)"
fi
say "no failures"
