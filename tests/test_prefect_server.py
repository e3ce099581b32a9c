"""A real Prefect server: `dastan serve` registers the deployments, the API (as the UI's Run
button does) starts flow runs with custom parameters, and the results land in DuckDB."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from storage import Database
from tests.conftest import ROOT, SAMPLES, prefect_home
from tests.http_fixtures import fixture_server, registry_toml

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float, what: str, proc: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"{what}: the process exited with {proc.returncode}")
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="module")
def prefect_stack(tmp_path_factory) -> Iterator[dict]:
    """prefect server + `dastan serve` + the HTTP fixtures; torn down after the module."""
    tmp = tmp_path_factory.mktemp("prefect")
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    server_env = {**base_env, "PREFECT_HOME": str(prefect_home(tmp_path_factory, tmp / "server-home")),
                  "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_UI_ENABLED": "false"}
    log = (tmp / "server.log").open("w")
    server = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                              env=server_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    stack: dict = {"api": api, "tmp": tmp}
    try:
        wait_for(lambda: _healthy(api), 120, "the Prefect server", server)
        with fixture_server() as fixtures:
            registry = tmp / "sources.toml"
            registry.write_text(registry_toml(fixtures.base, {"isna": ["/isna/rss.xml"]}), encoding="utf-8")
            serve_env = {**base_env, "PREFECT_API_URL": api, "PREFECT_HOME": str(tmp / "client-home"),
                         "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                         "DASTAN_INGEST__REGISTRY": str(registry),
                         "DASTAN_FETCH__ALLOW_HOSTS": '["127.0.0.1"]', "DASTAN_FETCH__HOST_DELAY": "0",
                         "DASTAN_FLOW__REPORT": str(tmp / "report.html")}
            serve_log = (tmp / "serve.log").open("w")
            serving = subprocess.Popen([str(BIN / "dastan"), "serve", "--db", str(tmp / "default.duckdb")],
                                       cwd=ROOT, env=serve_env, stdout=serve_log, stderr=subprocess.STDOUT,
                                       start_new_session=True)
            try:
                stack.update(fixtures=fixtures, serve_log=tmp / "serve.log")
                wait_for(lambda: _deployments(api) >= {"pipeline/default", "fetch-feeds/default",
                                                       "rebuild-summaries/default"},
                         120, "the three deployments", serving)
                yield stack
            finally:
                stop(serving)
    finally:
        stop(server)


# Prefect's server answers 503 "Service Unavailable" for errors its clients should retry
# (`custom_internal_exception_handler`, e.g. its SQLite database locked for a moment): seen
# here in 3 of 11 runs of this module on 2026-11-30. Prefect's own client retries 429, 502
# and 503, so these calls, which stand in for the UI, do too.
RETRYABLE = {429, 502, 503}


def api_call(method: str, url: str, expect: int = 200, **kwargs) -> dict | list:
    """One API call as Prefect's client makes it: retried on the statuses that client retries."""
    for attempt in range(6):
        r = httpx.request(method, url, timeout=10, **kwargs)
        if r.status_code not in RETRYABLE:
            break
        time.sleep(0.5 * 2 ** attempt)
    assert r.status_code == expect, f"{method} {url}: {r.status_code} {r.text[:500]}"
    return r.json()


def _healthy(api: str) -> bool:
    try:
        return httpx.get(f"{api}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _deployments(api: str) -> set[str]:
    flows = {f["id"]: f["name"] for f in api_call("POST", f"{api}/flows/filter", json={})}
    return {f"{flows.get(d['flow_id'])}/{d['name']}" for d in api_call("POST", f"{api}/deployments/filter", json={})}


def run_deployment(api: str, name: str, parameters: dict, timeout: float = 600) -> dict:
    """Create a flow run of a deployment through the API, as the UI's Run button does; wait for it."""
    flow_name, dep_name = name.split("/")
    dep = api_call("GET", f"{api}/deployments/name/{flow_name}/{dep_name}")
    run = api_call("POST", f"{api}/deployments/{dep['id']}/create_flow_run", expect=201,
                   json={"parameters": parameters})

    def final():
        fr = api_call("GET", f"{api}/flow_runs/{run['id']}")
        return fr if fr["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") else None

    return wait_for(final, timeout, f"flow run of {name}")


def test_ui_run_of_pipeline_with_custom_parameters(prefect_stack) -> None:
    api, tmp = prefect_stack["api"], prefect_stack["tmp"]
    db = tmp / "custom.duckdb"
    params = {"inputs": [str(SAMPLES)], "db": str(db), "summary_sentences": 3, "window_days": 5}
    start = time.monotonic()
    run = run_deployment(api, "pipeline/default", params)
    print(f"pipeline flow run took {time.monotonic() - start:.1f} s")
    assert run["state"]["type"] == "COMPLETED", prefect_stack["serve_log"].read_text()[-3000:]
    # the server recorded the parameters the "UI" sent
    assert run["parameters"]["db"] == str(db) and run["parameters"]["summary_sentences"] == 3
    with Database(str(db)).connect(read_only=True) as con:
        n_articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        n_stories = con.execute("SELECT count(*) FROM stories").fetchone()[0]
        most = con.execute("SELECT max(c) FROM (SELECT count(*) c FROM summaries GROUP BY story_id)").fetchone()[0]
        status, kind = con.execute("SELECT status, kind FROM runs").fetchone()
    assert n_articles == 52 and n_stories >= 15 and most == 3
    assert (status, kind) == ("completed", "pipeline")
    arts = api_call("POST", f"{api}/artifacts/filter", json={"artifacts": {"flow_run_id": {"any_": [run["id"]]}}})
    markdown = next(a for a in arts if a["type"] == "markdown")
    assert "| story | title | sources | reports | first seen |" in markdown["data"]
    assert any(a["type"] == "table" for a in arts)


def test_fetch_feeds_deployment_polls_the_fixture_server(prefect_stack) -> None:
    api, tmp, fixtures = prefect_stack["api"], prefect_stack["tmp"], prefect_stack["fixtures"]
    db = tmp / "feeds.duckdb"
    run = run_deployment(api, "fetch-feeds/default", {"sources": ["isna"], "db": str(db)})
    assert run["state"]["type"] == "COMPLETED", prefect_stack["serve_log"].read_text()[-3000:]
    assert fixtures.hits["/isna/rss.xml"] >= 1 and fixtures.hits["/isna/news/1.html"] == 1
    with Database(str(db)).connect(read_only=True) as con:
        sources = {r[0] for r in con.execute("SELECT source FROM articles").fetchall()}
        polls = con.execute("SELECT status, etag FROM feed_state").fetchall()
    assert sources == {"isna"} and polls == [("ok", '"v1"')]


def test_deployment_parameters_are_typed_and_described(prefect_stack) -> None:
    dep = api_call("GET", f"{prefect_stack['api']}/deployments/name/pipeline/default")
    props = dep["parameter_openapi_schema"]["properties"]
    for name in ("inputs", "sources", "db", "model", "window_days", "summary_sentences"):
        assert name in props and props[name].get("description"), name
    assert props["window_days"]["type"] == "integer"
    feeds = api_call("GET", f"{prefect_stack['api']}/deployments/name/fetch-feeds/default")
    schedules = feeds["schedules"]
    assert schedules and schedules[0]["schedule"]["interval"] == 900


