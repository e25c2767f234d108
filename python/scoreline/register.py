"""scoreline.register: convert, prove parity, describe, upload."""

import hashlib
import json
import re
from datetime import datetime, timezone
from importlib import resources

from . import parity
from .convert import convert, precisions
from .errors import ParityError, ScorelineError
from .features import check_trained_columns, describe
from .store import open_store

NAME = re.compile(r"[A-Za-z0-9._-]{1,100}")


def register(
    model,
    *,
    name,
    features,
    store,
    sample,
    alias=None,
    version=None,
    target=None,
    tolerance=1e-5,
    endpoint_url=None,
    region=None,
    path_style=None,
):
    """Register a fitted model in a Scoreline store as ONNX; returns the model.json written.

    model:     a fitted scikit-learn estimator or Pipeline, XGBoost or LightGBM model (sklearn API)
    features:  the model's input columns in training order: names, or dicts {"name", "type", "default", "levels"}
    store:     "s3://bucket/prefix", "file:///dir" or a directory path
    sample:    rows (DataFrame or 2-D array, as given to the model) on which the ONNX model must match the original
    alias:     e.g. "production": point that alias at this version (default: do not move any alias)
    version:   default: the UTC time, yyyyMMdd-HHmmss (as predict.jar register names versions)
    tolerance: largest absolute difference allowed between the original's and the ONNX model's outputs
    endpoint_url, region, path_style: S3 settings (credentials come from the usual AWS environment / profile)
    """
    created = datetime.now(timezone.utc).replace(microsecond=0)
    version = version or created.strftime("%Y%m%d-%H%M%S")
    for what, value in (("name", name), ("version", version), ("alias", alias)):
        if value is not None and (not isinstance(value, str) or not NAME.fullmatch(value) or value.startswith(".")):
            raise ScorelineError(
                f"{what} '{value}' is not allowed: use 1-100 letters, digits, '.', '_' or '-', not starting with '.'"
            )
    if sample is None or len(sample) == 0:
        raise ScorelineError(
            "sample is empty: pass some rows the model was trained or tested on, to check the conversion"
        )
    if not isinstance(tolerance, (int, float)) or tolerance < 0:
        raise ScorelineError(f"tolerance {tolerance!r} is not a number >= 0")
    target_store = open_store(store, endpoint_url, region, path_style)

    _check_fitted(model)
    spec_features = describe(features, sample)
    check_trained_columns(model, spec_features)
    converted, checked = _convert_with_parity(model, spec_features, sample, tolerance)
    spec = model_json(name, version, created, converted, spec_features, target, checked)

    prefix = f"models/{name}/{version}/"
    if target_store.exists(prefix + "model.json"):
        raise ScorelineError(
            f"model {name} version {version} already exists in {target_store}; versions are immutable, pass another version"
        )
    target_store.put(prefix + "model.onnx", converted.bytes)
    target_store.put(prefix + "model.json", _json(spec), overwrite=False)
    if alias:
        target_store.put(f"models/{name}/aliases/{alias}.json", _json({"version": version}))
    return spec


def _check_fitted(model):
    """An unfitted model fails deep in a converter, in its words; say it in the user's."""
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    try:
        check_is_fitted(model)
    except NotFittedError:
        raise ScorelineError(
            f"the {type(model).__name__} is not fitted: call fit(X, y) before registering it"
        ) from None
    except TypeError:  # not an estimator at all: convert() says what it is
        pass


def _convert_with_parity(model, features, sample, tolerance):
    """The first input precision whose conversion gives the original model's answers on the sample."""
    refusals = []
    for elem in precisions(model):
        try:
            converted = convert(model, features, elem)
            return converted, parity.check(model, converted, features, sample, tolerance)
        except ScorelineError as e:
            refusals.append(e)
    # a conversion that ran but disagrees says more than one that could not be built
    raise next((e for e in refusals if isinstance(e, ParityError)), refusals[0])


def model_json(name, version, created, converted, features, target, checked):
    """model.json as docs/model.schema.json describes it (validated when the schema ships with the package)."""
    import onnxruntime

    spec = {
        "schema_version": 1,
        "name": name,
        "version": version,
        "format": "onnx",
        "file": "model.onnx",
        "sha256": hashlib.sha256(converted.bytes).hexdigest(),
        "size": len(converted.bytes),
        "task": converted.task,
        "algorithm": converted.algorithm,
        "features": features,
    }
    if target is not None:
        spec["target"] = target
    if converted.classes is not None:
        spec["classes"] = converted.classes
    spec["created_at"] = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    spec["training"] = {**converted.training, "onnxruntime_version": onnxruntime.__version__, "parity": checked}
    spec["onnx"] = {"inputs": converted.inputs, "outputs": converted.outputs}
    validate(spec)
    return spec


def validate(spec):
    schema = schema_text()
    if schema is None:
        return
    import jsonschema

    try:
        jsonschema.validate(spec, json.loads(schema))
    except jsonschema.ValidationError as e:
        where = "/".join(str(p) for p in e.absolute_path) or "the top level"
        raise ScorelineError(f"model.json would be invalid at {where}: {e.message}") from None


def schema_text():
    """docs/model.schema.json, which the package carries as scoreline/model.schema.json."""
    resource = resources.files("scoreline").joinpath("model.schema.json")
    return resource.read_text() if resource.is_file() else None


def _json(value):
    return (json.dumps(value, indent=2) + "\n").encode()
