"""Train in Python, deploy with Scoreline: `scoreline.register(model, name=..., features=..., store=..., sample=...)`."""

from .errors import ConversionError, ParityError, ScorelineError, StoreError
from .register import register

__all__ = ["register", "ScorelineError", "ConversionError", "ParityError", "StoreError"]
