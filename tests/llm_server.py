"""A scripted OpenAI-compatible server on 127.0.0.1 for the LLM tests: it answers every
`/v1/chat/completions` with the reply it was given (streamed as server-sent events, or as one
JSON body), or misbehaves on request (malformed JSON, an HTTP error, a refusal, a stall). It
records each request so tests can read the prompt that was sent."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Script:
    def __init__(self):
        self.reply = "NOT IN THE PASSAGES"
        self.mode = "ok"  # ok, malformed, http500, refuse, stall, bad_stream
        self.model = "scripted-model"
        self.chunk = 7  # characters a streamed piece
        self.stall_s = 3.0
        self.delay_s = 0.0  # between streamed pieces
        self.requests: list[dict] = []
        self.respond = None  # a function(request body) -> reply text, instead of the fixed `reply`


def _handler(script: Script):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            script.requests.append({"path": self.path, "body": body, "headers": dict(self.headers)})
            if script.mode == "http500":
                return self._send(500, b'{"error": "boom"}', "application/json")
            if script.mode == "malformed":
                return self._send(200, b"<html>not json</html>", "application/json")
            if script.mode == "stall":
                time.sleep(script.stall_s)
            if script.mode == "refuse":
                msg = {"role": "assistant", "content": None, "refusal": "I can't help with that."}
                return self._send(200, json.dumps({"model": script.model, "choices": [
                    {"index": 0, "message": msg, "finish_reason": "stop"}]}).encode(), "application/json")
            reply = script.respond(body) if script.respond else script.reply
            if body.get("stream"):
                return self._stream(reply)
            data = {"model": script.model, "choices": [
                {"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}]}
            self._send(200, json.dumps(data).encode(), "application/json")

        def _send(self, code, payload: bytes, kind: str):
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _stream(self, text: str):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            if script.mode == "bad_stream":
                self.wfile.write(b"data: {not json\n\n")
                return
            for i in range(0, len(text), script.chunk):
                piece = {"model": script.model, "choices": [{"index": 0, "delta": {"content": text[i:i + script.chunk]},
                                                             "finish_reason": None}]}
                self.wfile.write(b"data: " + json.dumps(piece).encode() + b"\n\n")
                self.wfile.flush()
                time.sleep(script.delay_s)
            end = {"model": script.model, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
            self.wfile.write(b"data: " + json.dumps(end).encode() + b"\n\ndata: [DONE]\n\n")

    return Handler


class _Quiet(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # a client that hung up (the timeout tests) is expected
        pass


class ScriptedServer:
    def __init__(self):
        self.script = Script()
        self.httpd = _Quiet(("127.0.0.1", 0), _handler(self.script))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


if __name__ == "__main__":  # python -m tests.llm_server "REPLY": serve one scripted reply by hand
    import sys

    with ScriptedServer() as server:
        server.script.reply = sys.argv[1] if len(sys.argv) > 1 else server.script.reply
        print(server.url, flush=True)
        threading.Event().wait()
