"""The Dask engine: a local cluster of worker processes gives the graphs `kg build` gives."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import build_store
from kg.engines import Dask, engine
from kg.errors import KgError
from kg.resources import SAMPLE_DIR

pytest.importorskip("distributed")


def quads(store_path: Path) -> list[str]:
    store = ox.Store.read_only(str(store_path))
    return sorted(str(q) for q in store.quads_for_pattern(None, None, None, None))


def test_a_dask_cluster_of_worker_processes_gives_the_same_graphs_as_a_local_build(tmp_path: Path) -> None:
    bad = tmp_path / "inputs" / "bad"
    bad.mkdir(parents=True)
    (bad / "empty.txt").write_text("", encoding="utf-8")
    (bad / "broken.jsonl").write_text('{"id": "x", "text": "China"}\n{not json\n', encoding="utf-8")
    inputs = [SAMPLE_DIR, bad]
    local, local_store = build_store(inputs, tmp_path / "local", workers=2)
    local_store.close()
    distributed, dask_store = build_store(inputs, tmp_path / "dask", engine=Dask(workers=2))
    dask_store.close()
    assert distributed.documents == local.documents == 18
    assert distributed.failed == local.failed and len(local.failed) == 2
    assert quads(tmp_path / "dask") == quads(tmp_path / "local")


def test_the_graph_names_files_the_same_from_any_working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_store([SAMPLE_DIR / "ungd"], tmp_path / "absolute", workers=1)[1].close()
    monkeypatch.chdir(SAMPLE_DIR)
    build_store(["ungd"], tmp_path / "relative", workers=1)[1].close()
    assert quads(tmp_path / "absolute") == quads(tmp_path / "relative")


def test_an_unreachable_scheduler_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(KgError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        build_store([SAMPLE_DIR / "ungd"], tmp_path / "store", engine=Dask("tcp://127.0.0.1:9"))
    assert not (tmp_path / "store").exists() and not (tmp_path / "store.partial").exists()


def test_a_scheduler_without_the_dask_engine_is_a_usage_error() -> None:
    with pytest.raises(KgError, match="--engine dask"):
        engine("local", scheduler="tcp://127.0.0.1:8786")


def test_the_library_example_gives_the_graphs_kg_build_gives(tmp_path: Path) -> None:
    """docs/library.md's example, run as written (from a checkout's root), against kg build."""
    import re
    import shutil
    import subprocess
    import sys

    text = (Path(__file__).parent.parent / "docs" / "library.md").read_text(encoding="utf-8")
    [example] = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    shutil.copytree(SAMPLE_DIR, tmp_path / "examples" / "sample")
    (tmp_path / "example.py").write_text(example, encoding="utf-8")
    result = subprocess.run([sys.executable, "example.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "17 documents []"
    build_store([tmp_path / "examples" / "sample"], tmp_path / "built", workers=1)[1].close()
    assert quads(tmp_path / ".kg" / "library-store") == quads(tmp_path / "built")
