#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Wrong arguments get a clear message and exit 2; unreadable files exit 1
with a message saying what is wrong. Needs no root."""
import os
import shutil
import sqlite3
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_harness import check, run  # noqa: E402

cli = sys.argv[1]
work = tempfile.mkdtemp(prefix="as-cli-usage-")

for args, needle in [
    ([], "missing command"),
    (["frobnicate"], "unknown command 'frobnicate'"),
    (["record"], "nothing to record"),
    (["record", "--pid", "abc"], "--pid needs a process id"),
    (["record", "--pid"], "--pid needs a value"),
    (["record", "--", ], "-- must be followed by a command"),
    (["record", "--bogus", "--", "true"], "unknown option --bogus"),
    (["report"], "which recording"),
    (["report", "a", "b"], "unexpected argument b"),
    (["report", "x", "--yaml"], "unknown option --yaml"),
    (["export", "x"], "needs an input file and -o OUTPUT"),
    (["import", "-o"], "-o needs a file"),
]:
    rc, out, err = run([cli] + args)
    check(rc == 2 and needle in err and "Usage:" in err, f"agentsight {' '.join(args)!s} -> exit 2, '{needle}'")

rc, out, err = run([cli, "--help"])
check(rc == 0 and "agentsight record" in out, "--help prints the usage and exits 0")

notrec = os.path.join(work, "notes.txt")
with open(notrec, "w") as f:
    f.write("just some text, long enough to not be empty\n" * 200)
rc, out, err = run([cli, "report", notrec])
check(rc == 1 and "not an AgentSight recording" in err, f"report on a text file: clear error ({err.strip()})")

foreign = os.path.join(work, "other.db")
db = sqlite3.connect(foreign)
db.execute("create table t(x)")
db.commit()
db.close()
rc, out, err = run([cli, "report", foreign])
check(rc == 1 and "another application" in err, f"report on another app's SQLite file ({err.strip()})")

rc, out, err = run([cli, "report", os.path.join(work, "missing.agentsight")])
check(rc == 1 and "no such file" in err, "report on a missing file")

rc, out, err = run([cli, "import", notrec, "-o", os.path.join(work, "x.agentsight")])
check(rc == 1 and "not an AgentSight JSON lines export" in err and not os.path.exists(os.path.join(work, "x.agentsight")),
      "import of a non-export fails and leaves no file")
shutil.rmtree(work, ignore_errors=True)
print("PASS")
