#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs `agentsight-gui --demo` for real (fake LLM over TLS, demo agent traced by
# the real helper) in English and Chinese, saves the screenshots into OUTDIR
# and checks the session the window showed: the agent's LLM calls, its tool
# calls and their causal links. Root only: exit 77 (skipped) otherwise.
# usage: run_demo_screenshots.sh AGENTSIGHT_GUI OUTDIR
set -u
if [ "$(id -u)" != 0 ]; then
    echo "skipped: the demo's live capture needs root here (no polkit agent in CI)"
    exit 77
fi
gui=$1
out=$2
for lang in en zh_CN; do
    shot="$out/screenshot_$lang.png"
    rm -f "$shot"
    facts=$("$gui" --demo --lang "$lang" --screenshot "$shot" --timeout 150)
    rc=$?
    echo "$lang: $facts (rc $rc)"
    [ "$rc" = 0 ] || { echo "FAIL: agentsight-gui exited $rc"; exit 1; }
    [ -s "$shot" ] || { echo "FAIL: no screenshot $shot"; exit 1; }
    # The demo scenario has four model turns and three tool calls (bash, fetch_url, write_file).
    echo "$facts" | grep -Eq 'exchanges=([4-9]|[1-9][0-9]+) ' || { echo "FAIL: expected >= 4 LLM exchanges"; exit 1; }
    echo "$facts" | grep -Eq 'tool_calls=([3-9]|[1-9][0-9]+) ' || { echo "FAIL: expected >= 3 tool calls"; exit 1; }
    echo "$facts" | grep -Eq 'links=[1-9]' || { echo "FAIL: no causal links"; exit 1; }
    echo "$facts" | grep -Eq 'agents=[1-9]' || { echo "FAIL: no agent"; exit 1; }
done
echo "screenshots: $out/screenshot_en.png $out/screenshot_zh_CN.png"
