# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared pieces of the CLI tests: checks, running the CLI, a local fake
Anthropic API over real TLS (python ssl, not traced) that answers with a
recorded SSE stream from tests/data/llm."""
import json
import os
import socket
import ssl
import subprocess
import sys
import threading

SKIP = 77


# Checks and the test certificate are shared with the eBPF tests.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bpf"))
from harness import check, fail, make_cert  # noqa: E402,F401


def require_root():
    if os.geteuid() != 0:
        print("SKIP: recording needs root for the eBPF helper (CI runs these as root)")
        sys.exit(SKIP)
    if not os.path.exists("/sys/kernel/btf/vmlinux"):
        print("SKIP: kernel without BTF")
        sys.exit(SKIP)


def run(cmd, timeout=180, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    return p.returncode, p.stdout, p.stderr


def report_json(cli, path):
    rc, out, err = run([cli, "report", path, "--json"])
    if rc != 0:
        fail(f"report --json failed ({rc}): {err}")
    return json.loads(out)


class FakeAnthropic:
    """HTTPS/1.1 on 127.0.0.1: reads one request (Content-Length body), answers
    200 text/event-stream with the fixture's SSE bytes, closes (close-delimited)."""

    def __init__(self, crt, key, sse_bytes):
        self.sse = sse_bytes
        self.ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ctx.load_cert_chain(crt, key)
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.requests = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                raw, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(raw,), daemon=True).start()

    def _handle(self, raw):
        try:
            conn = self.ctx.wrap_socket(raw, server_side=True)
            buf = b""
            while b"\r\n\r\n" not in buf:
                d = conn.recv(65536)
                if not d:
                    return
                buf += d
            head, body = buf.split(b"\r\n\r\n", 1)
            n = 0
            for line in head.split(b"\r\n")[1:]:
                k, _, v = line.partition(b":")
                if k.strip().lower() == b"content-length":
                    n = int(v.strip())
            while len(body) < n:
                d = conn.recv(65536)
                if not d:
                    break
                body += d
            self.requests.append((head, body))
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
                         b"Connection: close\r\n\r\n")
            # A few writes, as a streaming server would.
            step = max(1, len(self.sse) // 5)
            for i in range(0, len(self.sse), step):
                conn.sendall(self.sse[i:i + step])
            conn.close()
        except Exception as exc:  # a client that gave up is not the server's problem
            print("server:", exc)


CLIENT = r'''
import http.client, ssl, sys
port, ca, body_path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
ctx = ssl.create_default_context(cafile=ca)
conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx)
body = open(body_path, "rb").read()
conn.request("POST", "/v1/messages?beta=true", body=body,
             headers={"Host": "api.anthropic.com", "Content-Type": "application/json",
                      "x-api-key": "sk-ant-cli-test-secret", "anthropic-version": "2023-06-01"})
resp = conn.getresponse()
data = resp.read()
print(resp.status, len(data))
'''
