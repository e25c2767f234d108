"""scikit-learn / XGBoost / LightGBM model -> ONNX, with the input layout model.json's "onnx" section declares."""

import numpy as np
from sklearn.base import is_classifier, is_regressor
from sklearn.pipeline import Pipeline

from .errors import ConversionError
from .features import column

# Opsets every maintained ONNX Runtime reads (the Java one included); newer ones add nothing these converters use.
TARGET_OPSET = {"": 17, "ai.onnx.ml": 3}
ELEM_TYPES = {"float": np.float32, "double": np.float64}


class Converted:
    """The ONNX model and what model.json says about it."""

    def __init__(self, model_proto, task, classes, inputs, outputs, algorithm, training):
        self.bytes = model_proto.SerializeToString()
        self.task = task
        self.classes = classes
        self.inputs = inputs
        self.outputs = outputs
        self.algorithm = algorithm
        self.training = training


def precisions(model):
    """The input element types worth trying, best first. XGBoost and LightGBM score in float32 themselves (and their
    converters emit float only); scikit-learn scores in float64, but some of its ONNX operators exist in float only."""
    return ("float",) if _register_boosters(model) else ("double", "float")


def convert(model, features, elem):
    """Convert a fitted estimator or Pipeline; `features` is the normalised model.json feature list."""
    import onnxruntime
    import skl2onnx
    from skl2onnx.common.exceptions import MissingConverter, MissingShapeCalculator

    final = model.steps[-1][1] if isinstance(model, Pipeline) else model
    if is_classifier(model):
        task = "classification"
    elif is_regressor(model):
        task = "regression"
    else:
        raise ConversionError(
            f"{type(final).__name__} is neither a classifier nor a regressor; register the fitted estimator or pipeline"
        )
    inputs, initial = _inputs(features, elem)
    options = {id(final): {"zipmap": False}} if task == "classification" else None
    try:
        proto = skl2onnx.convert_sklearn(model, initial_types=initial, options=options, target_opset=TARGET_OPSET)
        onnxruntime.InferenceSession(proto.SerializeToString(), providers=["CPUExecutionProvider"])
    except (MissingConverter, MissingShapeCalculator) as e:
        raise ConversionError(
            f"cannot convert {_describe(model)} to ONNX: skl2onnx and onnxmltools have no converter "
            f"for a step of it ({_first_line(e)[:120]})"
        ) from e
    except Exception as e:  # the converters and the runtime raise many types; all mean "cannot convert"
        raise ConversionError(f"cannot convert {_describe(model)} to ONNX ({elem} inputs): {_first_line(e)}") from e
    names = [o.name for o in proto.graph.output]
    if task == "classification":
        outputs = {"label": names[0], "probabilities": names[1]}
        classes = [label_text(c) for c in model.classes_]
    else:
        outputs = {"value": names[0]}
        classes = None
    library = type(final).__module__.split(".")[0]
    training = {
        "library": {"sklearn": "scikit-learn"}.get(library, library),
        "library_version": _version(library),
        "converter": "skl2onnx "
        + skl2onnx.__version__
        + (f" + onnxmltools {_version('onnxmltools')}" if library != "sklearn" else ""),
    }
    return Converted(proto, task, classes, inputs, outputs, _describe(model), training)


def _inputs(features, elem):
    """model.json's ONNX inputs and skl2onnx's initial types: one tensor, or one input per feature when some are strings."""
    from skl2onnx.common.data_types import DoubleTensorType, FloatTensorType, StringTensorType

    if any(f["type"] == "category" for f in features):
        inputs = [
            {"name": f["name"], "elem_type": "string" if f["type"] == "category" else elem, "features": [f["name"]]}
            for f in features
        ]
    else:
        inputs = [{"name": "input", "elem_type": elem, "features": [f["name"] for f in features]}]
    types = {"string": StringTensorType, "float": FloatTensorType, "double": DoubleTensorType}
    return inputs, [(i["name"], types[i["elem_type"]]([None, len(i["features"])])) for i in inputs]


def feeds(converted_inputs, features, sample):
    """The ONNX Runtime input tensors for the sample, built exactly as predict.jar builds them from documents."""
    by_name = {f["name"]: i for i, f in enumerate(features)}
    out = {}
    for spec in converted_inputs:
        cols = [column(sample, features, by_name[n]) for n in spec["features"]]
        if spec["elem_type"] == "string":
            out[spec["name"]] = np.array([[str(v)] for v in cols[0]], dtype=object)
        else:
            out[spec["name"]] = np.column_stack([c.astype(np.float64) for c in cols]).astype(
                ELEM_TYPES[spec["elem_type"]]
            )
    return out


def _register_boosters(model):
    """Teach skl2onnx the XGBoost / LightGBM converters of onnxmltools; True when the model uses one."""
    steps = [s for _, s in model.steps] if isinstance(model, Pipeline) else [model]
    modules = {type(s).__module__.split(".")[0] for s in steps}
    if not modules & {"xgboost", "lightgbm"}:
        return False
    from skl2onnx import update_registered_converter
    from skl2onnx.common.shape_calculator import (
        calculate_linear_classifier_output_shapes,
        calculate_linear_regressor_output_shapes,
    )

    classifier_options = {"nocl": [True, False], "zipmap": [True, False, "columns"]}
    if "xgboost" in modules:
        from onnxmltools.convert.xgboost.operator_converters.XGBoost import convert_xgboost
        from xgboost import XGBClassifier, XGBRegressor

        update_registered_converter(
            XGBClassifier,
            "XGBoostXGBClassifier",
            calculate_linear_classifier_output_shapes,
            convert_xgboost,
            options=classifier_options,
        )
        update_registered_converter(
            XGBRegressor, "XGBoostXGBRegressor", calculate_linear_regressor_output_shapes, convert_xgboost
        )
    if "lightgbm" in modules:
        from lightgbm import LGBMClassifier, LGBMRegressor
        from onnxmltools.convert.lightgbm.operator_converters.LightGbm import convert_lightgbm

        update_registered_converter(
            LGBMClassifier,
            "LightGbmLGBMClassifier",
            calculate_linear_classifier_output_shapes,
            convert_lightgbm,
            options=classifier_options,
        )
        update_registered_converter(
            LGBMRegressor,
            "LightGbmLGBMRegressor",
            calculate_linear_regressor_output_shapes,
            convert_lightgbm,
            options={"split": None},
        )
    return True


def _describe(model):
    def name(o):  # the public module: sklearn.ensemble, not sklearn.ensemble._forest; xgboost, not xgboost.sklearn
        module = type(o).__module__.split("._")[0].removesuffix(".sklearn")
        return f"{module}.{type(o).__name__}"

    if isinstance(model, Pipeline):
        return "sklearn.pipeline.Pipeline(" + ", ".join(name(s) for _, s in model.steps if s != "passthrough") + ")"
    return name(model)


def label_text(value):
    """A class as predictions write it: numpy scalars as plain values, whole floats as integers (as ONNX labels)."""
    value = value.item() if hasattr(value, "item") else value
    if isinstance(value, bytes):
        value = value.decode()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _version(module):
    try:
        return __import__(module).__version__
    except (ImportError, AttributeError):
        return None


def _first_line(e):
    text = str(e).strip().splitlines()
    return text[0] if text else type(e).__name__
