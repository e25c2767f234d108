"""The model store: s3://bucket/prefix or a local directory (file:///dir or a path), with the Java jobs' layout."""

import os
import re
import tempfile
from urllib.parse import urlparse

from .errors import StoreError


def open_store(store, endpoint_url=None, region=None, path_style=None):
    if not isinstance(store, (str, os.PathLike)) or not str(store):
        raise StoreError("store must be s3://bucket/prefix, file:///dir or a directory path")
    text = str(store)
    if text.startswith("s3://"):
        url = urlparse(text)
        if not url.netloc:
            raise StoreError(f"store '{text}' names no bucket; use s3://bucket/prefix")
        return S3Store(url.netloc, url.path.strip("/"), endpoint_url, region, path_style)
    if text.startswith("file://"):
        return LocalStore(urlparse(text).path)
    if "://" in text:
        raise StoreError(f"store '{text}' is neither s3://bucket/prefix nor file:///dir")
    if re.match(r"(?i)(s3|https?):(?!//)", text):  # s3:/bucket/p would quietly become a local folder named 's3:'
        raise StoreError(f"store '{text}' is not a URL: a scheme is followed by '://' (s3://bucket/prefix)")
    return LocalStore(text)


class LocalStore:
    """A directory; every file appears whole (temporary file, fsync, rename), like the Java file store."""

    def __init__(self, root):
        self.root = os.path.abspath(root)

    def __str__(self):
        return "file://" + self.root

    def exists(self, key):
        return os.path.exists(self._path(key))

    def put(self, key, data, overwrite=True):
        path = self._path(key)
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix="." + os.path.basename(path) + ".")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
                if overwrite:
                    os.replace(tmp, path)
                else:
                    os.link(tmp, path)  # fails if the name exists: create-if-absent, atomically
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        except FileExistsError:
            raise StoreError(f"{self}/{key} already exists") from None
        except OSError as e:
            raise StoreError(f"cannot write {self}/{key}: {e.strerror or e}") from None

    def _path(self, key):
        return os.path.join(self.root, *key.split("/"))


class S3Store:
    """A bucket and prefix; each object is one PUT, so readers see it whole or not at all."""

    def __init__(self, bucket, prefix, endpoint_url, region, path_style):
        import boto3
        from botocore.config import Config

        self.bucket, self.prefix = bucket, prefix
        style = "path" if (path_style if path_style is not None else endpoint_url is not None) else "auto"
        try:
            self.client = boto3.client(
                "s3",
                endpoint_url=endpoint_url,
                region_name=region,
                config=Config(s3={"addressing_style": style}, retries={"mode": "standard"}),
            )
        except ValueError as e:  # boto3's "Invalid endpoint: host:9000", a region with a space...
            raise StoreError(
                f"cannot use S3 with endpoint_url={endpoint_url!r}, region={region!r}: {e}; an endpoint"
                " is http(s)://host[:port]"
            ) from None

    def __str__(self):
        return f"s3://{self.bucket}/{self.prefix}".rstrip("/")

    def exists(self, key):
        from botocore.exceptions import ClientError

        try:
            self._call("read", key, self.client.head_object, Bucket=self.bucket, Key=self._key(key))
            return True
        except ClientError as e:
            if e.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise StoreError(f"cannot read {self}/{key}: {_message(e)}") from None

    def put(self, key, data, overwrite=True):
        if not overwrite and self.exists(key):
            raise StoreError(f"{self}/{key} already exists")
        self._call("write", key, self.client.put_object, Bucket=self.bucket, Key=self._key(key), Body=data)

    def _key(self, key):
        return f"{self.prefix}/{key}" if self.prefix else key

    def _call(self, verb, key, method, **kwargs):
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return method(**kwargs)
        except ClientError as e:
            if verb == "read":
                raise
            raise StoreError(f"cannot {verb} {self}/{key}: {_message(e)}") from None
        except BotoCoreError as e:
            raise StoreError(f"cannot {verb} {self}/{key}: {e}") from None


REFUSED = {"403", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken"}


def _message(e):
    error = e.response.get("Error", {})
    if error.get("Code") in REFUSED:  # an answer to HEAD has no body: "Forbidden" alone says nothing to act on
        return (
            f"S3 refused the request ({error['Code']}): check the AWS credentials (AWS_ACCESS_KEY_ID and"
            " AWS_SECRET_ACCESS_KEY, AWS_PROFILE or the role) and their permissions on the bucket"
        )
    return error.get("Message") or error.get("Code") or str(e)
