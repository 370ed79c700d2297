#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Ctrl-C, as a terminal sends it (SIGINT to the whole foreground process
group): the recorder stops the helper, keeps what was captured, writes the
end of the recording and exits 0 promptly."""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_harness import check, fail, report_json, require_root  # noqa: E402

require_root()
cli, helper = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp(prefix="as-cli-stop-")
rec = os.path.join(work, "stopped.agentsight")
marker = os.path.join(work, "started")
p = subprocess.Popen([cli, "record", "-o", rec, "--helper", helper, "--", "sh", "-c",
                      f"echo up > {marker}; exec sleep 60"],
                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
deadline = time.time() + 60
while time.time() < deadline and not os.path.exists(marker):
    if p.poll() is not None:
        fail("the recorder ended early: " + p.stderr.read())
    time.sleep(0.05)
time.sleep(0.5)
t0 = time.time()
os.killpg(p.pid, signal.SIGINT)
try:
    rc = p.wait(30)
except subprocess.TimeoutExpired:
    os.killpg(p.pid, signal.SIGKILL)
    fail("the recorder did not stop within 30 s of Ctrl-C")
err = p.stderr.read()
print(err)
elapsed = time.time() - t0
check(rc == 0, f"exit 0 after Ctrl-C ({rc})")
check(elapsed < 4, f"stopped promptly ({elapsed:.1f} s)")
check("Recorded to " + rec in err, "the summary is printed")
r = report_json(cli, rec)
check("ended" in r["meta"], "the recording has its end")
check(marker in {f["path"] for f in r["files_written"]}, "what happened before Ctrl-C is in the file")
check(any(pr["argv"] == ["sleep", "60"] for pr in r["processes"]), "the exec of the command's sleep")
shutil.rmtree(work, ignore_errors=True)
print("PASS")
