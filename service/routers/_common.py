"""Helpers shared by the routers: reaching the app's state."""

from __future__ import annotations

from fastapi import Request

from model.classifier import Classifier
from service._errors import ApiError
from service._state import ModelHolder


def holder(request: Request) -> ModelHolder:
    held: ModelHolder = request.app.state.holder
    return held


def current_classifier(request: Request) -> Classifier:
    """The model to use for this whole request; 503 while none is loaded."""
    classifier = holder(request).classifier
    if classifier is None:
        detail = holder(request).last_error or "the model is still loading"
        raise ApiError(503, "model_unavailable", f"no model loaded: {detail}")
    return classifier
