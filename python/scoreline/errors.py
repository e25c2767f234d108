class ScorelineError(Exception):
    """Why a model cannot be registered, in one line a notebook user can act on."""


class ConversionError(ScorelineError):
    """The model (or one of its steps) cannot be converted to ONNX."""


class ParityError(ScorelineError):
    """The converted model does not give the original model's answers."""


class StoreError(ScorelineError):
    """The model store cannot be read or written, or refuses the write."""
