#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A small but real LLM agent loop (Python standard library, system OpenSSL):
it sends the task to an Anthropic-compatible Messages endpoint with streaming,
runs the tools the model asks for (bash, write_file, fetch_url), sends the
results back, and repeats until the model ends its turn. AgentSight's demo and
end-to-end tests trace it; nothing in it knows about AgentSight.

    ANTHROPIC_BASE_URL=https://127.0.0.1:PORT SSL_CERT_FILE=ca.pem demo_agent.py "TASK"
"""
import json
import os
import ssl
import subprocess
import sys
import urllib.parse
import urllib.request
import http.client

TOOLS = [
    {"name": "bash", "description": "Run a shell command and return its output.",
     "input_schema": {"type": "object", "properties": {"command": {"type": "string"}}, "required": ["command"]}},
    {"name": "write_file", "description": "Write text to a file.",
     "input_schema": {"type": "object", "properties": {"file_path": {"type": "string"}, "content": {"type": "string"}},
                      "required": ["file_path", "content"]}},
    {"name": "fetch_url", "description": "Fetch a web page and return its text.",
     "input_schema": {"type": "object", "properties": {"url": {"type": "string"}}, "required": ["url"]}},
]


def tls_context():
    ctx = ssl.create_default_context()
    ca = os.environ.get("SSL_CERT_FILE")
    if ca:
        ctx.load_verify_locations(ca)
    return ctx


def run_tool(name, args):
    try:
        if name == "bash":
            p = subprocess.run(["bash", "-c", args["command"]], capture_output=True, text=True, timeout=60)
            return (p.stdout + p.stderr)[-4000:] or f"(exit {p.returncode})", p.returncode != 0
        if name == "write_file":
            with open(args["file_path"], "w") as f:
                f.write(args["content"])
            return f"wrote {len(args['content'])} bytes to {args['file_path']}", False
        if name == "fetch_url":
            with urllib.request.urlopen(args["url"], context=tls_context(), timeout=30) as r:
                return r.read(8000).decode(errors="replace"), False
        return f"unknown tool {name}", True
    except Exception as exc:  # a failing tool is reported to the model, as real agents do
        return f"error: {exc}", True


def call_model(base, messages, system):
    u = urllib.parse.urlparse(base)
    conn = http.client.HTTPSConnection(u.hostname, u.port or 443, context=tls_context(), timeout=120)
    body = json.dumps({"model": os.environ.get("DEMO_MODEL", "claude-sonnet-4-5"), "max_tokens": 1024,
                       "stream": True, "system": system, "tools": TOOLS, "messages": messages})
    conn.request("POST", "/v1/messages", body=body, headers={
        "content-type": "application/json", "anthropic-version": "2023-06-01",
        "x-api-key": os.environ.get("ANTHROPIC_API_KEY", "sk-ant-demo-not-a-real-key")})
    resp = conn.getresponse()
    if resp.status != 200:
        raise SystemExit(f"model error {resp.status}: {resp.read()[:300]!r}")
    content, stop, current, partial = [], None, None, ""
    event = None
    for raw in resp:
        line = raw.decode().rstrip("\r\n")
        if line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data = json.loads(line[5:])
            if event == "content_block_start":
                current = dict(data["content_block"])
                partial = ""
            elif event == "content_block_delta":
                d = data["delta"]
                if d["type"] == "text_delta":
                    current["text"] += d["text"]
                    sys.stdout.write(d["text"])
                    sys.stdout.flush()
                elif d["type"] == "input_json_delta":
                    partial += d["partial_json"]
            elif event == "content_block_stop":
                if current["type"] == "tool_use":
                    current["input"] = json.loads(partial or "{}")
                content.append(current)
            elif event == "message_delta":
                stop = data["delta"].get("stop_reason")
    conn.close()
    return content, stop


def background_chores():
    # Like a real agent runtime's own housekeeping (update checks, git
    # status polling): activity no tool call asked for. AgentSight must not
    # attribute it to a tool call.
    import threading
    import time

    def loop():
        while True:
            subprocess.run(["uname", "-r"], capture_output=True)
            time.sleep(0.15)

    threading.Thread(target=loop, daemon=True).start()


def main():
    task = " ".join(sys.argv[1:]) or "Look around and summarise this machine."
    if os.environ.get("DEMO_BACKGROUND") == "1":
        background_chores()
    base = os.environ.get("ANTHROPIC_BASE_URL", "https://127.0.0.1:8443")
    system = "You are a careful coding agent. Use the tools to inspect and change files."
    messages = [{"role": "user", "content": task}]
    for _ in range(20):
        content, stop = call_model(base, messages, system)
        messages.append({"role": "assistant", "content": content})
        if stop != "tool_use":
            print()
            return 0
        results = []
        for block in content:
            if block["type"] == "tool_use":
                out, is_error = run_tool(block["name"], block["input"])
                results.append({"type": "tool_result", "tool_use_id": block["id"], "content": out, "is_error": is_error})
        messages.append({"role": "user", "content": results})
    print("\n(stopped after 20 turns)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
