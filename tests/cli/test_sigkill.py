#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""SIGKILL the recorder mid-session: the file still opens (report exits 0)
and the newest stored event is less than a second older than the kill, for a
workload that makes events continuously."""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_harness import check, fail, report_json, require_root, run  # noqa: E402

require_root()
cli, helper = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp(prefix="as-cli-kill-")
rec = os.path.join(work, "killed.agentsight")
# Every iteration forks, execs and opens a file: a steady stream of events.
script = f"i=0; while [ $i -lt 1500 ]; do i=$((i+1)); echo $i > {work}/f; sleep 0.01; done"
p = subprocess.Popen([cli, "record", "-o", rec, "--helper", helper, "--", "sh", "-c", script],
                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
# Wait until the session is well under way (the file exists and has events).
deadline = time.time() + 60
while time.time() < deadline and not os.path.exists(rec + "-wal"):
    time.sleep(0.1)
time.sleep(4)
if p.poll() is not None:
    fail("the recorder ended before it could be killed: " + p.stderr.read())
killed_boot = time.clock_gettime_ns(time.CLOCK_BOOTTIME)
os.kill(p.pid, signal.SIGKILL)
p.wait()
check(p.returncode == -signal.SIGKILL, "the recorder died of SIGKILL")

r = report_json(cli, rec)
check(r["summary"]["events"] > 100, f"the file opens and holds the events so far ({r['summary']['events']})")
check("ended" not in r["meta"], "no end time: the report can tell the recording was cut")
# The helper and the workload outlive the killed recorder; stop them, they are ours.
for t in r["targets"]:
    if t["kind"] == "command" and t["op"] == "added" and t["tgid"]:
        try:
            os.kill(t["tgid"], signal.SIGKILL)
        except ProcessLookupError:
            pass
helper_pid = r["meta"].get("helper_pid")
if helper_pid:
    try:
        os.kill(helper_pid, signal.SIGTERM)
    except ProcessLookupError:
        pass

import sqlite3  # noqa: E402
db = sqlite3.connect(f"file:{rec}?mode=ro", uri=True)
newest = db.execute("select max(ktime) from events").fetchone()[0]
missing = (killed_boot - newest) / 1e9
print(f"newest stored event is {missing * 1000:.0f} ms older than the kill")
check(0 <= missing < 1.0, f"at most the last second is missing ({missing:.3f} s)")
shutil.rmtree(work, ignore_errors=True)
print("PASS")
