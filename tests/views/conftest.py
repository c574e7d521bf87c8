"""Fixtures for the HTML views: JSONL files of records, and headless Chromium over DevTools.

Chromium is Debian's ``chromium`` package (installed by .ci/run). Without it the browser
tests skip with a message, except in CI (CI=true), where they fail. Screenshots go to
$NEWSEVENTS_ARTIFACTS (default: a temporary folder).
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
PAGE_WIDTH = 1400
MAX_SCREENSHOT_HEIGHT = 12000


def in_ci() -> bool:
    """True when running under CI (CI=true)."""
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


# --------------------------------------------------------------------------- record files


def write_jsonl(path: Path, records: Sequence[Any]) -> Path:
    """Write pydantic records as JSON Lines."""
    path.write_text("".join(r.model_dump_json() + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def jsonl() -> Any:
    """``jsonl(path, records)`` writes records as JSON Lines and returns the path."""
    return write_jsonl


# --------------------------------------------------------------------------- browser


@dataclass
class PageCheck:
    """What loading one page in Chromium produced."""

    url: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    screenshot: Path | None = None

    @property
    def network_requests(self) -> list[str]:
        """Requests that would leave the machine (anything but file:, data: and about:)."""
        return [u for u in self.requests if not u.startswith(("file:", "data:", "about:"))]


class Chromium:
    """Headless Chromium driven over the DevTools protocol (one tab, reused)."""

    def __init__(self, executable: str, workdir: Path) -> None:
        import websocket  # websocket-client (dev dependency)

        self.workdir = workdir
        profile = workdir / "profile"
        profile.mkdir(parents=True, exist_ok=True)
        self.log = (workdir / "chromium.log").open("w")
        self.proc = subprocess.Popen(
            [
                executable,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-extensions",
                "--disable-default-apps",
                # Nothing may leave the machine: a dead proxy for everything, loopback included.
                "--proxy-server=127.0.0.1:9",
                "--proxy-bypass-list=<-loopback>",
                f"--user-data-dir={profile}",
                "--remote-debugging-port=0",
                f"--window-size={PAGE_WIDTH},1000",
                "about:blank",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        port = self._port(profile / "DevToolsActivePort")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as resp:
            targets = json.load(resp)
        page = next(t for t in targets if t.get("type") == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        self._ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")

    def _port(self, marker: Path) -> int:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chromium exited with {self.proc.returncode}; see {self.workdir}/chromium.log")
            if marker.exists():
                first = marker.read_text().split("\n", 1)[0].strip()
                if first.isdigit():
                    return int(first)
            time.sleep(0.1)
        raise RuntimeError(f"chromium did not open its DevTools port in 30 s; see {self.workdir}/chromium.log")

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one DevTools command and return its result, keeping events seen meanwhile."""
        msg_id = next(self._ids)
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == msg_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                result: dict[str, Any] = msg.get("result", {})
                return result
            if "method" in msg:
                self.events.append(msg)

    def _wait_for(self, method: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not any(e["method"] == method for e in self.events):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {method} within {timeout} s")
            msg = json.loads(self.ws.recv())
            if "method" in msg:
                self.events.append(msg)

    def evaluate(self, expression: str) -> Any:
        """Evaluate a JavaScript expression in the page and return its value."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def load(self, path: Path, screenshot: Path | None = None) -> PageCheck:
        """Open a local HTML file, wait for it to load, collect errors and requests, screenshot it."""
        self.events = []
        url = path.resolve().as_uri()
        self.call(
            "Emulation.setDeviceMetricsOverride", width=PAGE_WIDTH, height=1000, deviceScaleFactor=1, mobile=False
        )
        self.call("Page.navigate", url=url)
        self._wait_for("Page.loadEventFired")
        self.evaluate("1")  # drain events emitted while loading
        check = PageCheck(url=url)
        for event in self.events:
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.exceptionThrown":
                check.errors.append(f"uncaught: {params['exceptionDetails'].get('text')}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                check.errors.append(f"console.{params['type']}: {params.get('args')}")
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                check.errors.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}")
            elif method == "Network.requestWillBeSent":
                check.requests.append(params["request"]["url"])
        if screenshot is not None:
            height = int(self.evaluate("document.documentElement.scrollHeight"))
            height = max(200, min(height, MAX_SCREENSHOT_HEIGHT))
            self.call(
                "Emulation.setDeviceMetricsOverride",
                width=PAGE_WIDTH,
                height=height,
                deviceScaleFactor=1,
                mobile=False,
            )
            shot = self.call(
                "Page.captureScreenshot",
                format="png",
                clip={"x": 0, "y": 0, "width": PAGE_WIDTH, "height": height, "scale": 1},
                captureBeyondViewport=True,
            )
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            screenshot.write_bytes(base64.b64decode(shot["data"]))
            check.screenshot = screenshot
        return check

    def close(self) -> None:
        """Close the connection and stop Chromium."""
        try:
            self.ws.close()
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.log.close()


def find_chromium() -> str | None:
    """Return the path of a Chromium executable, or None."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    """A headless Chromium shared by the browser tests; skips (fails in CI) without one."""
    executable = find_chromium()
    message = (
        "Chromium is not installed: the browser tests of the HTML views need it. "
        "Install it with: apt-get update && apt-get install -y chromium"
    )
    if executable is None:
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    try:
        import websocket  # noqa: F401
    except ImportError:
        msg = "websocket-client is not installed: pip install -e '.[dev]'"
        if in_ci():
            pytest.fail(msg)
        pytest.skip(msg)
    browser = Chromium(executable, tmp_path_factory.mktemp("chromium"))
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots are kept: $NEWSEVENTS_ARTIFACTS, or a temporary folder."""
    configured = os.environ.get("NEWSEVENTS_ARTIFACTS")
    path = Path(configured) if configured else tmp_path_factory.mktemp("artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path
