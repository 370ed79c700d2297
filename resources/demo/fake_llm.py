#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A local stand-in for the internet: an HTTPS server that speaks the
Anthropic Messages API (streaming SSE) from a scripted scenario, and serves
web pages for the agent's fetch tool. It stands in for the LLM provider, not
for any AgentSight code. Python standard library only.

    fake_llm.py --scenario scenarios/demo.json [--port 0] [--cert-dir DIR]

Prints one JSON line on stdout when ready: {"port": N, "ca": "/path/cert.pem"}.
The turn to play is the number of assistant messages already in the request,
so the agent's loop (call -> tool_use -> tool_result -> call) advances it.
"""
import argparse
import json
import os
import ssl
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def make_cert(d):
    key, crt = os.path.join(d, "key.pem"), os.path.join(d, "cert.pem")
    if not os.path.exists(crt):
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", crt,
                        "-days", "30", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                       check=True, capture_output=True)
    return crt, key


def sse(event, data):
    return f"event: {event}\ndata: {json.dumps(data)}\n\n".encode()


def chunks(s, n):
    return [s[i:i + n] for i in range(0, len(s), n)] or [""]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    scenario = {}
    variables = {}

    def log_message(self, fmt, *args):
        if os.environ.get("FAKE_LLM_VERBOSE"):
            sys.stderr.write("fake_llm: " + fmt % args + "\n")

    def expand(self, value):
        if isinstance(value, str):
            for k, v in self.variables.items():
                value = value.replace("{" + k + "}", v)
            return value
        if isinstance(value, list):
            return [self.expand(v) for v in value]
        if isinstance(value, dict):
            return {k: self.expand(v) for k, v in value.items()}
        return value

    def do_GET(self):
        pages = self.scenario.get("pages", {})
        if self.path in pages:
            body = self.expand(pages[self.path]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
        else:
            body = b"not found"
            self.send_response(404)
            self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_HEAD(self):
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        req = json.loads(self.rfile.read(n) or b"{}")
        if not self.path.startswith("/v1/messages"):
            self.send_error(404)
            return
        turns = self.scenario["turns"]
        index = sum(1 for m in req.get("messages", []) if m.get("role") == "assistant")
        turn = self.expand(turns[min(index, len(turns) - 1)])
        self.stream(req.get("model", "claude-sonnet-4-5"), turn, index)

    def stream(self, model, turn, index):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def send(b):
            self.wfile.write(f"{len(b):x}\r\n".encode() + b + b"\r\n")
            self.wfile.flush()

        usage_in = 1200 + 300 * index
        send(sse("message_start", {"type": "message_start", "message": {
            "id": f"msg_demo_{index}", "type": "message", "role": "assistant", "model": model, "content": [],
            "stop_reason": None, "usage": {"input_tokens": usage_in, "output_tokens": 1,
                                           "cache_read_input_tokens": 800, "cache_creation_input_tokens": 0}}}))
        block = 0
        out_tokens = 0
        if turn.get("text"):
            send(sse("content_block_start", {"type": "content_block_start", "index": block,
                                             "content_block": {"type": "text", "text": ""}}))
            for piece in chunks(turn["text"], 12):
                send(sse("content_block_delta", {"type": "content_block_delta", "index": block,
                                                 "delta": {"type": "text_delta", "text": piece}}))
                out_tokens += 3
            send(sse("content_block_stop", {"type": "content_block_stop", "index": block}))
            block += 1
        for i, call in enumerate(turn.get("tool_calls", [])):
            send(sse("content_block_start", {"type": "content_block_start", "index": block, "content_block": {
                "type": "tool_use", "id": f"toolu_demo_{index}_{i}", "name": call["name"], "input": {}}}))
            for piece in chunks(json.dumps(call["input"]), 16):
                send(sse("content_block_delta", {"type": "content_block_delta", "index": block,
                                                 "delta": {"type": "input_json_delta", "partial_json": piece}}))
                out_tokens += 4
            send(sse("content_block_stop", {"type": "content_block_stop", "index": block}))
            block += 1
        stop = "tool_use" if turn.get("tool_calls") else "end_turn"
        send(sse("message_delta", {"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": None},
                                   "usage": {"output_tokens": out_tokens}}))
        send(sse("message_stop", {"type": "message_stop"}))
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--cert-dir", default=None)
    ap.add_argument("--var", action="append", default=[], help="NAME=VALUE substituted for {NAME} in the scenario")
    args = ap.parse_args()
    cert_dir = args.cert_dir or tempfile.mkdtemp(prefix="fake-llm-")
    os.makedirs(cert_dir, exist_ok=True)
    crt, key = make_cert(cert_dir)
    with open(args.scenario) as f:
        Handler.scenario = json.load(f)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    port = server.server_address[1]
    Handler.variables = dict(v.split("=", 1) for v in args.var)
    Handler.variables["base_url"] = f"https://127.0.0.1:{port}"
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(crt, key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    print(json.dumps({"port": port, "ca": crt}), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
