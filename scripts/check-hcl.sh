#!/usr/bin/env bash
# Checks the Terraform and pipeline examples: every terraform-examples/**/*.tf parses as HCL, each
# module declares what it uses and uses what it declares and has its README, outputs and pinned
# providers; the pipeline examples parse as YAML, have their expected keys and call only paths
# that openapi.yaml has. The checks are scripts/check_examples.py; this script first installs its
# Python packages (pinned in requirements-tools.txt) into a project-local virtualenv,
# .venv-tools/, then runs the checks' self-test (broken examples must be caught) and the checks.
# The Maven build runs it in verify (skip with -Dpolyfence.hcl.skip).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv-tools"
requirements="$root/requirements-tools.txt"
python="${PYTHON:-python3}"

# "name==version" lines of the requirements file, as "name version" pairs.
pinned() {
	sed -n 's/^\([A-Za-z0-9_.-]*\)==\([^[:space:]]*\).*/\1 \2/p' "$requirements"
}

installed_matches() {
	[[ -x "$venv/bin/python" ]] || return 1
	local name version have
	while read -r name version; do
		have="$("$venv/bin/python" -c 'import importlib.metadata as m, sys; print(m.version(sys.argv[1]))' "$name" 2>/dev/null || true)"
		[[ "$have" == "$version" ]] || return 1
	done < <(pinned)
}

if [[ -z "$(pinned)" ]]; then
	echo "check-hcl: no 'name==version' lines in $requirements" >&2
	exit 1
fi

if ! installed_matches; then
	if ! command -v "$python" >/dev/null 2>&1; then
		echo "check-hcl: $python not found; install Python 3 (with venv and pip) first" >&2
		exit 1
	fi
	echo "check-hcl: installing $(pinned | tr ' \n' '= ' | sed 's/ $//') into $venv"
	if [[ ! -x "$venv/bin/python" ]]; then
		rm -rf "$venv"
		"$python" -m venv "$venv" || { echo "check-hcl: could not create a virtualenv with $python -m venv" >&2; exit 1; }
	fi
	"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" \
		|| { echo "check-hcl: pip could not install $requirements" >&2; exit 1; }
	installed_matches || { echo "check-hcl: pip finished but the pinned versions are not installed" >&2; exit 1; }
fi

"$venv/bin/python" "$root/scripts/check_examples.py" --self-test
"$venv/bin/python" "$root/scripts/check_examples.py" --repo "$root"
