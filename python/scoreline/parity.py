"""Does the ONNX model give the original model's answers on the sample rows?"""

import numpy as np

from .convert import feeds, label_text
from .errors import ParityError


def check(model, converted, features, sample, tolerance):
    """Score the sample with both; return the parity figures model.json records, or raise ParityError naming the worst row."""
    import onnxruntime

    session = onnxruntime.InferenceSession(converted.bytes, providers=["CPUExecutionProvider"])
    wanted = [converted.outputs[k] for k in ("label", "probabilities", "value") if k in converted.outputs]
    got = dict(zip(wanted, session.run(wanted, feeds(converted.inputs, features, sample)), strict=True))
    rows = len(next(iter(got.values())))
    if converted.task == "classification":
        expected = np.asarray(model.predict_proba(sample), dtype=np.float64)
        actual = np.asarray(got[converted.outputs["probabilities"]], dtype=np.float64)
        diff = _max_diff(expected, actual, lambda col: f"probability of class '{converted.classes[col]}'", tolerance)
        labels = np.asarray(got[converted.outputs["label"]]).ravel()
        for row, (want, have) in enumerate(zip(model.predict(sample), labels, strict=True)):
            if label_text(want) != label_text(have):
                raise ParityError(
                    f"the converted model predicts class '{label_text(have)}' on sample row {row} "
                    f"where the original predicts '{label_text(want)}'"
                )
    else:
        expected = np.asarray(model.predict(sample), dtype=np.float64).reshape(rows, -1)
        actual = np.asarray(got[converted.outputs["value"]], dtype=np.float64).reshape(rows, -1)
        # float32 trees cannot hold a value of 300 closer than ~2e-5: values beyond 1 are compared relatively
        diff = _max_diff(expected, actual, lambda col: "predicted value", tolerance, np.maximum(1.0, np.abs(expected)))
    return {
        "rows": rows,
        "max_abs_diff": float(np.max(np.abs(expected - actual))),
        "max_diff": diff,
        "compared": "relative to max(1, |value|)" if converted.task == "regression" else "absolute",
        "tolerance": tolerance,
    }


def _max_diff(expected, actual, what, tolerance, scale=1.0):
    if expected.shape != actual.shape:
        raise ParityError(
            f"the converted model returns {actual.shape[1]} values per row, the original {expected.shape[1]}"
        )
    diffs = np.abs(expected - actual) / scale
    diffs[np.isnan(expected) & np.isnan(actual)] = 0.0
    diffs[np.isnan(diffs)] = np.inf
    row, col = np.unravel_index(np.argmax(diffs), diffs.shape)
    worst = float(diffs[row, col])
    if worst > tolerance:
        relative = " relative" if np.ndim(scale) else ""
        raise ParityError(
            f"the converted model differs from the original by{relative} {worst:.3g} on sample row {row} "
            f"({what(col)}: {actual[row, col]:.9g} instead of {expected[row, col]:.9g}), "
            f"more than the tolerance {tolerance:g}"
        )
    return worst
