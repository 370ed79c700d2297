#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The socket protocol with the real helper: hello first with our versions,
the command held until a client is connected, events batched in frames,
READY and BYE; a peer of another uid is refused (SO_PEERCRED) even when the
file mode would let it in; a client can add a pid at run time."""
import os
import pwd
import socket
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, fail, require_root  # noqa: E402

require_root()
helper_bin = sys.argv[1]
MAGIC = 0x54484749534741
HELLO, EVENTS, ERROR, LOG, READY, STATS, BYE = 1, 2, 3, 4, 5, 6, 7
ADD_PID = 32

work = tempfile.mkdtemp(prefix="as-socket-")
os.chmod(work, 0o755)  # let the other uid reach the socket; the socket's own mode and the uid check decide
path = os.path.join(work, "helper.sock")
bystander = subprocess.Popen(["sleep", "30"])
helper = subprocess.Popen([helper_bin, "--socket", path, "--wait-client", "--grace", "20", "--",
                           "sh", "-c", "sleep 1.5; cat /etc/hostname > /dev/null"],
                          stderr=subprocess.PIPE, text=True)
deadline = time.time() + 20
while not os.path.exists(path):
    if time.time() > deadline or helper.poll() is not None:
        fail("helper did not create its socket: " + (helper.stderr.read() if helper.poll() is not None else ""))
    time.sleep(0.05)
check(os.stat(path).st_mode & 0o777 == 0o600, "the socket is created 0600")

# Another uid is refused by the peer check even when the mode lets it connect.
os.chmod(path, 0o666)
nobody = pwd.getpwnam("nobody").pw_uid
# /usr/bin/python3: the test interpreter may live where nobody cannot read.
probe = subprocess.run(["/usr/bin/python3", "-c", f"""
import socket,struct
s=socket.socket(socket.AF_UNIX); s.connect({path!r})
d=s.recv(65536); n,k,f=struct.unpack('<IHH',d[:8]); print(k, d[16:16+200].decode(errors='replace'))
"""], user=nobody, capture_output=True, text=True, timeout=10)
check(probe.stdout.startswith(f"{ERROR} ") and "may not use this helper" in probe.stdout,
      f"a peer with another uid gets an error frame and is dropped ({probe.stdout.strip()} {probe.stderr.strip()})")
os.chmod(path, 0o600)

s = socket.socket(socket.AF_UNIX)
s.connect(path)
buf = b""


def frames():
    global buf
    while True:
        while len(buf) >= 8:
            n, kind, flags = struct.unpack("<IHH", buf[:8])
            if len(buf) < 8 + n:
                break
            payload, buf = buf[8:8 + n], buf[8 + n:]
            yield kind, payload
        d = s.recv(1 << 20)
        if not d:
            return
        buf += d


it = frames()
kind, payload = next(it)
check(kind == HELLO, "the first frame is HELLO")
magic, pmaj, pmin, smaj, smin, b2w, hpid, uid, ring, cap = struct.unpack("<QHHHHqIIII", payload[:40])
check(magic == MAGIC and pmaj == 1 and smaj == 1, "hello carries our magic and versions")
check(hpid == helper.pid and cap == 4 << 20, "hello carries the helper pid and the TLS cap")
check(abs((time.clock_gettime_ns(time.CLOCK_BOOTTIME) + b2w) - time.time_ns()) < 50_000_000,
      "boot-to-wall anchor converts kernel time to wall time within 50 ms")

# Add a process at run time; its snapshot record must follow.
s.sendall(struct.pack("<IHHI", 4, ADD_PID, 0, bystander.pid))
seen = {"ready": False, "bye": None, "cat_exec": False, "added_snapshot": False, "added_exited": False, "records": 0}
for kind, payload in it:
    if kind == READY:
        seen["ready"] = True
    elif kind == BYE:
        seen["bye"] = struct.unpack("<I", payload[:4])[0]
    elif kind == EVENTS:
        off = 0
        while off < len(payload):
            typ, flags, size = struct.unpack("<HHI", payload[off:off + 8])
            tgid = struct.unpack("<I", payload[off + 24:off + 28])[0]
            if size < 32 or off + size > len(payload):
                fail("bad record size in an events frame")
            rec = payload[off:off + size]
            if typ == 1:
                fname_len, argv_len, cwd_len = struct.unpack("<HHH", rec[56:62])
                filename = rec[80:80 + fname_len]
                if filename.endswith(b"/cat"):
                    seen["cat_exec"] = True
                if tgid == bystander.pid and flags & 2:
                    seen["added_snapshot"] = True
                    bystander.kill()  # the helper must notice the added target's exit
            if typ == 42 and tgid == bystander.pid:
                kind_, op = struct.unpack("<II", rec[32:40])
                if op == 3:
                    seen["added_exited"] = True
            seen["records"] += 1
            off += size
    elif kind == ERROR:
        fail("helper sent an error frame: " + payload[8:].decode(errors="replace"))
rc = helper.wait(30)
bystander.kill()
check(seen["ready"], "READY is sent once the command is released")
check(seen["cat_exec"], "the command's child exec arrives over the socket")
check(seen["added_snapshot"], "a pid added at run time is tracked (its snapshot record arrives)")
check(seen["added_exited"], "the added target's exit is reported")
check(seen["bye"] == 0 and rc == 0, f"BYE with code 0 and helper exit 0 ({seen['bye']}, {rc})")
print(f"{seen['records']} records over the socket")
print("PASS")
