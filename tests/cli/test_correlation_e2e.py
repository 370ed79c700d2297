#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Causal links end to end on the real kernel: a real (small) agent loop
talks over TLS to the local fake LLM, which scripts tool calls (run a
command, fetch a URL, write a file); `agentsight record` captures it with the
real helper while the agent also does background chores no tool asked for.
The recording must link each scripted call to exactly the exec, file and
connect actions it caused (precision and recall >= 0.95 over the scenarios),
link each call to the result reported back, report the chores as
unexplained, and give identical links when replayed."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_harness import check, fail, report_json, require_root, run  # noqa: E402

require_root()
cli, helper, data = sys.argv[1], sys.argv[2], sys.argv[3]
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
demo = os.path.join(root, "resources", "demo")
PY = "/usr/bin/python3"  # the system python: its ssl module uses the system libssl


def record_scenario(name, scenario):
    work = tempfile.mkdtemp(prefix=f"as-e2e-{name}-")
    os.chmod(work, 0o755)
    ws = os.path.join(work, "ws")
    os.makedirs(ws)
    with open(os.path.join(ws, "README.txt"), "w") as f:
        f.write("Read docs/setup.html\nline two\n")
    with open(os.path.join(ws, "old.log"), "w") as f:
        f.write("old\n")
    llm = subprocess.Popen([PY, os.path.join(demo, "fake_llm.py"), "--scenario", scenario, "--var", f"workdir={ws}",
                            "--cert-dir", os.path.join(work, "cert")], stdout=subprocess.PIPE, text=True)
    info = json.loads(llm.stdout.readline())
    out = os.path.join(work, "rec.agentsight")
    env = dict(os.environ, ANTHROPIC_BASE_URL=f"https://127.0.0.1:{info['port']}", SSL_CERT_FILE=info["ca"],
               DEMO_BACKGROUND="1")
    rc, so, se = run([cli, "record", "-o", out, "--helper", helper, "--", PY, os.path.join(demo, "demo_agent.py"),
                      "do the task"], env=env, timeout=240)
    llm.kill()
    if rc != 0:
        fail(f"{name}: record failed ({rc}): {se[-2000:]}")
    return out, ws, info["port"]


def pid_of(to):
    m = re.match(r"\w+ (\d+): ", to)
    return int(m.group(1)) if m else None


def evaluate(name, rep, expected, port):
    """expected: {tool_name_or_index: [(kind, regex on the action text)]}."""
    procs = rep["processes"]
    parent = {p["tgid"]: p["ppid"] for p in procs}
    links = [l for l in rep["links"] if l["kind"] != "tool_result"]
    calls = sorted({l["from"] for l in rep["links"]})
    results = {l["from"] for l in rep["links"] if l["kind"] == "tool_result"}
    # The bash that ran each call: the shell exec whose argv carries the call's command.
    bash_of = {}
    for call, (cmd, exp) in expected.items():
        for p in procs:
            if cmd and p["argv"][:2] == ["bash", "-c"] and p["argv"][2] == cmd:
                bash_of[call] = p["tgid"]

    def in_tree(tgid, top):
        seen = 0
        while tgid and seen < 64:
            if tgid == top:
                return True
            tgid = parent.get(tgid)
            seen += 1
        return False

    tp = fp = 0
    found = {c: [False] * len(exp) for c, (cmd, exp) in expected.items()}
    for l in links:
        call = next((c for c in expected if c in l["from"]), None)
        ok = False
        if call is not None:
            cmd, exp = expected[call]
            for i, (kind, rx) in enumerate(exp):
                if l["kind"] == kind and re.search(rx, l["to"]):
                    found[call][i] = True
                    ok = True
            # Anything inside the process tree the call started is caused by it.
            if call in bash_of and in_tree(pid_of(l["to"]), bash_of[call]):
                ok = True
        if ok:
            tp += 1
        else:
            fp += 1
            print(f"  false link: {l['from']} -> {l['to']} ({l['kind']})")
    want = sum(len(v) for v in found.values())
    got = sum(sum(v) for v in found.values())
    for c, v in found.items():
        for i, hit in enumerate(v):
            if not hit:
                print(f"  missed: {c} -> {expected[c][1][i]}")
    print(f"{name}: {len(links)} links, {tp} correct, {fp} false; expected {want}, found {got}; calls {len(calls)}")
    return tp, fp, got, want, results


TP = FP = GOT = WANT = 0

# Scenario 1: the demo (bash with ls + cat, fetch over HTTPS, write a file).
rec, ws, port = record_scenario("demo", os.path.join(demo, "scenarios", "demo.json"))
rep = report_json(cli, rec)
cmd0 = f"cd {ws} && ls -la && cat README.txt"
expected = {
    "toolu_demo_0_0": (cmd0, [("tool_exec", r": ls -la$"), ("tool_exec", r": cat README\.txt$"),
                              ("tool_file_read", re.escape(f"{ws}/README.txt") + "$")]),
    "toolu_demo_1_0": (None, [("tool_connect", rf": 127\.0\.0\.1:{port}$")]),
    "toolu_demo_2_0": (None, [("tool_file_write", re.escape(f"{ws}/NOTES.md") + "$")]),
}
tp, fp, got, want, results = evaluate("demo", rep, expected, port)
TP, FP, GOT, WANT = TP + tp, FP + fp, GOT + got, WANT + want
check(all(any(c in r for r in results) for c in expected), "every call is linked to the result reported back")
unexplained = [f for f in rep["findings"] if f["kind"] == "unexplained_action"]
check(any(re.search(r"exec \d+: uname -r$", f["summary"]) for f in unexplained),
      "the agent's background `uname -r` chores are reported as unexplained")
check(not any("uname" in l["to"] for l in rep["links"]), "no chore is linked to a tool call")

# Replay gives identical links.
rc, out, err = run([cli, "replay", rec, "--links"])
check(rc == 0, f"replay --links runs ({err.strip()[-300:]})")
replayed = sorted((j["kind"], j["from"], j["to"]) for j in map(json.loads, out.splitlines()) if j["type"] == "link")
stored = sorted((l["kind"], l["from"], l["to"]) for l in rep["links"])
check(replayed == stored, f"replay yields identical links ({len(stored)})")

# Scenario 2: file side effects through shell commands.
rec, ws, port = record_scenario("commands", os.path.join(data, "correlate_e2e", "commands.json"))
rep = report_json(cli, rec)
c0 = f"mkdir -p {ws}/build && touch {ws}/build/out.o && chmod 600 {ws}/build/out.o"
c1 = f"rm -f {ws}/old.log; wc -l {ws}/README.txt"
expected = {
    "toolu_demo_0_0": (c0, [("tool_exec", r": mkdir -p "), ("tool_mkdir", re.escape(f"{ws}/build")),
                            ("tool_exec", r": touch "), ("tool_file_write", re.escape(f"{ws}/build/out.o") + "$"),
                            ("tool_chmod", re.escape(f"{ws}/build/out.o"))]),
    "toolu_demo_1_0": (c1, [("tool_exec", r": rm -f "), ("tool_unlink", re.escape(f"{ws}/old.log")),
                            ("tool_exec", r": wc -l "), ("tool_file_read", re.escape(f"{ws}/README.txt") + "$")]),
    "toolu_demo_2_0": (None, [("tool_file_write", re.escape(f"{ws}/STATUS.txt") + "$")]),
}
tp, fp, got, want, results = evaluate("commands", rep, expected, port)
TP, FP, GOT, WANT = TP + tp, FP + fp, GOT + got, WANT + want

precision = TP / max(TP + FP, 1)
recall = GOT / max(WANT, 1)
print(f"link precision {precision:.3f}, recall {recall:.3f} over 2 scenarios")
check(precision >= 0.95, f"link precision {precision:.3f} >= 0.95")
check(recall >= 0.95, f"link recall {recall:.3f} >= 0.95")
print("PASS")
