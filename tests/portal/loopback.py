"""A small portal on the loopback (http.server in a thread) that records the calls it accepts."""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Recorder:
    def __init__(self):
        self.calls: list[tuple[str, dict]] = []
        self.fail_next = 0  # answer that many service calls with HTTP 503
        self.online: list[dict] = []
        self.lock = threading.Lock()

    def services(self, name: str | None = None) -> list[dict]:
        with self.lock:
            return [body for path, body in self.calls if path != "login" and (name is None or path == name)]


def _handler(recorder: Recorder):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def do_POST(self):  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            path = self.path.strip("/").removeprefix("api/")
            with recorder.lock:
                if path != "login" and recorder.fail_next:
                    recorder.fail_next -= 1
                    status, answer = 503, {"error_code": 503}
                elif path != "login" and body.get("session") != "phien-1":
                    status, answer = 401, {"error_code": 401}
                else:
                    recorder.calls.append((path, body))
                    status, answer = 200, {"error_code": 0}
                    if path == "login":
                        answer["session"] = "phien-1"
                    elif path == "LayDanhSachHoSoTrucTuyen":
                        answer["data"] = recorder.online
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


@contextmanager
def loopback_portal():
    """Yield (base URL, recorder) of a portal listening on 127.0.0.1 on a free port."""
    recorder = Recorder()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(recorder))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api", recorder
    finally:
        server.shutdown()
        server.server_close()
