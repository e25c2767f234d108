"""The reader example against the fixture store (the contract's JSON, pinned) and its failure cases."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from read_latest import ContractBroken, FileStore, LatestPredictions  # noqa: E402


@pytest.fixture
def store(tmp_path) -> Path:
    return Path(shutil.copytree(HERE / "fixture-store", tmp_path / "store"))


def test_reads_the_snapshot_and_polls_by_etag(store):
    latest = LatestPredictions(FileStore(str(store)))
    assert latest.refresh() is True
    assert latest.manifest["model_version"] == "v1"
    assert latest.predictions["cust-00000042"]["probabilities"] == {"no": 0.31, "yes": 0.69}
    assert sorted(latest.predictions) == ["cust-00000041", "cust-00000042", "cust-00000043"]
    assert latest.refresh() is False  # unchanged manifest: nothing downloaded again


def test_a_snapshot_that_does_not_match_is_never_served(store):
    manifest = json.loads((store / "latest/manifest.json").read_text())
    (store / manifest["snapshot"]).write_bytes(b"not the snapshot")
    latest = LatestPredictions(FileStore(str(store)))
    with pytest.raises(ContractBroken, match="sha256"):
        latest.refresh()
    assert latest.predictions == {}


def test_an_unknown_schema_version_is_refused(store):
    path = store / "latest/manifest.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), "schema_version": 2}))
    with pytest.raises(ContractBroken, match="schema_version 2"):
        LatestPredictions(FileStore(str(store))).refresh()
