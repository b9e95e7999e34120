"""`tinylab serve` over real HTTP on localhost: a uvicorn server in a subprocess, concurrent clients,
malformed and oversized bodies, the Prometheus metrics, and requests answered together."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from conftest import free_port, run_cli

VALUES = ["192.168.1.1", "hello@example.com", "2024-01-15T10:30:00Z"]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "tinylab", "serve", "semantic-types", "json-repair", "word-rarity",
                             "--port", str(port), "--max-batch", "512", "--max-body-mb", "0.25"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_health_and_models(server: str):
    assert httpx.get(f"{server}/health").json() == {"status": "ok", "models": ["json-repair", "semantic-types",
                                                                          "word-rarity"]}
    models = {m["name"]: m for m in httpx.get(f"{server}/v1/models").json()["models"]}
    assert models["semantic-types"]["labels"] == 151 and models["semantic-types"]["runtime"] == "onnxruntime"
    assert models["json-repair"]["kind"] == "text_repair"


def test_predict_matches_the_command_line(server: str):
    r = httpx.post(f"{server}/v1/models/semantic-types/predict", json={"inputs": VALUES, "top_k": 2})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    outputs = r.json()["outputs"]
    cli = run_cli("predict", "semantic-types", *VALUES, "--json", "--top-k", "2")
    import json

    assert outputs == [{k: v for k, v in c.items() if k != "value"} for c in json.loads(cli.stdout)]
    r = httpx.post(f"{server}/v1/models/json-repair/predict", json={"inputs": ["{a: 1,"]})
    assert json.loads(r.json()["outputs"][0]["json"]) == {"a": 1}


def test_concurrent_clients_get_their_own_answers_and_are_batched_together(server: str):
    async def go() -> list[tuple[int, list[str]]]:
        async with httpx.AsyncClient(base_url=server, timeout=60) as client:
            async def one(i: int) -> tuple[int, list[str]]:
                batch = [VALUES[(i + j) % 3] for j in range(1 + i % 7)]
                r = await client.post("/v1/models/semantic-types/predict", json={"inputs": batch})
                assert r.status_code == 200, r.text
                return i, [o["predictions"][0]["label"] for o in r.json()["outputs"]]

            return await asyncio.gather(*(one(i) for i in range(64)))

    want = {v: lab for v, lab in zip(VALUES, ["technology.internet.ip_v4", "identity.person.email",
                                              "datetime.timestamp.iso_8601"], strict=True)}
    for i, labels in asyncio.run(go()):
        assert labels == [want[VALUES[(i + j) % 3]] for j in range(1 + i % 7)]
    metrics = httpx.get(f"{server}/metrics").text
    assert 'tinylab_requests_total{model="semantic-types",status="200"}' in metrics
    # some model calls answered more than one request: a batch larger than any single request (7 items)
    counts = {line.split("le=")[1].split(",")[0].strip('"'): float(line.rsplit(" ", 1)[1])
              for line in metrics.splitlines()
              if line.startswith("tinylab_batch_items_bucket") and 'model="semantic-types"' in line}
    assert counts["+Inf"] > counts["8.0"], counts


@pytest.mark.parametrize(("body", "status", "message"), [
    (b"not json", 400, "not JSON"),
    (b'["a"]', 422, '{"inputs": [...]}'),
    (b'{"inputs": "a"}', 422, '{"inputs": [...]}'),
    (b'{"inputs": [1, 2]}', 422, "inputs[0] is a number"),
    (b'{"inputs": ["a"], "top_k": 0}', 422, "top_k"),
    (b'{"inputs": ["a"], "extra": 1}', 422, "unknown field"),
])
def test_malformed_bodies_get_a_clear_4xx_json_error(server: str, body: bytes, status: int, message: str):
    r = httpx.post(f"{server}/v1/models/semantic-types/predict", content=body,
                   headers={"content-type": "application/json"})
    assert r.status_code == status and message in r.json()["error"]


def test_limits_and_unknown_models(server: str):
    r = httpx.post(f"{server}/v1/models/semantic-types/predict", json={"inputs": ["a"] * 513})
    assert r.status_code == 413 and "513 inputs" in r.json()["error"]
    r = httpx.post(f"{server}/v1/models/semantic-types/predict", json={"inputs": ["x" * 300_000]})
    assert r.status_code == 413 and "over the limit" in r.json()["error"]
    r = httpx.post(f"{server}/v1/models/nope/predict", json={"inputs": ["a"]})
    assert r.status_code == 404 and "semantic-types" in r.json()["error"]
    assert httpx.post(f"{server}/v1/models/semantic-types/predict", json={"inputs": []}).json()["outputs"] == []
    # the service still answers after every refusal
    assert httpx.get(f"{server}/health").status_code == 200


def test_an_input_the_task_cannot_score_is_refused_alone(server: str):
    url = f"{server}/v1/models/word-rarity/predict"

    async def both() -> list[httpx.Response]:
        async with httpx.AsyncClient(timeout=30) as client:
            return list(await asyncio.gather(client.post(url, json={"inputs": ["the", "  "]}),
                                             client.post(url, json={"inputs": ["zebra"]})))

    bad, good = asyncio.run(both())
    assert bad.status_code == 422 and "inputs[1] = '  ': an empty or blank word" in bad.json()["error"]
    assert good.status_code == 200 and 0 <= good.json()["outputs"][0]["rarity"] <= 1


def test_serving_an_unknown_model_fails_before_listening():
    r = run_cli("serve", "no-such-model", "--port", str(free_port()), timeout=60)
    assert r.returncode == 2 and "no-such-model" in r.stderr and "Traceback" not in r.stderr


def test_unknown_paths_and_methods_answer_in_the_same_json_shape(server: str):
    r = httpx.get(f"{server}/v1/models/semantic-types/predict")
    assert r.status_code == 405 and "error" in r.json()
    r = httpx.get(f"{server}/nope")
    assert r.status_code == 404 and "error" in r.json()
    r = httpx.post(f"{server}/v1/models/semantic-types/predict", json={"inputs": [None]})
    assert r.status_code == 422 and "inputs[0] is null" in r.json()["error"]


def test_a_busy_port_and_a_name_clash_are_one_line_errors(server: str):
    port = server.rsplit(":", 1)[1]
    r = run_cli("serve", "semantic-types", "--port", port, timeout=60)
    assert r.returncode == 2 and "cannot listen" in r.stderr and "Traceback" not in r.stderr
    from tinylab.predict import pretrained_dir

    r = run_cli("serve", "semantic-types", str(pretrained_dir("semantic-types")), "--port", str(free_port()),
                timeout=60)
    assert r.returncode == 2 and "two models would be served" in r.stderr
