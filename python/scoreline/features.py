"""The model's features as model.json declares them, and the sample's columns in that order."""

import numpy as np
from sklearn.pipeline import Pipeline

from .errors import ScorelineError

TYPES = ("number", "boolean", "category")


def describe(features, sample):
    """Normalise `features` (names, or dicts as in model.json) into model.json's feature list.

    A name alone takes its type from the sample column: booleans are `boolean`, numbers `number`, anything else
    `category` with the levels seen in the sample (pass a dict with "levels" to declare levels the sample lacks).
    """
    if isinstance(features, (str, dict)):
        raise ScorelineError(
            "features must be a list of the model's input columns, e.g. list(X.columns), not one column"
        )
    features = list(features)  # X.columns (a pandas Index) or an array: `not features` would be ambiguous for those
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
                raise ScorelineError(
                    f"feature '{name}' has values {sorted(unknown)[:5]} in the sample that are not in its levels"
                )
        elif "levels" in spec:
            raise ScorelineError(f"feature '{name}' is a {spec['type']}; only category features have levels")
        out.append(spec)
    names = [f["name"] for f in out]
    if len(set(names)) != len(names):
        raise ScorelineError(
            "features lists a name twice: " + ", ".join(sorted({n for n in names if names.count(n) > 1}))
        )
    return out


def check_trained_columns(model, features):
    """A scikit-learn model fitted on a DataFrame recorded its columns: `features` must name those, in that order.

    Caught here, a forgotten or misspelt feature is one line about the features rather than a converter's error about
    its inputs, and a reordered list never reaches a one-tensor model, which would read each feature as another.
    XGBoost and LightGBM are left out: they rename columns (LightGBM: spaces to underscores) or check them themselves.
    """
    first = model.steps[0][1] if isinstance(model, Pipeline) else model
    trained = vars(first).get("feature_names_in_")
    if trained is None:
        return
    trained, names = [str(c) for c in trained], [f["name"] for f in features]
    if names == trained:
        return
    missing, unknown = [c for c in trained if c not in names], [n for n in names if n not in trained]
    if missing or unknown:
        said = ([f"it lacks {', '.join(map(repr, missing))}"] if missing else []) + (
            [f"the model was not trained on {', '.join(map(repr, unknown))}"] if unknown else []
        )
        raise ScorelineError(f"features do not match the columns the model was trained on: {'; '.join(said)}")
    raise ScorelineError(f"features are not in the order the model was trained in: {', '.join(trained)}")


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
