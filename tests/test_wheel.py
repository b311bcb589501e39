"""A wheel built from the checkout carries what kg reads at run time: installed alone in a fresh
environment outside the checkout, every command works (issue 12).

The wheel is built offline (no build isolation: the test extra installs setuptools) from a copy of
the checkout's files, so that the build's ``build/`` and ``kg.egg-info/`` stay out of the checkout.
The fresh environment gets kg from the wheel only. Its dependencies come from this environment's
site folders, named by a .pth file written after the wheel is installed (before, pip would see the
editable kg there and skip the wheel). Those folders hold no importable kg: the editable install is
a finder that a .pth file starts, and .pth files are read only in an environment's own site folders.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import site
import subprocess
import sys
import zipfile
from importlib.metadata import version
from pathlib import Path
from urllib.parse import quote

import pytest

from kg.resources import QUERIES_DIR, ROOT, SAMPLE_DIR

ISPI_PAGE = SAMPLE_DIR / "web" / "ispi-china-space-cooperation.txt"
# Where each folder of the checkout lands in the wheel (pyproject.toml's package-dir).
WHEEL_FOLDERS = {"kg/": "kg/", "ontology/": "kg/ontology/", "queries/": "kg/queries/"}
GRAPH = "https://w3id.org/irkg/graph/"
SHOW_PATHS = """import json, kg, kg.resources as r
print(json.dumps([kg.__file__, str(r.ONTOLOGY_FILE), str(r.SHAPES_FILE), str(r.ENTITY_DATA_DIR / "countries.json"),
                  str(r.QUERIES_DIR / "partners-of.rq")]))"""
TRIPLES_BY_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def _checkout_files() -> list[str]:
    """The checkout's files as a clone has them, with those not committed yet."""
    listing = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             capture_output=True, text=True, check=True).stdout
    return [name for name in listing.split("\0") if name and (ROOT / name).is_file()]


def _clean_environ() -> dict[str, str]:
    """The environment without what could put the checkout on the path or pick another store."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "KG_"))} | {
        "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=_clean_environ(), capture_output=True, text=True,
                          timeout=300, check=False)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel pip builds from a copy of the checkout, with this environment's setuptools."""
    assert int(version("setuptools").split(".")[0]) >= 77, "setuptools is too old to build kg: pip install -e '.[test]'"
    source = tmp_path_factory.mktemp("source")
    for name in _checkout_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    dist = tmp_path_factory.mktemp("dist")
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "--quiet",
                 "--wheel-dir", dist, source, cwd=dist)
    assert built.returncode == 0, built.stderr
    (path,) = dist.glob("kg-*.whl")
    return path


@pytest.fixture(scope="module")
def env(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment outside the checkout with kg installed from the wheel."""
    env = tmp_path_factory.mktemp("env")
    made = _run(sys.executable, "-m", "venv", "--without-pip", env, cwd=env)
    assert made.returncode == 0, made.stderr
    python = env / "bin" / "python"
    installed = _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "--quiet",
                     wheel, cwd=env)
    assert installed.returncode == 0, installed.stderr
    purelib = _run(python, "-I", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=env)
    (Path(purelib.stdout.strip()) / "kg-dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return env


def test_the_wheel_holds_the_package_ontology_and_queries_and_nothing_else(wheel: Path) -> None:
    expected = {target + name.removeprefix(folder) for name in _checkout_files()
                for folder, target in WHEEL_FOLDERS.items() if name.startswith(folder)}
    names = set(zipfile.ZipFile(wheel).namelist())
    assert not expected - names, (f"missing from the wheel: {sorted(expected - names)}; list new packages and data "
                                  "in pyproject.toml's [tool.setuptools]")
    assert "kg/ontology/kg.ttl" in names and "kg/queries/partners-of.rq" in names
    # The bundled sample, the tests and the gold standards stay in the checkout.
    assert {top for top in {name.split("/")[0] for name in names} if not top.endswith(".dist-info")} == {"kg"}


def test_kg_and_its_data_are_imported_from_the_fresh_environment(env: Path, tmp_path: Path) -> None:
    shown = _run(env / "bin" / "python", "-I", "-c", SHOW_PATHS, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    for path in map(Path, json.loads(shown.stdout)):
        assert path.is_relative_to(env) and path.is_file(), path


def test_every_command_works_from_the_wheel(env: Path, tmp_path: Path) -> None:
    kg = env / "bin" / "kg"
    shutil.copy(ISPI_PAGE, tmp_path)

    built = _run(kg, "build", ISPI_PAGE.name, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert "built 5 documents" in built.stdout and "Country" in built.stdout
    assert (tmp_path / "exports" / "graph.trig").stat().st_size > 0

    listed = _run(kg, "query", "--list", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert all(saved.stem in listed.stdout for saved in QUERIES_DIR.glob("*.rq"))

    partners = _run(kg, "query", "partners-of", "--param", "entity=China", "--format", "csv", cwd=tmp_path)
    assert partners.returncode == 0, partners.stderr
    rows = list(csv.DictReader(partners.stdout.splitlines()))
    assert any(row["partner"] == "Russia" and row["predicate"].endswith("#partnerOf") for row in rows)

    drawn = _run(kg, "viz", "--focus", "China", "--out", "china.html", cwd=tmp_path)
    assert drawn.returncode == 0, drawn.stderr
    assert "China" in (tmp_path / "china.html").read_text(encoding="utf-8")

    answered = _run(kg, "serve", "--get", "/sparql?query=" + quote(TRIPLES_BY_GRAPH), cwd=tmp_path)
    assert answered.returncode == 0, answered.stderr
    triples = {row["g"]["value"]: int(row["n"]["value"]) for row in json.loads(answered.stdout)["results"]["bindings"]}
    assert triples[GRAPH + "ontology"] > 0 and triples[GRAPH + "kb"] > 0
    assert sum(graph.startswith(GRAPH + "doc/") for graph in triples) == 5

    validated = _run(kg, "validate", cwd=tmp_path)
    assert validated.returncode == 0, validated.stderr
    assert "no violations" in validated.stdout
