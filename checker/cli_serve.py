"""The ``gkcheck serve`` command: bind, say where the page is (in Chinese), run uvicorn."""

from __future__ import annotations

import ipaddress
import os
import socket
import webbrowser

import click

from checker.errors import InputError


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket, or InputError in words an officer can act on."""
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror:
        raise InputError(f"无法识别地址 {host}。通常不需要指定 --host，直接运行 gkcheck serve 即可。",
                         f"Unknown address {host}.") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno in (98, 48, 10048):  # EADDRINUSE (Linux, macOS, Windows)
            raise InputError(f"端口 {port} 已被占用：可能 gkcheck serve 已经在运行（请直接在浏览器中打开 "
                             f"http://127.0.0.1:{port}/），或请用 --port 换一个端口，例如 --port {port + 1}。",
                             f"Port {port} is in use; gkcheck serve may already be running, or choose --port.") from None
        raise InputError(f"无法在 {host}:{port} 上启动网页（{exc.strerror}）。请换一个端口（--port）后重试。",
                         f"Cannot listen on {host}:{port}: {exc.strerror}.") from None
    sock.set_inheritable(True)
    return sock


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听的地址。默认只有本机可以访问；改为其他地址会让其他电脑也能访问本网页")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="端口（0 表示任选一个空闲端口）")
@click.option("--workers", type=click.IntRange(1, 16), default=max(1, min(4, os.cpu_count() or 1)), show_default=True,
              help="同时进行的检查数，更多的上传排队等候")
@click.option("--open", "open_browser", is_flag=True, help="启动后在浏览器中打开网页")
def serve_command(host: str, port: int, workers: int, open_browser: bool) -> int:
    """在本机启动检查网页：在浏览器中拖入报告文件即可检查，并可下载带批注的 Word 文件。"""
    import uvicorn

    from checker.quiet import silence_libraries
    from checker.web.app import create_app

    silence_libraries()
    loopback = _is_loopback(host)
    sock = _bind(host, port)
    bound = sock.getsockname()[1]
    shown = f"[{host.strip('[]')}]" if ":" in host.strip("[]") else host
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown}:{bound}/"
    if not loopback:
        click.echo(f"注意：网页监听在 {host} 上，本机以外能连到这台电脑的人也可以打开它并上传文件。"
                   "请只在可信的内部网络中这样做；只在本机使用时，请不要指定 --host。", err=True)
    click.echo(f"gkcheck 检查网页已启动：请在浏览器中打开 {url}", err=False)
    click.echo("（文件只在本机检查，检查完立即删除。关闭本窗口或按 Ctrl+C 停止。）")
    config = uvicorn.Config(create_app(workers=workers, loopback_only=loopback), log_level="warning",
                            access_log=False, server_header=False, timeout_graceful_shutdown=5, lifespan="on")
    server = uvicorn.Server(config)
    if open_browser:
        webbrowser.open(url)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn stops gracefully on Ctrl+C, then raises it again: the usual way out
        pass
    finally:
        sock.close()
    click.echo("gkcheck 检查网页已停止。")
    return 0
