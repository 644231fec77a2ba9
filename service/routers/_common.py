"""Helpers shared by the routers: reaching the app's state."""

from __future__ import annotations

from fastapi import Request
from pydantic import ValidationError

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


def invalid_body(exc: ValidationError) -> ApiError:
    """The error for a JSON body that did not validate: 400 when it is not JSON at all, 422
    when it is not an object or its fields are wrong (the first five problems, by field)."""
    errors = exc.errors(include_url=False, include_input=False)
    if any(err["type"] == "json_invalid" for err in errors):
        return ApiError(400, "invalid_json", f"the body is not valid JSON: {errors[0]['msg']}")
    if any(err["type"] == "model_type" for err in errors):
        return ApiError(422, "invalid_request", "the JSON body must be an object")
    parts = [
        f"{'.'.join(str(p) for p in err['loc']) or 'body'}: {err['msg']}" for err in errors[:5]
    ]
    return ApiError(422, "invalid_request", "; ".join(parts))
