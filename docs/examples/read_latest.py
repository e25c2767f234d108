"""Read Scoreline's published predictions the safe way (docs/output-contract.md "Reading latest safely").

1. GET latest/manifest.json, with the ETag of the last one: unchanged (304) means the cached predictions stand.
2. GET the immutable snapshot the manifest names (never half-replaced), check its sha256 and count.
3. Keep the predictions by id, with the manifest's ETag for the next poll.

    python docs/examples/read_latest.py docs/examples/fixture-store          # a file store
    python docs/examples/read_latest.py s3://bucket/prefix                   # S3 (boto3, the AWS default chain)
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path


class NotModified(Exception):
    """The object still has the ETag the reader holds."""


class FileStore:
    def __init__(self, root: str):
        self.root = Path(root.removeprefix("file://"))

    def get(self, key: str, if_none_match: str | None = None) -> tuple[bytes, str]:
        data = (self.root / key).read_bytes()
        etag = hashlib.sha256(data).hexdigest()  # a directory has no ETags: the content's hash serves
        if etag == if_none_match:
            raise NotModified(key)
        return data, etag


class S3Store:
    def __init__(self, uri: str):
        import boto3  # only S3 readers need it

        bucket, _, prefix = uri.removeprefix("s3://").partition("/")
        self.bucket, self.prefix, self.s3 = bucket, prefix.strip("/"), boto3.client("s3")

    def get(self, key: str, if_none_match: str | None = None) -> tuple[bytes, str]:
        from botocore.exceptions import ClientError

        args = {"Bucket": self.bucket, "Key": f"{self.prefix}/{key}" if self.prefix else key}
        if if_none_match:
            args["IfNoneMatch"] = if_none_match
        try:
            response = self.s3.get_object(**args)
        except ClientError as e:
            if e.response.get("Error", {}).get("Code") in ("304", "NotModified"):
                raise NotModified(key) from None
            raise
        return response["Body"].read(), response["ETag"]


class ContractBroken(Exception):
    """What the store holds does not match latest/manifest.json: do not serve it."""


@dataclass
class LatestPredictions:
    store: FileStore | S3Store
    manifest: dict | None = None
    predictions: dict[str, dict] = field(default_factory=dict)
    etag: str | None = None

    def refresh(self) -> bool:
        """Reads latest/ if it changed since the last call; returns whether it did."""
        try:
            raw, etag = self.store.get("latest/manifest.json", self.etag)
        except NotModified:
            return False
        manifest = json.loads(raw)
        if manifest.get("schema_version") != 1:
            raise ContractBroken(f"schema_version {manifest.get('schema_version')}: this reader knows 1")
        snapshot, _ = self.store.get(manifest["snapshot"])  # immutable: always matches the manifest
        if hashlib.sha256(snapshot).hexdigest() != manifest["sha256"]:
            raise ContractBroken(f"{manifest['snapshot']} does not match the manifest's sha256")
        records = [json.loads(line) for line in gzip.decompress(snapshot).splitlines() if line]
        if len(records) != manifest["count"]:
            raise ContractBroken(f"{len(records)} records, the manifest says {manifest['count']}")
        self.manifest, self.predictions, self.etag = manifest, {r["id"]: r for r in records}, etag
        return True


def open_store(uri: str) -> FileStore | S3Store:
    return S3Store(uri) if uri.startswith("s3://") else FileStore(uri)


if __name__ == "__main__":
    latest = LatestPredictions(open_store(sys.argv[1]))
    latest.refresh()
    m = latest.manifest
    stale = f", STALE: {m.get('stale_reason')}" if m.get("stale") else ""
    print(f"run {m['run_id']}: {len(latest.predictions)} predictions by {m['model']}/{m['model_version']},"
          f" published {m['published_at']}{stale}")
