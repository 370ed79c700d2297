#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Each failure is a clear message and a distinct exit code, with nothing
half-attached: missing pid, command not found, socket in use, not root, a
non-root client targeting another user's process, wrong arguments."""
import os
import pwd
import socket
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, require_root  # noqa: E402

require_root()
helper = sys.argv[1]


def run(args, user=None, timeout=30):
    cmd = [helper] + args
    if user:
        cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"] + cmd
    p = subprocess.run(cmd, capture_output=True, timeout=timeout, text=True)
    return p.returncode, p.stderr


rc, err = run(["--jsonl", "-", "--pid", "999999"])
check(rc == 7 and "does not exist" in err, f"missing pid -> exit 7 ({rc}: {err.strip()})")
rc, err = run(["--jsonl", "-", "--", "no-such-command-xyz"])
check(rc == 8 and "command not found" in err, f"command not found -> exit 8 ({rc}: {err.strip()})")
rc, err = run(["--jsonl", "-", "--pid", "abc"])
check(rc == 2 and "invalid pid" in err, "bad arguments -> exit 2 with the reason")
rc, err = run([])
check(rc == 2 and "no target" in err, "no arguments -> exit 2 with usage")

nobody = pwd.getpwnam("nobody").pw_uid
rc, err = run(["--jsonl", "/dev/null", "--", "true"], user=nobody)
check(rc == 3 and "needs root" in err, f"not root -> exit 3 ({rc}: {err.strip()})")

# A non-root client may not trace another user's process (pid 1 is root's).
rc, err = run(["--jsonl", "/dev/null", "--uid", str(nobody), "--pid", "1"])
check(rc == 12 and "may trace only its own" in err, f"another user's pid -> exit 12 ({rc}: {err.strip()})")

# A socket path held by a live listener is refused, not stolen.
path = os.path.join(tempfile.mkdtemp(), "busy.sock")
s = socket.socket(socket.AF_UNIX)
s.bind(path)
s.listen(1)
rc, err = run(["--socket", path, "--", "true"])
check(rc == 9 and "in use" in err, f"socket in use -> exit 9 ({rc}: {err.strip()})")
c = socket.socket(socket.AF_UNIX)
c.connect(path)
check(True, "the busy socket still belongs to its owner (not unlinked or taken over)")
c.close()
s.close()
# A stale socket file (a crashed helper) is replaced, not an error.
rc, err = run(["--socket", path, "--grace", "0", "--", "true"])
check(rc in (0, 11) and not os.path.exists(path), f"a stale socket file is reused and removed at exit ({rc}: {err.strip()})")
print("PASS")
