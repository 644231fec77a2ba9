"""The classify route's hand-written parts: the answer is exactly `ClassifyResponse`'s JSON,
small logs (classified on the event loop) and large ones (in a worker thread) get the same
answer, and the query string is refused as FastAPI would refuse it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.testclient import TestClient

from model.classifier import Classifier
from service import Settings, create_app
from service.routers.classify import INLINE_MAX_BYTES, _RequestOnlyRoute, classify
from service.routers.classify import router as classify_router
from service.schemas import ClassifyResponse
from tests._service_support import github_log, model_path

TEXT = {"content-type": "text/plain"}


@pytest.fixture(scope="module")
def model_file(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return model_path(request, tmp_path_factory)


@pytest.fixture(scope="module")
def client(model_file: Path) -> Iterator[TestClient]:
    settings = Settings(model_uri=str(model_file))
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def test_answer_is_the_response_models_own_json(client: TestClient) -> None:
    response = client.post(
        "/v1/classify?repository=octo/widgets&run_id=7",
        content=github_log(2, 3),
        headers=TEXT,
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    # Every declared field, in the model's order, absent context as null, evidence with `file`.
    assert answer == ClassifyResponse.model_validate(answer).model_dump(mode="json")
    assert list(answer)[: len(ClassifyResponse.model_fields)] == list(ClassifyResponse.model_fields)
    assert answer["workflow"] is None and answer["run_id"] == 7
    assert all(set(item) == {"line", "text", "file"} for item in answer["evidence"])


def test_small_and_large_logs_get_the_classifiers_own_answer(
    client: TestClient, model_file: Path
) -> None:
    classifier = Classifier.load(model_file)
    small = github_log(0, 1).encode()
    # Enough output before the failure to be handed to a worker thread.
    large = github_log(0, 1, filler_lines=INLINE_MAX_BYTES // 40).encode()
    assert len(small) <= INLINE_MAX_BYTES < len(large)
    for log in (small, large):
        answer = client.post("/v1/classify", content=log, headers=TEXT).json()
        expected = classifier.classify(log)
        assert answer["category"] == expected.category
        assert answer["confidence"] == round(expected.confidence, 4)
        assert answer["fingerprint"] == expected.fingerprint


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ("threshold=2", "query.threshold"),
        ("run_id=-1", "query.run_id"),
        (f"run_id={2**64}", "query.run_id"),
        ("job=" + "x" * 1025, "query.job"),
    ],
)
def test_bad_query_is_422_naming_the_parameter(client: TestClient, query: str, where: str) -> None:
    response = client.post(f"/v1/classify?{query}", content=b"error: x", headers=TEXT)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert error["message"].startswith(where + ":")


def test_a_run_id_beyond_64_bits_is_refused_and_the_largest_is_echoed(client: TestClient) -> None:
    body = {"log": "error: x", "run_id": 2**64}
    response = client.post("/v1/classify", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["message"].startswith("run_id:")
    largest = client.post("/v1/classify", json={**body, "run_id": 2**63 - 1})
    assert largest.status_code == 200 and largest.json()["run_id"] == 2**63 - 1


def test_openapi_still_declares_parameters_and_security(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/v1/classify"]["post"]
    assert [p["name"] for p in operation["parameters"]] == [
        "threshold",
        "repository",
        "workflow",
        "job",
        "run_id",
    ]
    assert operation["security"] == [{"HTTPBearer": []}]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ClassifyResponse"
    }


def test_the_route_calls_the_endpoint_itself_and_others_are_still_solved() -> None:
    """`_RequestOnlyRoute` hands the request straight to an endpoint that takes only it; an
    endpoint with parameters to solve gets FastAPI's handler, and its validation."""
    router = APIRouter(route_class=_RequestOnlyRoute)

    @router.get("/plain")
    async def plain(request: Request) -> Response:
        return Response(request.url.path)

    @router.get("/solved")
    async def solved(count: int) -> dict[str, int]:
        return {"count": count}

    app = FastAPI()
    app.include_router(router)
    routes = {route.path: route for route in router.routes}
    assert routes["/plain"].get_route_handler() is plain  # type: ignore[attr-defined]
    assert routes["/solved"].get_route_handler() is not solved  # type: ignore[attr-defined]
    with TestClient(app) as client:
        assert client.get("/plain").text == "/plain"
        assert client.get("/solved", params={"count": "3"}).json() == {"count": 3}
        assert client.get("/solved", params={"count": "x"}).status_code == 422
    (classify_route,) = classify_router.routes
    assert classify_route.get_route_handler() is classify  # type: ignore[attr-defined]
