# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared pieces of the root-only tests that run the real helper on the real
kernel: start/stop the helper, read its JSON lines, a local TLS server, and a
self-signed certificate. Nothing here fakes a kernel event."""
import base64
import json
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

SKIP = 77  # ctest SKIP_RETURN_CODE


def require_root():
    if os.geteuid() != 0:
        print("SKIP: eBPF tests need root (CI runs them as root)")
        sys.exit(SKIP)
    if not os.path.exists("/sys/kernel/btf/vmlinux"):
        print("SKIP: kernel without BTF")
        sys.exit(SKIP)


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)
    print("ok -", msg)


class Events:
    """The helper's JSON lines, with helpers to query them."""

    def __init__(self, path):
        self.all = []
        with open(path, "rb") as f:
            for line in f:
                line = line.strip()
                if line:
                    self.all.append(json.loads(line))

    def of(self, type_, **kw):
        out = []
        for e in self.all:
            if e["type"] != type_:
                continue
            if all(e.get(k) == v for k, v in kw.items()):
                out.append(e)
        return out

    def tgids(self):
        return {e["tgid"] for e in self.all if e["type"] not in ("lost", "target")}

    def exec_of(self, basename):
        return [e for e in self.of("exec") if os.path.basename(e["filename"]) == basename]

    def tls_stream(self, tgid, direction):
        """Reassembled plaintext per connection for one process and direction,
        checking that each call's chunks are contiguous and complete."""
        calls = {}
        for e in self.of("tls_data", tgid=tgid, dir=direction):
            calls.setdefault((e["conn"], e["call_id"]), []).append(e)
        streams = {}
        for (conn, call), chunks in sorted(calls.items(), key=lambda kv: kv[1][0]["seq"]):
            chunks.sort(key=lambda c: c["offset"])
            data = b""
            for c in chunks:
                if c["offset"] != len(data):
                    fail(f"tls call {call}: chunk at offset {c['offset']} after {len(data)} bytes")
                data += base64.b64decode(c["data_b64"])
            total = chunks[0]["total_len"]
            dropped = chunks[-1]["dropped"]
            if len(data) + dropped != total:
                fail(f"tls call {call}: {len(data)} bytes + {dropped} dropped != total {total}")
            streams[conn] = streams.get(conn, b"") + data
        return streams

    def lost(self, source=None):
        return sum(e["count"] for e in self.of("lost") if source is None or e["source"] == source)


def make_cert(dirpath):
    key, crt = os.path.join(dirpath, "key.pem"), os.path.join(dirpath, "cert.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", crt,
                    "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True)
    return crt, key


class TlsEchoServer:
    """HTTPS/1.1 server on 127.0.0.1 (not traced): reads one request with its
    Content-Length body and answers with a body that echoes the X-Token header
    and the request size, so the captured read direction can be checked."""

    def __init__(self, crt, key):
        self.ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ctx.load_cert_chain(crt, key)
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.requests = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

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
            headers = {}
            for line in head.split(b"\r\n")[1:]:
                k, _, v = line.partition(b":")
                headers[k.strip().lower()] = v.strip()
            n = int(headers.get(b"content-length", b"0"))
            while len(body) < n:
                d = conn.recv(65536)
                if not d:
                    break
                body += d
            self.requests.append((head, body))
            token = headers.get(b"x-token", b"none")
            payload = b'{"echo":"' + token + b'","received":' + str(len(body)).encode() + b"}"
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                         str(len(payload)).encode() + b"\r\nConnection: close\r\n\r\n" + payload)
            conn.close()
        except Exception as exc:  # a client that gave up is not the server's problem
            print("server:", exc)


class Helper:
    """Runs agentsight-helper with --jsonl into a temp file."""

    def __init__(self, binary, args, jsonl=None, env=None):
        self.jsonl = jsonl or tempfile.mktemp(prefix="as-", suffix=".jsonl")
        self.stderr_path = self.jsonl + ".stderr"
        self.proc = subprocess.Popen([binary, "--jsonl", self.jsonl] + args, stdout=subprocess.DEVNULL,
                                     stderr=open(self.stderr_path, "wb"), env=env)

    def wait(self, timeout=120):
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            fail(f"helper did not finish in {timeout}s; stderr: {self.stderr()}")
        return rc

    def stop(self):
        self.proc.send_signal(2)
        return self.wait(30)

    def stderr(self):
        with open(self.stderr_path, "rb") as f:
            return f.read().decode(errors="replace")

    def events(self):
        return Events(self.jsonl)


def wait_for(pred, timeout=10, what="condition"):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return
        time.sleep(0.05)
    fail(f"timed out waiting for {what}")
