"""The ``gkcheck serve`` command: where it listens, what it says (in Chinese), how it stops."""

from __future__ import annotations

import http.client
import re
import select
import signal
import socket
import subprocess
import sys

from web_helpers import child_env


def start(*args: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "checker", "serve", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=child_env())
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], 60)
    assert ready, "gkcheck serve printed nothing"
    return proc, proc.stdout.readline()


def stop(proc: subprocess.Popen[str]) -> tuple[str, str]:
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    return out, err


def test_listens_on_loopback_by_default_and_stops_cleanly() -> None:
    proc, line = start("--port", "0")
    try:
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert found and line.startswith("gkcheck 检查网页已启动：请在浏览器中打开"), line
        conn = http.client.HTTPConnection("127.0.0.1", int(found.group(1)), timeout=30)
        conn.request("GET", "/healthz")
        assert conn.getresponse().status == 200
        conn.close()
    finally:
        out, err = stop(proc)
    assert proc.returncode == 0 and "gkcheck 检查网页已停止。" in out
    assert "Traceback" not in err and "Uvicorn running" not in err and err.strip() == ""


def test_warns_when_listening_beyond_this_computer() -> None:
    proc, line = start("--host", "0.0.0.0", "--port", "0")
    try:
        assert "请在浏览器中打开 http://127.0.0.1:" in line
    finally:
        _, err = stop(proc)
    assert "注意：网页监听在 0.0.0.0 上，本机以外能连到这台电脑的人也可以打开它并上传文件" in err


def test_port_in_use_is_explained() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "checker", "serve", "--port", str(port)], env=child_env(),
                              capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"端口 {port} 已被占用" in done.stderr and "--port" in done.stderr
