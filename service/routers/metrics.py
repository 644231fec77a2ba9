"""``GET /metrics``: Prometheus exposition, summed over worker processes."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from service._metrics import Metrics

router = APIRouter(tags=["metrics"])


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
)
async def metrics(request: Request) -> Response:
    collected: Metrics = request.app.state.metrics
    return Response(collected.render(), media_type=collected.content_type)
