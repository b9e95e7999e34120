"""The HTTP service: ``tinylab serve MODEL... [--host] [--port] [--workers]`` (FastAPI on uvicorn).

    POST /v1/models/{name}/predict   {"inputs": [...], "top_k": 1}  ->  {"model": name, "outputs": [...]}
    GET  /v1/models                  the models served: task, kind, labels, runtime
    GET  /health                     {"status": "ok", "models": [...]}
    GET  /metrics                    Prometheus text: requests, items, latency, batch sizes

Requests that arrive together are answered by one model call: each model has a queue, and while the model
runs one batch the next one gathers (up to ``max_batch`` items), so under load the service predicts in
large batches without adding any wait when it is idle. Bodies over ``max_body_bytes`` and batches over
``max_batch`` items are refused with 413; a malformed body gets a 4xx JSON error that says what is wrong.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from starlette.exceptions import HTTPException as StarletteHTTPException

from tinylab.api import Model, load
from tinylab.items import jsonable

DEFAULT_MAX_BODY = 8 * 1024 * 1024
DEFAULT_MAX_BATCH = 4096
ENV_MODELS = "TINYLAB_SERVE_MODELS"  # how `--workers N` hands the configuration to each worker process
ENV_LIMITS = "TINYLAB_SERVE_LIMITS"


@dataclass(frozen=True)
class Limits:
    max_body_bytes: int = DEFAULT_MAX_BODY
    max_batch: int = DEFAULT_MAX_BATCH
    max_top_k: int = 50


class Batcher:
    """One model's request queue: requests waiting while the model runs are answered together."""

    def __init__(self, model: Model, max_items: int) -> None:
        self.model, self.max_items = model, max_items
        self.queue: asyncio.Queue[tuple[list[Any], int, asyncio.Future[list[dict[str, Any]]]]] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None
        self.batches: list[int] = []  # items per model call, for the metrics

    def start(self) -> None:
        if self.task is None:
            self.task = asyncio.get_running_loop().create_task(self._run())

    async def submit(self, items: list[Any], top_k: int) -> list[dict[str, Any]]:
        self.start()
        fut: asyncio.Future[list[dict[str, Any]]] = asyncio.get_running_loop().create_future()
        await self.queue.put((items, top_k, fut))
        return await fut

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            first = await self.queue.get()
            group = [first]
            n = len(first[0])
            held = []
            while not self.queue.empty() and n < self.max_items:
                nxt = self.queue.get_nowait()
                if nxt[1] == first[1] and n + len(nxt[0]) <= self.max_items:
                    group.append(nxt)
                    n += len(nxt[0])
                else:
                    held.append(nxt)
            for h in held:  # a different top_k, or no room: the next batch
                self.queue.put_nowait(h)
            items = [x for g in group for x in g[0]]
            try:
                answers = await loop.run_in_executor(None, self._predict, items, first[1])
            except Exception as e:  # the model failed on this batch: every request in it hears why
                for _, _, fut in group:
                    if not fut.done():
                        fut.set_exception(e)
                continue
            self.batches.append(len(items))
            start = 0
            for g_items, _, fut in group:
                if not fut.done():
                    fut.set_result(answers[start:start + len(g_items)])
                start += len(g_items)

    def _predict(self, items: list[Any], top_k: int) -> list[dict[str, Any]]:
        return self.model.predictor.predict_json(items, top_k)


def create_app(models: dict[str, Model], limits: Limits = Limits()) -> Any:
    """The FastAPI application serving ``models`` (name -> loaded model)."""
    import tinylab

    registry = CollectorRegistry()
    requests = Counter("tinylab_requests", "prediction requests by model and HTTP status", ["model", "status"],
                       registry=registry)
    items_total = Counter("tinylab_items", "items predicted", ["model"], registry=registry)
    latency = Histogram("tinylab_request_seconds", "time to answer a prediction request", ["model"],
                        registry=registry,
                        buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0))
    batch_items = Histogram("tinylab_batch_items", "items per model call (requests answered together)",
                            ["model"], registry=registry, buckets=(1, 8, 32, 64, 128, 256, 512, 1024, 2048, 4096))
    batchers = {name: Batcher(m, limits.max_batch) for name, m in models.items()}
    app = FastAPI(title="tinylab", version=tinylab.__version__,
                  description="Predictions of tinylab models over HTTP.")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:  # 404, 405: same shape
        return JSONResponse({"error": f"{exc.detail}: {request.method} {request.url.path}"},
                            status_code=exc.status_code)

    def error(status: int, message: str, model: str = "") -> Response:
        if model:
            requests.labels(model, str(status)).inc()
        return JSONResponse({"error": message}, status_code=status)

    @app.get("/health")
    async def health() -> dict[str, Any]:
        return {"status": "ok", "models": sorted(models)}

    @app.get("/v1/models")
    async def list_models() -> dict[str, Any]:
        return {"models": [{"name": name, "task": m.task, "kind": m.kind, "labels": len(m.labels),
                            "input_type": m.input_type, "runtime": m.runtime} for name, m in models.items()]}

    @app.get("/metrics")
    async def metrics() -> Response:
        for name, b in batchers.items():
            for n in b.batches:
                batch_items.labels(name).observe(n)
            b.batches.clear()
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    @app.post("/v1/models/{name}/predict")
    async def predict(name: str, request: Request) -> Response:
        start = time.perf_counter()
        if name not in models:
            return error(404, f"no model {name!r}; served: {', '.join(sorted(models))}")
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limits.max_body_bytes:
            return error(413, f"request body of {int(declared):,} bytes is over the limit of "
                              f"{limits.max_body_bytes:,}", name)
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > limits.max_body_bytes:
                return error(413, f"request body is over the limit of {limits.max_body_bytes:,} bytes", name)
        try:
            payload = orjson.loads(bytes(body))
        except orjson.JSONDecodeError as e:
            return error(400, f"the body is not JSON: {e}", name)
        if not isinstance(payload, dict) or not isinstance(payload.get("inputs"), list):
            return error(422, 'the body must be a JSON object {"inputs": [...]} with a list of inputs', name)
        unknown = set(payload) - {"inputs", "top_k"}
        if unknown:
            return error(422, f"unknown field(s) {', '.join(sorted(unknown))}; allowed: inputs, top_k", name)
        inputs: list[Any] = payload["inputs"]
        top_k = payload.get("top_k", 1)
        if not isinstance(top_k, int) or isinstance(top_k, bool) or not 1 <= top_k <= limits.max_top_k:
            return error(422, f"top_k must be an integer from 1 to {limits.max_top_k}", name)
        if len(inputs) > limits.max_batch:
            return error(413, f"{len(inputs):,} inputs is over the limit of {limits.max_batch:,} per request", name)
        model = models[name]
        bad = _check_inputs(inputs, model.input_type, getattr(model.predictor.task, "check_item", None))
        if bad:
            return error(422, bad, name)
        if model.input_type == "array":
            inputs = [np.asarray(x, dtype=np.float32) for x in inputs]
        try:
            outputs = await batchers[name].submit(inputs, top_k) if inputs else []
        except Exception as e:  # the model refused these inputs: the caller's mistake, said plainly
            return error(422, f"the model could not predict these inputs: {e}", name)
        requests.labels(name, "200").inc()
        items_total.labels(name).inc(len(inputs))
        latency.labels(name).observe(time.perf_counter() - start)
        return Response(orjson.dumps({"model": name, "outputs": outputs}, default=jsonable,
                                     option=orjson.OPT_SERIALIZE_NUMPY), media_type="application/json")

    return app


def _check_inputs(inputs: Sequence[Any], input_type: str, check_item: Any = None) -> str:
    """'' if every input has the type the model takes (and passes the task's ``check_item``, if any), else
    what is wrong with the first that does not: checked before batching, so that one request's bad input
    never fails another request's batch."""
    names = {type(None): "null", bool: "a boolean", int: "a number", float: "a number", str: "a string",
             list: "an array", dict: "an object"}
    if input_type == "text":
        for i, x in enumerate(inputs):
            if not isinstance(x, str):
                return f"inputs[{i}] is {names.get(type(x), type(x).__name__)}; this model takes strings"
            problem = check_item(x) if check_item is not None else None
            if problem:
                return f"inputs[{i}] = {x!r}: {problem}"
    elif input_type == "array":
        for i, x in enumerate(inputs):
            if not isinstance(x, list):
                return (f"inputs[{i}] is {names.get(type(x), type(x).__name__)}; this model takes arrays "
                        "(nested lists of numbers)")
    return ""


def load_models(names: Sequence[str]) -> dict[str, Model]:
    """Each model by name or run directory, served under its name (a run directory under its folder name)."""
    from tinylab.errors import TinylabError

    out: dict[str, Model] = {}
    for name in names:
        model = load(name)
        key = model.run_dir.name if model.run_dir is not None and os.sep in name else name
        if key in out:
            raise TinylabError(f"two models would be served as {key!r} ({name} and an earlier one); "
                               "serve one of them from a folder with another name")
        out[key] = model
    return out


def check_port(host: str, port: int) -> None:
    """Refuse, in one line, an address that cannot be listened on (a port in use, an unknown host)."""
    import socket

    from tinylab.errors import TinylabError

    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host, port))
    except OSError as e:
        raise TinylabError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None


def app_from_env() -> Any:
    """The application a uvicorn worker process builds (``--workers N``): the models and limits come from
    the environment the ``tinylab serve`` command set."""
    names = json.loads(os.environ[ENV_MODELS])
    limits = Limits(**json.loads(os.environ.get(ENV_LIMITS, "{}")))
    return create_app(load_models(names), limits)


def serve(names: Sequence[str], host: str = "127.0.0.1", port: int = 8000, workers: int = 1,
          limits: Limits = Limits(), log_level: str = "warning") -> None:
    """Load the models (verified) and serve them until interrupted."""
    import uvicorn

    models = load_models(names)  # load once here: a bad name fails before any worker starts
    check_port(host, port)
    print(f"serving {', '.join(models)} on http://{host}:{port} (workers: {workers})", file=sys.stderr)
    if workers <= 1:
        uvicorn.run(create_app(models, limits), host=host, port=port, log_level=log_level, access_log=False)
        return
    os.environ[ENV_MODELS] = json.dumps(list(names))
    os.environ[ENV_LIMITS] = json.dumps(limits.__dict__)
    uvicorn.run("tinylab.serve:app_from_env", factory=True, host=host, port=port, workers=workers,
                log_level=log_level, access_log=False)
