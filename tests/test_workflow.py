"""The pull-request workflow runs the commands the README documents, and only those.

GitHub Actions cannot run here; what can be checked is that the workflow is
well-formed, triggers on the folders editors change, and that each of its
commands is written, word for word, in the README.
"""

import re

import yaml

from .conftest import ROOT

WORKFLOW = ROOT / ".github/workflows/content.yml"


def test_workflow_runs_on_content_pull_requests_and_attaches_site_and_archive():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow[True]  # PyYAML reads the key `on` as the boolean true (YAML 1.1)
    assert set(triggers) == {"pull_request"}
    assert {"content/**", "schemas/**", "templates/**", "i18n/**"} <= set(triggers["pull_request"]["paths"])
    steps = workflow["jobs"]["check-build-archive"]["steps"]
    uses = [s["uses"].split("@")[0] for s in steps if "uses" in s]
    assert uses[:3] == ["actions/checkout", "actions/setup-python", "actions/setup-node"]
    assert steps[1]["with"]["python-version"] == "3.11"
    uploads = [s["with"]["path"] for s in steps if s.get("uses", "").startswith("actions/upload-artifact")]
    assert uploads == ["site/", "dist/*.zip"]


def test_every_command_of_the_workflow_is_documented_in_the_readme():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = {line.strip() for line in readme.splitlines() if line.startswith("    ")}
    runs = [s["run"].strip() for s in workflow["jobs"]["check-build-archive"]["steps"] if "run" in s]
    commands = [c for c in runs if c.startswith(("python build.py", "python -m pytest"))]
    assert commands == [
        "python build.py check",
        "python build.py build --out site",
        "python -m pytest -q tests -k link",
        "python build.py archive",
    ]
    assert [c for c in commands if c not in documented] == []
    install = next(r for r in runs if "pip install" in r)
    assert re.search(r"pip install -q -e '\.\[test\]'", install)  # as .ci/run installs
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    assert ".venv/bin/pip install -q -e '.[test]'" in ci
    npm = "npm ci --no-audit --no-fund --loglevel=error"
    assert npm in install and npm in ci
