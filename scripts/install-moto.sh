#!/usr/bin/env bash
# Installs moto's server (pinned in requirements-test.txt) into a project-local virtualenv,
# .venv-moto/, for the AWS integration tests. Idempotent: when the pinned version is already
# installed it only checks and exits. The Maven build runs it in generate-test-resources
# (skip with -Dpolyfence.moto.skipInstall).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${POLYFENCE_MOTO_VENV:-$root/.venv-moto}"
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

echo "install-moto: installing moto[server]==$pinned into $venv"
if [[ ! -x "$venv/bin/python" ]]; then
	rm -rf "$venv"
	"$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"

if [[ ! -x "$venv/bin/moto_server" ]]; then
	echo "install-moto: pip finished but $venv/bin/moto_server is missing" >&2
	exit 1
fi
echo "install-moto: moto $(installed_version) ready: $venv/bin/moto_server"
