"""The model's features as model.json declares them, and the sample's columns in that order."""
import numpy as np

from .errors import ScorelineError

TYPES = ("number", "boolean", "category")


def describe(features, sample):
    """Normalise `features` (names, or dicts as in model.json) into model.json's feature list.

    A name alone takes its type from the sample column: booleans are `boolean`, numbers `number`, anything else
    `category` with the levels seen in the sample (pass a dict with "levels" to declare levels the sample lacks).
    """
    if not features:
        raise ScorelineError("features is empty: list the model's input columns in training order")
    out = []
    for i, f in enumerate(features):
        spec = {"name": f} if isinstance(f, str) else dict(f)
        name = spec.get("name")
        if not isinstance(name, str) or not name:
            raise ScorelineError(f"feature #{i + 1} has no name: give a column name or a dict with 'name'")
        values = column(sample, features, i)
        spec.setdefault("type", _type_of(values))
        if spec["type"] not in TYPES:
            raise ScorelineError(f"feature '{name}' has type '{spec['type']}'; use one of {', '.join(TYPES)}")
        if spec["type"] == "category":
            spec.setdefault("levels", sorted({str(v) for v in values}))
            unknown = {str(v) for v in values} - set(spec["levels"])
            if unknown:
                raise ScorelineError(f"feature '{name}' has values {sorted(unknown)[:5]} in the sample that are not in its levels")
        elif "levels" in spec:
            raise ScorelineError(f"feature '{name}' is a {spec['type']}; only category features have levels")
        out.append(spec)
    names = [f["name"] for f in out]
    if len(set(names)) != len(names):
        raise ScorelineError("features lists a name twice: " + ", ".join(sorted({n for n in names if names.count(n) > 1})))
    return out


def column(sample, features, i):
    """The sample's values of feature i: a DataFrame column by name, an array's column by position."""
    f = features[i]
    name = f if isinstance(f, str) else f.get("name")
    if hasattr(sample, "columns"):
        if name not in sample.columns:
            raise ScorelineError(f"feature '{name}' is not a column of the sample")
        return np.asarray(sample[name])
    array = np.asarray(sample)
    if array.ndim != 2 or array.shape[1] != len(features):
        raise ScorelineError(f"the sample has shape {array.shape}; expected rows of {len(features)} features")
    return array[:, i]


def _type_of(values):
    if values.dtype == bool:
        return "boolean"
    if np.issubdtype(values.dtype, np.number):
        return "number"
    return "category"
