#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""`agentsight record -- CMD` with the real helper, CMD spawned by the helper
(root) and by the recorder (the pkexec/sudo path): a python agent stand-in
makes a real TLS call to a local fake Anthropic API (replaying a recorded SSE
tool-use stream), writes a file, runs a command. `agentsight report --json`
must show the process argv, the file written, the connection, the HTTP
exchange and the LLM call with its model, tokens and tool call; the API key
must not be in the recording. Then export -> import gives the same report,
and `record --pid` follows an already running process."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_harness import CLIENT, FakeAnthropic, check, fail, make_cert, report_json, require_root, run  # noqa: E402

require_root()
cli, helper, data = sys.argv[1], sys.argv[2], sys.argv[3]
fixture = os.path.join(data, "llm", "anthropic", "stream_tool_use")
work = tempfile.mkdtemp(prefix="as-cli-record-")
crt, key = make_cert(work)
server = FakeAnthropic(crt, key, open(os.path.join(fixture, "response.sse"), "rb").read())
client = os.path.join(work, "agent_client.py")
with open(client, "w") as f:
    f.write(CLIENT)
token = f"tok{os.getpid()}"
outfile = os.path.join(work, "written-by-agent.txt")
script = (f"python3 {client} {server.port} {crt} {os.path.join(fixture, 'request.json')}; "
          f"echo {token} $AS_TEST_ENV > {outfile}; cat /etc/hostname > /dev/null")

def scenario(mode, rec):
    """mode "helper": root, the helper spawns CMD; "self": the recorder spawns it
    gated (the path pkexec/sudo users take), with its environment."""
    env = dict(os.environ, AS_TEST_ENV=f"env-{mode}")
    if mode == "self":
        env["AGENTSIGHT_SPAWN"] = "self"
    t0 = time.time()
    rc, out, err = run([cli, "record", "-o", rec, "--helper", helper, "--", "sh", "-c", script], env=env)
    print(err)
    check(rc == 0, f"record exits 0 when the command ends ({rc}) in {time.time() - t0:.1f}s")
    check("Recorded to " + rec in err and "LLM calls 1" in err, "the summary names the file and counts 1 LLM call")
    check(len(server.requests) == expected_requests[0], "the fake API served exactly one request")
    check(open(outfile).read().split() == [token, f"env-{mode}"], "the traced command ran, with its environment")

    r = report_json(cli, rec)
    check(r["meta"].get("helper_exit_code") == 0 and "ended" in r["meta"], "meta: helper exit 0 and an end time")
    procs = r["processes"]
    sh = [p for p in procs if p["argv"] == ["sh", "-c", script]]
    check(len(sh) == 1, "the shell with its exact argv")
    py = [p for p in procs if p["argv"][:2] == ["python3", client]]
    check(len(py) == 1 and py[0]["ppid"] == sh[0]["tgid"], "the python client, child of the shell, with its argv")
    check(py[0].get("exit_code") == 0, "the client's exit code 0")
    cat = [p for p in procs if p["argv"] == ["cat", "/etc/hostname"]]
    check(len(cat) == 1, "cat /etc/hostname seen")
    sessions = r["sessions"]
    check(len(sessions) == 1 and sessions[0]["root_tgid"] == sh[0]["tgid"], "one session rooted at the shell")
    check(sessions[0]["processes"] >= 3 and sessions[0]["llm_calls"] == 1, "the session holds the processes and the LLM call")
    files = {f["path"]: f for f in r["files_written"]}
    check(outfile in files and sh[0]["tgid"] in files[outfile]["tgids"], "the file written by the shell's redirection")
    check(not any(p == "/etc/hostname" for p in files), "a file only read is not listed as written")
    dest = [n for n in r["network"] if n["address"] == f"127.0.0.1:{server.port}"]
    check(len(dest) == 1 and py[0]["tgid"] in dest[0]["tgids"] and dest[0]["failures"] == 0,
          "the connection to the API server, by the client")
    http = [h for h in r["http_exchanges"] if h["authority"] == "api.anthropic.com"]
    check(len(http) == 1 and http[0]["status"] == 200 and http[0]["target"].startswith("/v1/messages"),
          "the HTTP exchange POST api.anthropic.com/v1/messages -> 200")
    llm = r["llm_calls"]
    check(len(llm) == 1, "exactly one LLM call")
    c = llm[0]
    check(c["provider"] == "anthropic" and c["model"] == "claude-sonnet-4-5-20250929", f"provider and model ({c['model']})")
    check(c["input_tokens"] == 1412 and c["output_tokens"] == 85, "tokens as the API reported them")
    check(abs(c.get("cost_usd", 0) - 0.002421) < 1e-6, f"cost from the price table ({c.get('cost_usd')})")
    check(c["tgid"] == py[0]["tgid"], "the call is attributed to the client process")
    import datetime  # noqa: E402
    when = datetime.datetime.fromisoformat(c["time"].replace("Z", "+00:00")).timestamp()
    check(abs(when - t0) < 60, f"the call's wall time is when it happened ({c['time']})")
    tools = c["tool_calls"]
    check(len(tools) == 1 and tools[0]["name"] == "Bash" and tools[0]["arguments"]["command"] == "ls -la",
          "the tool call Bash {command: ls -la}")
    check(r["summary"]["llm_calls"] == 1 and r["summary"]["input_tokens"] == 1412, "summary totals")
    check(r["summary"]["drops"] == 0 and r["drops"] == [], f"a quiet session loses nothing, no false seq gaps ({r['drops']})")
    with open(rec, "rb") as f:
        blob = f.read()
    check(b"sk-ant-cli-test-secret" not in blob, "the API key is not stored in the recording")

    # Replay of the real capture through a fresh pipeline gives the stored LLM exchange.
    rc, out, err = run([cli, "replay", rec])
    check(rc == 0, f"replay exits 0 ({err.strip()})")
    replayed = [json.loads(l) for l in out.splitlines() if l.strip()]
    import sqlite3  # noqa: E402
    stored = [json.loads(d) for (d,) in sqlite3.connect(f"file:{rec}?mode=ro", uri=True).execute(
        "select detail from llm_exchanges order by id")]
    check(len(replayed) == 1 and replayed == stored, "replay reproduces the recorded LLM exchange exactly")

    return r


expected_requests = [0]
for mode in ("helper", "self"):
    print(f"--- CMD spawned by the {mode}")
    expected_requests[0] += 1
    rec = os.path.join(work, f"session-{mode}.agentsight")
    r = scenario(mode, rec)

rc, text, err = run([cli, "report", rec])
check(rc == 0 and "claude-sonnet-4-5-20250929" in text and outfile in text and "tool Bash" in text,
      "the text report shows the model, the tool call and the file")

jl = os.path.join(work, "session.jsonl")
back = os.path.join(work, "back.agentsight")
rc, _, err = run([cli, "export", rec, "-o", jl])
check(rc == 0 and os.path.getsize(jl) > 0, "export to JSON lines")
rc, _, err = run([cli, "import", jl, "-o", back])
check(rc == 0, f"import back ({err.strip()})")
r2 = report_json(cli, back)
r.pop("file")
r2.pop("file")
check(r == r2, "the imported recording reports exactly the same")
rc, _, err = run([cli, "import", jl, "-o", back])
check(rc == 1 and "already exists" in err, "import refuses to overwrite an existing file")

# --pid: a process started before the recorder, followed until it exits.
late = os.path.join(work, "late.txt")
target = subprocess.Popen(["sh", "-c", f"sleep 2; echo late > {late}; sleep 0.5"])
rec2 = os.path.join(work, "pid.agentsight")
rc, out, err = run([cli, "record", "-o", rec2, "--helper", helper, "--pid", str(target.pid)])
target.wait()
check(rc == 0, f"record --pid exits 0 when the process exits ({err.strip()[-300:]})")
r3 = report_json(cli, rec2)
check(late in {f["path"] for f in r3["files_written"]}, "the file written by the followed pid's shell")
check(any(t["tgid"] == target.pid and t["kind"] == "pid" for t in r3["targets"]), "the pid target is recorded")
check(r3["summary"]["drops"] == 0, f"no drops and no false seq gaps with snapshot records ({r3['drops']})")
shutil.rmtree(work, ignore_errors=True)
print("PASS")
