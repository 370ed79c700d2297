#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""HTTP/2 as the app sees it, from real captured bytes: curl --http2 makes two
multiplexed requests on one TLS connection to node's HTTP/2 server; the
helper captures curl's plaintext (HTTP/2 frames, HPACK-compressed headers)
and the app's decoders (decode_capture) must recover both exchanges: method,
path, authority, the token header, status, response body."""
import json
import os
import secrets
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Helper, check, make_cert, require_root  # noqa: E402

require_root()
helper_bin, decode_bin = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
work = tempfile.mkdtemp(prefix="as-h2-")
crt, key = make_cert(work)
server = subprocess.Popen(["node", os.path.join(here, "h2_server.js"), crt, key], stdout=subprocess.PIPE, text=True)
port = int(server.stdout.readline())
token = "h2tok-" + secrets.token_hex(6)
body = os.path.join(work, "body.json")
with open(body, "w") as f:
    f.write(json.dumps({"prompt": "x" * 40000}))
helper = Helper(helper_bin, ["--", "curl", "-sk", "--http2", "--parallel",
                             "-H", f"X-Token: {token}", "--data-binary", f"@{body}",
                             f"https://127.0.0.1:{port}/v1/first", f"https://127.0.0.1:{port}/v1/second",
                             "-o", "/dev/null", "-o", "/dev/null"])
rc = helper.wait(60)
server.kill()
check(rc == 0, f"helper exit 0 ({rc}) {helper.stderr().strip()}")
out = subprocess.run([decode_bin, helper.jsonl], capture_output=True, text=True, check=True).stdout
lines = [json.loads(l) for l in out.splitlines() if l.strip()]
xs = [l for l in lines if "request" in l]
for l in lines:
    print(json.dumps(l)[:300])
check(len(xs) == 2, f"two HTTP/2 exchanges decoded ({len(xs)})")
paths = sorted(x["request"]["target"] for x in xs)
check(paths == ["/v1/first", "/v1/second"], f"both paths recovered from HPACK ({paths})")
check(len({x["conn"] for x in xs}) == 1 and len({x["stream"] for x in xs}) == 2, "one connection, two streams")
for x in xs:
    req, resp = x["request"], x.get("response", {})
    check(req["version"] == "HTTP/2" and req["method"] == "POST", "HTTP/2 POST")
    check(req["authority"] == f"127.0.0.1:{port}", "the :authority")
    check(req["headers"].get("x-token") == token, "the token header decoded by HPACK")
    check(len(req["body"]) > 40000, "the whole request body (DATA frames reassembled)")
    check(resp.get("status") == 200, "status 200")
    check(json.loads(resp["body"]) == {"echo": token, "path": req["target"], "received": len(req["body"])},
          "the response body echoes this stream's token, path and size")
    check(not x["error"], "no decode error")
print("PASS")
