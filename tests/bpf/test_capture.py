#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The capture core end to end on the real kernel: a shell workload run under
the helper must show its argv, parent chain, opened paths with fds, its
loopback connect, and the TLS plaintext of curl, python and node in both
directions (a >64 KiB body complete), while an identical bystander workload
running at the same time shows up nowhere."""
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Helper, TlsEchoServer, check, fail, make_cert, require_root  # noqa: E402

require_root()
helper_bin = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
work = tempfile.mkdtemp(prefix="as-capture-")
crt, key = make_cert(work)
server = TlsEchoServer(crt, key)
plain = socket.socket()
plain.bind(("127.0.0.1", 0))
plain.listen(16)
plain_port = plain.getsockname()[1]
threading.Thread(target=lambda: [plain.accept() for _ in range(100)], daemon=True).start()

marker = os.path.join(work, "marker-" + secrets.token_hex(4) + ".txt")
with open(marker, "w") as f:
    f.write("marker\n")
body_path = os.path.join(work, "body.txt")
body = (secrets.token_hex(40 * 1024) + "END-OF-BODY").encode()  # 80 KiB + tail
with open(body_path, "wb") as f:
    f.write(body)


def env_for(token, tag):
    e = dict(os.environ)
    e.update(MARKER=marker, OUTFILE=os.path.join(work, f"out-{tag}.txt"), TOKEN=token, PLAIN_PORT=str(plain_port),
             TLS_PORT=str(server.port), BODY=body_path, HERE=here, PYTHON=sys.executable)
    return e


token = "tok-" + secrets.token_hex(8)
by_token = "bystander-" + secrets.token_hex(8)
by_pids = set()
by_done = threading.Event()


def bystander():
    # The same work at the same time, outside the traced tree.
    while not by_done.is_set():
        p = subprocess.Popen(["sh", "-c", 'echo $$ >> "$OUTFILE.pids"; exec sh "$HERE/workload.sh"'],
                             env=env_for(by_token, "bystander"), stdout=subprocess.DEVNULL)
        by_pids.add(p.pid)
        p.wait()


by_thread = threading.Thread(target=bystander, daemon=True)
by_thread.start()
helper = Helper(helper_bin, ["--", "sh", os.path.join(here, "workload.sh")], env=env_for(token, "traced"))
rc = helper.wait(180)
by_done.set()
by_thread.join(60)
print(helper.stderr())
check(rc == 0, f"helper exits 0 when the command ends (got {rc})")
ev = helper.events()
print(f"{len(ev.all)} records")

# --- processes: argv and parent chain
sh = [e for e in ev.exec_of("dash") + ev.exec_of("sh") + ev.exec_of("bash") if os.path.join(here, "workload.sh") in e["argv"]]
check(len(sh) == 1, "the workload shell's exec is seen once")
sh_tgid = sh[0]["tgid"]
cats = [e for e in ev.exec_of("cat") if e["argv"] == ["cat", marker]]
check(len(cats) == 1, f"cat's exec with argv ['cat', '{marker}']")
check(cats[0]["ppid"] == sh_tgid, "cat's parent is the workload shell")
forks = ev.of("fork", tgid=sh_tgid, child_tgid=cats[0]["tgid"])
check(len(forks) == 1 and not forks[0]["thread"], "the shell's fork of cat's process is seen")
check(cats[0]["cwd"] == os.getcwd(), f"cat's cwd is the test's cwd ({os.getcwd()})")

# --- files
opens = [e for e in ev.of("open", tgid=cats[0]["tgid"]) if e["path"] == marker]
check(len(opens) == 1 and opens[0]["result"] >= 0, "cat opens the marker file and gets an fd")
outfile = os.path.join(work, "out-traced.txt")
tee = [e for e in ev.exec_of("tee") if e["argv"] == ["tee", outfile]]
check(len(tee) == 1 and tee[0]["ppid"] == sh_tgid, "tee's exec with the output path, child of the shell")
writes = [e for e in ev.of("open", tgid=tee[0]["tgid"]) if e["path"] == outfile]
check(len(writes) == 1 and writes[0]["flags"] & os.O_CREAT and writes[0]["result"] >= 0,
      "tee opens the output file with O_CREAT and gets an fd")
written = sum(e["bytes_written"] for e in ev.of("file_io", tgid=tee[0]["tgid"], fd=writes[0]["result"]))
check(written == len(f"written by the agentsight capture test {token}\n"),
      f"bytes written to the output file are counted ({written})")

# --- network
connects = [e for e in ev.of("connect") if e["port"] == plain_port and e["addr"] == "127.0.0.1"]
check(len(connects) == 1 and connects[0]["result"] == 0, "the loopback connect with its address and result")

# --- TLS, per client
def client_tgid(pred):
    for e in ev.of("exec"):
        if pred(e):
            return e["tgid"]
    fail("client process not found")


clients = {
    "curl": client_tgid(lambda e: os.path.basename(e["filename"]) == "curl"),
    "python": client_tgid(lambda e: any(a.endswith("https_client.py") for a in e["argv"])),
    "node": client_tgid(lambda e: any(a.endswith("https_client.js") for a in e["argv"])),
}
for name, tgid in clients.items():
    sent = ev.tls_stream(tgid, "write")
    recv = ev.tls_stream(tgid, "read")
    sent_all = b"".join(sent.values())
    recv_all = b"".join(recv.values())
    check(f"X-Token: {token}-{name}".lower().encode() in sent_all.lower(), f"{name}: token in the captured request")
    check(body in sent_all, f"{name}: the {len(body)}-byte request body is captured complete")
    check(f'"echo":"{token}-{name}"'.encode() in recv_all, f"{name}: token in the captured response")
    tls_conn = [e for e in ev.of("connect", tgid=tgid) if e["port"] == server.port]
    fds = {e["fd"] for e in ev.of("tls_data", tgid=tgid)}
    check(len(tls_conn) == 1 and tls_conn[0]["result"] in (0, -115), f"{name}: the connect to the TLS server")
    if name == "node":
        # node feeds OpenSSL through memory BIOs: no socket syscall happens
        # inside SSL_read/SSL_write, so the fd is honestly unknown (-1).
        check(fds == {-1}, f"{name}: TLS records say the fd is unknown ({fds})")
    else:
        check(fds == {tls_conn[0]["fd"]}, f"{name}: TLS records carry the socket fd of the connect ({fds})")

attached = [e for e in ev.of("tls_attach") if e["status"] == 0]
check(any("libssl" in e["path"] for e in attached), "TLS probes attached to libssl")
check(any(e["path"].endswith("/node") for e in attached), "TLS probes attached to node")

# --- nothing from the bystander
with open(os.path.join(work, "out-bystander.txt.pids")) as f:
    by_pids |= {int(x) for x in f.read().split()}
check(len(by_pids) > 0, f"the bystander ran meanwhile ({len(by_pids)} runs)")
check(not (ev.tgids() & by_pids), "no record from a bystander process")
leaked = [e for e in ev.of("tls_data") if by_token.encode() in __import__("base64").b64decode(e["data_b64"])]
check(not leaked, "no bystander TLS plaintext")
check(not [e for e in ev.of("exec") if any("out-bystander" in a for a in e["argv"])], "no bystander exec (its curl writes to out-bystander)")
check(ev.lost() == 0, "nothing was lost")
shutil.rmtree(work, ignore_errors=True)
print("PASS")
