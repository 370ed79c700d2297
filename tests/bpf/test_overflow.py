#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""No silent loss: with a 4 KiB ring and the helper paused (SIGSTOP) during
a burst of opens, the ring overflows for certain. Every record the kernel
could not deliver must be reported: records received plus records reported
lost equals the records the workload generated (the file collector's
sequence number of a sentinel event sent after the burst)."""
import os
import signal
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Helper, check, require_root  # noqa: E402

require_root()
work = tempfile.mkdtemp(prefix="as-overflow-")
burst = 20000
sentinel = os.path.join(work, "sentinel")
go, done = os.path.join(work, "go"), os.path.join(work, "done")
script = f"""
import os, time
while not os.path.exists({go!r}):
    time.sleep(0.01)
for i in range({burst}):
    fd = os.open("/dev/null", os.O_RDONLY)
    os.close(fd)
open({done!r}, "w").close()
time.sleep(1.0)   # the test resumes the helper, which drains the ring
fd = os.open({sentinel!r}, os.O_CREAT | os.O_WRONLY, 0o600)
os.close(fd)
"""
helper = Helper(sys.argv[1], ["--ring-size", "4096", "--", sys.executable, "-c", script])
# Pause the reader once the workload waits for its go, so the burst meets a full ring.
time.sleep(2.0)
helper.proc.send_signal(signal.SIGSTOP)
open(go, "w").close()
deadline = time.time() + 60
while not os.path.exists(done) and time.time() < deadline:
    time.sleep(0.05)
helper.proc.send_signal(signal.SIGCONT)
rc = helper.wait(120)
print(helper.stderr())
check(rc == 0, f"helper exits 0 ({rc})")
ev = helper.events()
FILE = 1
file_records = [e for e in ev.all if e["type"] in ("open", "unlink", "rename", "mkdir", "chmod", "file_io")]
sent = [e for e in ev.of("open") if e["path"] == sentinel]
check(len(sent) == 1, "the sentinel open after the burst arrives")
generated = sent[0]["seq"]
# Records after the sentinel (its close, the exit flush) are not part of the count.
received = len([e for e in file_records if e["seq"] <= generated])
lost = ev.lost(FILE)
print(f"generated {generated}, received {received}, reported lost {lost}")
check(lost > 0, "the 4 KiB ring overflowed (the test exercises loss)")
check(received + lost == generated, "received + reported lost == generated: every drop is counted")
seqs = sorted(e["seq"] for e in file_records)
check(len(set(seqs)) == len(seqs), "no file record delivered twice")
check(all(e["reason"] == 1 for e in ev.of("lost")), "losses are attributed to the kernel ring")
print("PASS")
