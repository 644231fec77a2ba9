"""The MLflow face of the classifier: a pyfunc model whose input is raw log text.

MLflow keeps the full artifact file (see :mod:`model.classifier`) beside this wrapper, so
``Classifier.load("models:/autoheal-classifier@champion")`` gets exactly what a local load gets,
and ``mlflow.pyfunc.load_model(...).predict(df)`` classifies a DataFrame with a ``log`` column.
"""

from __future__ import annotations

from typing import Any

import mlflow.pyfunc
import pandas as pd

from model.classifier import Classifier


class AutohealPyfunc(mlflow.pyfunc.PythonModel):  # type: ignore[misc,name-defined]
    # The signature is given explicitly when the model is logged; MLflow's inference from type
    # hints cannot express a DataFrame with a ``log`` column and would only warn.
    _skip_type_hint_validation = True

    def load_context(self, context: Any) -> None:
        self.classifier = Classifier.load(context.artifacts["classifier"])

    # A DataFrame hint tells MLflow not to infer a schema from hints: the signature is explicit.
    def predict(
        self, context: Any, model_input: pd.DataFrame, params: dict[str, Any] | None = None
    ) -> pd.DataFrame:
        logs = list(model_input["log"]) if hasattr(model_input, "columns") else list(model_input)
        rows = []
        for log in logs:
            prediction = self.classifier.classify(str(log))
            rows.append(
                {
                    "category": prediction.category,
                    "confidence": prediction.confidence,
                    "auto_fix": prediction.auto_fix,
                    "fingerprint": prediction.fingerprint,
                }
            )
        return pd.DataFrame(rows)
