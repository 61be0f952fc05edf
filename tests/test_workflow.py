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
    commands = [c for c in runs if c.startswith(".venv/bin/python ")]
    assert commands == [
        ".venv/bin/python build.py check",
        ".venv/bin/python build.py build --out site",
        ".venv/bin/python -m pytest -q tests/test_links.py",
        ".venv/bin/python build.py archive",
    ]
    assert [c for c in commands if c not in documented] == []
    # The same locked versions as the README's set-up (scripts/setup --test).
    install = next(r for r in runs if "pip install" in r)
    assert re.search(r"pip install -q --require-hashes -r requirements/test\.txt", install)
    setup = (ROOT / "scripts/setup").read_text(encoding="utf-8")
    assert "--require-hashes" in setup and "requirements/test.txt" in setup
    npm = "npm ci --no-audit --no-fund --loglevel=error"
    assert npm in install and npm in setup


def test_the_readme_opens_with_the_two_commands_and_each_names_what_exists():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [line.strip() for line in readme.split("## Commands")[0].splitlines() if line.startswith("    ")]
    assert commands == ["bash scripts/setup && .venv/bin/python build.py", "bash .ci/run"]
    assert (ROOT / "scripts/setup").is_file() and (ROOT / ".ci/run").is_file()
    assert "scripts/setup --test" in (ROOT / ".ci/run").read_text(encoding="utf-8")
    # No command in the README or CONTRIBUTING needs an activated environment or a `python` command.
    for name in ("README.md", "CONTRIBUTING.md"):
        text = (ROOT / name).read_text(encoding="utf-8")
        bare = re.findall(r"(?m)(?:^ {4}|`)(python|pytest|pybabel|ruff) ", text)
        assert bare == [], f"{name}: {bare}"


def test_every_locked_package_is_pinned_with_hashes():
    for lock in ("requirements/build.txt", "requirements/test.txt"):
        text = (ROOT / lock).read_text(encoding="utf-8")
        pins = re.findall(r"(?m)^([A-Za-z0-9_.-]+)==([^ ;\\]+)", text)
        assert len(pins) >= 6, lock
        entries = re.split(r"(?m)^(?=[A-Za-z0-9_.-]+==)", text)[1:]
        assert all("--hash=sha256:" in entry for entry in entries), lock
    runtime = dict(re.findall(r"(?m)^([A-Za-z0-9_.-]+)==([^ ;\\]+)", (ROOT / "requirements/build.txt").read_text()))
    tested = dict(re.findall(r"(?m)^([A-Za-z0-9_.-]+)==([^ ;\\]+)", (ROOT / "requirements/test.txt").read_text()))
    # The tests run on the very versions the build installs.
    assert {name: tested.get(name) for name in runtime} == runtime


def test_every_package_of_the_code_is_installed():
    """A folder of uprsite/ left out of pyproject's package list would be missing from an install."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {
        init.parent.relative_to(ROOT).as_posix().replace("/", ".") for init in (ROOT / "uprsite").rglob("__init__.py")
    }
    assert found == listed
