# SPDX-License-Identifier: GPL-2.0-or-later
# A test client using CPython's ssl module (SSL_write_ex/SSL_read_ex in libssl).
import http.client
import ssl
import sys

port, token, body_path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
body = open(body_path, "rb").read()
ctx = ssl._create_unverified_context()
conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx)
conn.request("POST", "/python", body=body, headers={"X-Token": token, "Content-Type": "text/plain"})
resp = conn.getresponse()
print(resp.status, resp.read().decode())
