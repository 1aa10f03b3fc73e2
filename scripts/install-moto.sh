#!/usr/bin/env bash
# Installs moto's server (pinned in requirements-test.txt) into a project-local virtualenv,
# .venv-moto/, for the AWS integration tests. Idempotent: when the pinned version is already
# installed it only checks and exits. The Maven build runs it in generate-test-resources
# (skip with -Dpolyfence.moto.skipInstall).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv-moto"
requirements="$root/requirements-test.txt"
python="${PYTHON:-python3}"

pinned="$(sed -n 's/^moto\[server\]==\([^[:space:]]*\).*/\1/p' "$requirements")"
if [[ -z "$pinned" ]]; then
	echo "install-moto: no 'moto[server]==VERSION' line in $requirements" >&2
	exit 1
fi

installed_version() {
	"$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("moto"))' 2>/dev/null || true
}

if [[ -x "$venv/bin/moto_server" && "$(installed_version)" == "$pinned" ]]; then
	echo "install-moto: moto $pinned already in $venv"
	exit 0
fi

if ! command -v "$python" >/dev/null 2>&1; then
	echo "install-moto: $python not found; install Python 3 (with venv and pip) first" >&2
	exit 1
fi

# Without the venv module or the network, a moto_server already on the PATH still serves the tests.
fallback_to_path() {
	if command -v moto_server >/dev/null 2>&1; then
		echo "install-moto: $1; the tests will use $(command -v moto_server) instead (not the pinned $pinned)" >&2
		exit 0
	fi
	echo "install-moto: $1, and no moto_server on the PATH" >&2
	exit 1
}

echo "install-moto: installing moto[server]==$pinned into $venv"
if [[ ! -x "$venv/bin/python" ]]; then
	rm -rf "$venv"
	"$python" -m venv "$venv" || fallback_to_path "could not create a virtualenv with $python -m venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" \
	|| fallback_to_path "pip could not install moto[server]==$pinned"

if [[ ! -x "$venv/bin/moto_server" ]]; then
	echo "install-moto: pip finished but $venv/bin/moto_server is missing" >&2
	exit 1
fi
echo "install-moto: moto $(installed_version) ready: $venv/bin/moto_server"
