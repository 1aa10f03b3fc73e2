#!/usr/bin/env python3
"""Checks the deployment and pipeline examples without a cloud account or a CI server.

Terraform (terraform-examples/**/*.tf): every file parses as HCL (python-hcl2); in each module,
every `var.x` used is declared and every declared variable is used, every `local.x` used is
declared and every declared local is used, every variable has a type and a description and every
output a description, every provider is pinned to a major version (`~>`), and the module has
versions.tf, variables.tf, outputs.tf and README.md.

Pipelines (examples/pipelines): the GitHub workflow, the GitLab CI file and both claim files parse
as YAML and have the keys the examples rely on, and every /v1/... path their scripts call exists
in openapi.yaml.

Run by scripts/check-hcl.sh (and so by `mvn verify`). `--self-test` runs the checks on
deliberately broken copies in a temporary directory and fails unless each one is caught.
"""

import argparse
import pathlib
import re
import sys
import tempfile

import hcl2
import yaml

REQUIRED_MODULE_FILES = ("versions.tf", "variables.tf", "outputs.tf", "README.md")
VAR_REF = re.compile(r"(?<![\w.])var\.([A-Za-z_][A-Za-z0-9_-]*)")
LOCAL_REF = re.compile(r"(?<![\w.])local\.([A-Za-z_][A-Za-z0-9_-]*)")
API_PATH = re.compile(r"/v1/[A-Za-z0-9_.${}/-]*")
RIGHTS = {"plan", "apply"}
QUIET = False


def log(message):
    if not QUIET:
        print(f"check-examples: {message}")


def strings(node):
    """Every string value under a parsed HCL or YAML node, skipping the parser's own keys."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and key.startswith("__"):
                continue
            yield from strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings(item)


def unquote(text):
    return text[1:-1] if len(text) >= 2 and text[0] == '"' and text[-1] == '"' else text


def names(blocks):
    """The labels (variable "x") or attribute names (locals) of a list of parsed blocks."""
    for block in blocks:
        for key in block:
            if not key.startswith("__"):
                yield unquote(key)


# --- Terraform -------------------------------------------------------------------------------


def check_terraform(root):
    problems = []
    files = sorted(root.rglob("*.tf"))
    if not files:
        return [f"{root}: no .tf files"]
    parsed = {}
    for path in files:
        log(f"HCL {path}")
        try:
            with open(path, encoding="utf-8") as f:
                parsed[path] = hcl2.load(f)
        except Exception as e:  # the parser raises lark's and its own exception types
            problems.append(f"{path}: does not parse as HCL: {type(e).__name__}: {e}")
    for module in sorted({p.parent for p in files}):
        problems += check_module(module, {p: d for p, d in parsed.items() if p.parent == module})
    return problems


def check_module(module, docs):
    problems = []
    for required in REQUIRED_MODULE_FILES:
        if not (module / required).is_file():
            problems.append(f"{module}: missing {required}")
    declared_vars, declared_locals, used_vars, used_locals = {}, {}, {}, {}
    for path, doc in docs.items():
        for name in names(doc.get("variable", [])):
            declared_vars[name] = path
        for name in names(doc.get("locals", [])):
            declared_locals[name] = path
        for kind, needed in (("variable", ("type", "description")), ("output", ("description",))):
            for block in doc.get(kind, []):
                for name, body in block.items():
                    if name.startswith("__"):
                        continue
                    for attribute in needed:
                        if attribute not in body:
                            problems.append(f"{path}: {kind} \"{unquote(name)}\" has no {attribute}")
        # A variable used only in its own validation block is still unused.
        for kind, blocks in doc.items():
            if kind == "variable":
                continue
            for text in strings(blocks):
                for m in VAR_REF.finditer(text):
                    used_vars.setdefault(m.group(1), path)
                for m in LOCAL_REF.finditer(text):
                    used_locals.setdefault(m.group(1), path)
        for block in doc.get("terraform", []):
            for providers in block.get("required_providers", []):
                for name, spec in providers.items():
                    if name.startswith("__"):
                        continue
                    version = unquote(spec.get("version", "")) if isinstance(spec, dict) else ""
                    if not version.startswith("~>"):
                        problems.append(f"{path}: provider {name} is not pinned to a major version (version = \"~> N.0\")")
    for name, path in sorted(used_vars.items()):
        if name not in declared_vars:
            problems.append(f"{path}: var.{name} is used but no variable \"{name}\" is declared in {module}")
    for name, path in sorted(declared_vars.items()):
        if name not in used_vars:
            problems.append(f"{path}: variable \"{name}\" is declared but never used")
    for name, path in sorted(used_locals.items()):
        if name not in declared_locals:
            problems.append(f"{path}: local.{name} is used but not declared in {module}")
    for name, path in sorted(declared_locals.items()):
        if name not in used_locals:
            problems.append(f"{path}: local {name} is declared but never used")
    return problems


# --- pipelines ---------------------------------------------------------------------------------


def load_yaml(path, problems):
    log(f"YAML {path}")
    try:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        problems.append(f"{path}: does not parse as YAML: {e}")
        return None
    if not isinstance(doc, dict):
        problems.append(f"{path}: is not a YAML mapping")
        return None
    return doc


def missing(path, doc, keys, where="top level"):
    return [f"{path}: no '{k}' at the {where}" for k in keys if k not in doc]


def check_github(path):
    problems = []
    doc = load_yaml(path, problems)
    if doc is None:
        return problems
    # YAML 1.1 (PyYAML) reads the key `on` as the boolean true.
    if True in doc:
        doc["on"] = doc.pop(True)
    problems += missing(path, doc, ("name", "on", "permissions", "jobs"))
    on = doc.get("on") or {}
    problems += missing(path, on if isinstance(on, dict) else {}, ("pull_request", "push"), "'on' key")
    jobs = doc.get("jobs") or {}
    problems += missing(path, jobs, ("plan", "apply"), "'jobs' key")
    for name in ("plan", "apply"):
        job = jobs.get(name) or {}
        if (job.get("permissions") or {}).get("id-token") != "write":
            problems.append(f"{path}: job {name} lacks 'permissions: id-token: write' (no OIDC token without it)")
        if not any("run" in step for step in job.get("steps") or []):
            problems.append(f"{path}: job {name} has no run step")
    return problems


def check_gitlab(path):
    problems = []
    doc = load_yaml(path, problems)
    if doc is None:
        return problems
    problems += missing(path, doc, ("stages", "polyfence-plan", "polyfence-apply"))
    for name in ("polyfence-plan", "polyfence-apply"):
        job = doc.get(name) or {}
        if job.get("stage") not in (doc.get("stages") or []):
            problems.append(f"{path}: job {name} has a stage that is not in 'stages'")
        token = ((job.get("id_tokens") or {}).get("POLYFENCE_TOKEN") or {})
        if token.get("aud") != "polyfence":
            problems.append(f"{path}: job {name} lacks 'id_tokens: POLYFENCE_TOKEN: aud: polyfence'")
        if not job.get("script"):
            problems.append(f"{path}: job {name} has no script")
    return problems


def check_claims(path):
    problems = []
    doc = load_yaml(path, problems)
    if doc is None:
        return problems
    issuers = (((doc.get("polyfence") or {}).get("security") or {}).get("jwt") or {}).get("issuers")
    if not isinstance(issuers, list) or not issuers:
        return [f"{path}: no polyfence.security.jwt.issuers list"]
    for i, issuer in enumerate(issuers):
        if not str(issuer.get("issuer", "")).startswith("https://") or not issuer.get("audience"):
            problems.append(f"{path}: issuers[{i}] needs an https issuer and an audience")
        rules = issuer.get("rules") or []
        if not rules:
            problems.append(f"{path}: issuers[{i}] has no rules")
        for j, rule in enumerate(rules):
            if not isinstance(rule.get("claims"), dict) or not rule["claims"]:
                problems.append(f"{path}: issuers[{i}].rules[{j}] has no claims")
            rights = rule.get("rights") or []
            if not rights or not set(rights) <= RIGHTS:
                problems.append(f"{path}: issuers[{i}].rules[{j}] rights must be from {sorted(RIGHTS)}, not {rights}")
    return problems


def normalize(path):
    """/v1/plans/$plan_id/apply and /v1/plans/{id}/apply both become /v1/plans/{}/apply."""
    segments = path.split("?")[0].rstrip("/.").split("/")
    return "/".join("{}" if ("$" in s or "{" in s) else s for s in segments)


def check_endpoints(pipeline_files, openapi):
    problems = []
    with open(openapi, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    known = {normalize(p) for p in spec.get("paths", {})}
    for path in pipeline_files:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        called = {normalize(m.group(0)) for text in strings(doc) for m in API_PATH.finditer(text)}
        if not called:
            problems.append(f"{path}: calls no /v1/ path at all")
        for p in sorted(called - known):
            problems.append(f"{path}: calls {p}, which is not a path of {openapi}")
        log(f"{path} calls {', '.join(sorted(called))}")
    return problems


def check_pipelines(root, openapi):
    github = root / "github" / "polyfence.yml"
    gitlab = root / "gitlab" / ".gitlab-ci.yml"
    problems = check_github(github) + check_gitlab(gitlab)
    problems += check_claims(root / "github" / "polyfence-claims.yaml")
    problems += check_claims(root / "gitlab" / "polyfence-claims.yaml")
    if not problems:
        problems += check_endpoints([github, gitlab], openapi)
    return problems


def check_repository(repo):
    return (check_terraform(repo / "terraform-examples")
            + check_pipelines(repo / "examples" / "pipelines", repo / "openapi.yaml"))


# --- self-test ---------------------------------------------------------------------------------

GOOD_MODULE = {
    "versions.tf": 'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n'
                   '      version = "~> 6.0"\n    }\n  }\n}\n',
    "variables.tf": 'variable "name" {\n  type        = string\n  description = "A name."\n'
                    '  validation {\n    condition     = length(var.name) > 0\n'
                    '    error_message = "name must be set."\n  }\n}\n',
    "main.tf": 'locals {\n  tags = { Name = var.name }\n}\n\nresource "aws_security_group" "x" {\n'
               '  name = "${var.name}-sg"\n  tags = local.tags\n}\n',
    "outputs.tf": 'output "id" {\n  description = "The id."\n  value       = aws_security_group.x.id\n}\n',
    "README.md": "# test module\n",
}

GOOD_GITHUB = """name: polyfence
on:
  pull_request: {}
  push: {branches: [main]}
permissions: {}
jobs:
  plan:
    permissions: {id-token: write}
    steps:
      - run: curl -X POST "$POLYFENCE_URL/v1/plans"
  apply:
    permissions: {id-token: write}
    steps:
      - run: curl -X POST "$POLYFENCE_URL/v1/plans/$plan_id/apply"
"""

GOOD_GITLAB = """stages: [plan, apply]
polyfence-plan:
  stage: plan
  id_tokens: {POLYFENCE_TOKEN: {aud: polyfence}}
  script: ['curl "$POLYFENCE_URL/v1/plans/$plan_id" -H "Accept: text/markdown"']
polyfence-apply:
  stage: apply
  id_tokens: {POLYFENCE_TOKEN: {aud: polyfence}}
  script: ['curl -X POST "$POLYFENCE_URL/v1/plans/$plan_id/apply"']
"""

GOOD_CLAIMS = """polyfence:
  security:
    jwt:
      issuers:
        - issuer: https://gitlab.com
          audience: polyfence
          rules:
            - claims: {"[project_path]": acme/network}
              rights: [plan]
"""

OPENAPI = """openapi: 3.1.0
paths:
  /v1/plans: {}
  /v1/plans/{id}: {}
  /v1/plans/{id}/apply: {}
"""


def write(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def make_repo(root, module=None, github=GOOD_GITHUB, gitlab=GOOD_GITLAB, claims=GOOD_CLAIMS, drop=()):
    files = {f"terraform-examples/aws/{k}": v for k, v in (module or GOOD_MODULE).items() if k not in drop}
    files.update({
        "examples/pipelines/github/polyfence.yml": github,
        "examples/pipelines/github/polyfence-claims.yaml": claims,
        "examples/pipelines/gitlab/.gitlab-ci.yml": gitlab,
        "examples/pipelines/gitlab/polyfence-claims.yaml": claims,
        "openapi.yaml": OPENAPI,
    })
    write(root, files)
    return root


def with_file(name, text):
    return {**GOOD_MODULE, name: text}


# Each case: a broken repository and a piece of the message that must name what is wrong.
SELF_TEST_CASES = [
    ("HCL syntax error", dict(module=with_file("main.tf", 'resource "aws_security_group" "x" {\n  name = \n}\n')),
     "main.tf: does not parse as HCL"),
    ("undeclared variable", dict(module=with_file("outputs.tf", 'output "id" {\n  value = var.nme\n}\n')),
     "var.nme is used but no variable"),
    ("unused variable", dict(module=with_file("variables.tf", GOOD_MODULE["variables.tf"]
                                              + 'variable "unused" {\n  type = string\n  description = "x"\n}\n')),
     'variable "unused" is declared but never used'),
    ("variable without description", dict(module=with_file("variables.tf", GOOD_MODULE["variables.tf"].replace(
        '  description = "A name."\n', ''))), 'variable "name" has no description'),
    ("output without description", dict(module=with_file("outputs.tf", 'output "id" {\n  value = var.name\n}\n')),
     'output "id" has no description'),
    ("undeclared local", dict(module=with_file("outputs.tf", 'output "id" {\n  value = local.nope\n}\n')),
     "local.nope is used but not declared"),
    ("unpinned provider", dict(module=with_file("versions.tf", GOOD_MODULE["versions.tf"].replace("~> 6.0", ">= 5"))),
     "provider aws is not pinned"),
    ("missing outputs.tf", dict(drop=("outputs.tf",)), "missing outputs.tf"),
    ("missing README.md", dict(drop=("README.md",)), "missing README.md"),
    ("workflow not YAML", dict(github="name: [unclosed\n"), "polyfence.yml: does not parse as YAML"),
    ("workflow without apply job", dict(github=GOOD_GITHUB.split("  apply:")[0]), "no 'apply' at the 'jobs' key"),
    ("GitLab job without id_tokens", dict(gitlab=GOOD_GITLAB.replace("aud: polyfence", "aud: other")),
     "lacks 'id_tokens: POLYFENCE_TOKEN: aud: polyfence'"),
    ("claims with an unknown right", dict(claims=GOOD_CLAIMS.replace("[plan]", "[admin]")), "rights must be from"),
    ("unknown endpoint", dict(gitlab=GOOD_GITLAB.replace("/v1/plans/$plan_id/apply", "/v1/plan/$plan_id/apply")),
     "calls /v1/plan/{}/apply, which is not a path"),
]


def self_test():
    global QUIET
    QUIET = True
    failures = []
    with tempfile.TemporaryDirectory(prefix="check-examples-") as tmp:
        good = check_repository(make_repo(pathlib.Path(tmp) / "good"))
        if good:
            failures.append(f"the good example was refused: {good}")
        for i, (name, broken, expected) in enumerate(SELF_TEST_CASES):
            problems = check_repository(make_repo(pathlib.Path(tmp) / f"case-{i}", **broken))
            if not any(expected in p for p in problems):
                failures.append(f"{name}: expected a problem containing {expected!r}, got {problems}")
    for f in failures:
        print(f"check-examples: SELF-TEST FAILED: {f}", file=sys.stderr)
    print(f"check-examples: self-test {'failed' if failures else 'passed'} "
          f"({len(SELF_TEST_CASES) + 1 - len(failures)} of {len(SELF_TEST_CASES) + 1} cases)")
    return not failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=pathlib.Path, default=pathlib.Path(__file__).resolve().parent.parent)
    parser.add_argument("--self-test", action="store_true", help="check that broken examples are caught")
    args = parser.parse_args()
    if args.self_test:
        return 0 if self_test() else 1
    problems = check_repository(args.repo)
    for p in problems:
        print(f"check-examples: ERROR {p}", file=sys.stderr)
    if problems:
        print(f"check-examples: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print("check-examples: all Terraform and pipeline examples are fine")
    return 0


if __name__ == "__main__":
    sys.exit(main())
