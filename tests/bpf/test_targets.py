#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Targets and the tracked set on the real kernel: --pid follows a running
process and the descendants it already had (snapshot records) and new ones
(fork inherits); --comm follows only processes with that name; a tracked
set empties as the processes exit."""
import os
import pwd
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Helper, check, require_root, wait_for  # noqa: E402

require_root()
helper_bin = sys.argv[1]

# --- --pid: a shell that already has a child, then makes new ones.
tree = subprocess.Popen(["sh", "-c", "sleep 30 & read line; ls /proc/self > /dev/null; echo done"],
                        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
time.sleep(0.5)
children = [int(p) for p in open(f"/proc/{tree.pid}/task/{tree.pid}/children").read().split()]
check(len(children) == 1, "the target shell has one existing child (sleep)")
h = Helper(helper_bin, ["--pid", str(tree.pid)])
wait_for(lambda: os.path.exists(h.jsonl) and os.path.getsize(h.jsonl) > 0, what="helper output")
time.sleep(1.0)
tree.stdin.write(b"go\n")
tree.stdin.flush()
tree.wait()
subprocess.run(["kill", str(children[0])])
rc = h.wait(30)
check(rc == 0, f"the helper ends when its pid target exits ({rc}): {h.stderr().strip()}")
ev = h.events()
snaps = {e["tgid"]: e for e in ev.of("exec") if e.get("flags", 0) & 2}
check(tree.pid in snaps and snaps[tree.pid]["argv"][0] == "sh", "a snapshot record for the running target")
check(children[0] in snaps and snaps[children[0]]["argv"] == ["sleep", "30"] and snaps[children[0]]["ppid"] == tree.pid,
      "a snapshot record for its existing child with argv and ppid")
ls = [e for e in ev.exec_of("ls") if e["argv"] == ["ls", "/proc/self"]]
check(len(ls) == 1 and ls[0]["ppid"] == tree.pid, "a child forked after attach is followed (fork inherits)")
exits = ev.of("exit", tgid=tree.pid, process=True)
check(len(exits) == 1 and exits[0]["exit_code"] == 0, "the target's exit with its code")
targets = [e for e in ev.of("target") if e["tgid"] == tree.pid]
check([t["op"] for t in targets] == [1, 3], "target added, then exited")

# --- --comm: only processes with that name, wherever they start.
name = "as-comm-probe"
script = f"/tmp/{name}"
with open(script, "w") as f:
    f.write("#!/bin/sh\ncat /etc/hostname > /dev/null\nexit 3\n")
os.chmod(script, 0o755)
h = Helper(helper_bin, ["--comm", name])
wait_for(lambda: os.path.exists(h.jsonl) and os.path.getsize(h.jsonl) > 0, what="helper output")
time.sleep(0.5)
subprocess.run(["sh", "-c", "cat /etc/hostname > /dev/null"])  # not a match
p = subprocess.run([script])
check(p.returncode == 3, "the matching program ran normally")
time.sleep(0.5)
h.stop()
ev = h.events()
mine = [e for e in ev.of("exec") if e["filename"] == script]
check(len(mine) == 1, "the process named like the --comm target is followed")
cats = ev.exec_of("cat")
check(len(cats) == 1 and cats[0]["ppid"] == mine[0]["tgid"], "its child is followed; the other cat is not")
ex = ev.of("exit", tgid=mine[0]["tgid"], process=True)
check(len(ex) == 1 and ex[0]["exit_code"] == 3, "its exit code 3")
others = {e["tgid"] for e in ev.all if e["type"] not in ("target", "lost", "tls_attach")} - {mine[0]["tgid"], cats[0]["tgid"]}
check(not others, f"nothing from processes with other names ({others})")
os.unlink(script)

# --- a command run as the invoking (non-root) user, as under pkexec/sudo:
# it must run (not stay held) and as that uid.
nobody = pwd.getpwnam("nobody").pw_uid
h = Helper(helper_bin, ["--uid", str(nobody), "--", "sh", "-c", "id -u > /dev/null; cat /etc/hostname > /dev/null"])
rc = h.wait(30)
check(rc == 0, f"a command started for uid {nobody} runs to completion ({rc}) {h.stderr().strip()}")
ev = h.events()
sh_exec = [e for e in ev.of("exec") if e["argv"][:2] == ["sh", "-c"]]
check(len(sh_exec) == 1 and sh_exec[0]["uid"] == nobody, "it runs as that uid")
check(len(ev.exec_of("cat")) == 1, "its children are traced")
print("PASS")
