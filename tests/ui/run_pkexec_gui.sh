#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The pkexec path for real: an unprivileged user runs `agentsight-gui --demo`,
# the app starts the helper through pkexec, and polkit decides.
#  1. with a polkit rule allowing that user the action: the demo is captured
#     (LLM exchanges, tool calls, links) and a screenshot saved;
#  2. without the rule (no agent, no tty: refused): the window says that polkit
#     did not authorize the helper, and the app keeps running (exit 2 = error shown).
# Needs root to set up (system bus, action file, rule, test user); everything it
# adds is removed at the end. Exit 77 (skipped) when that is not possible.
# usage: run_pkexec_gui.sh AGENTSIGHT_GUI HELPER POLICY_IN OUTDIR
set -u
gui=$1 helper=$2 policy_in=$3 out=$4
skip() { echo "skipped: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root to install a polkit rule"
for t in pkexec dbus-daemon runuser useradd; do command -v $t >/dev/null || skip "$t missing"; done
[ -x /usr/lib/polkit-1/polkitd ] || skip "polkitd missing"
action=/usr/share/polkit-1/actions/io.github.agentsight.helper.policy
rule=/etc/polkit-1/rules.d/49-agentsight-gui-test.rules
# A file with our marker is a leftover of a killed run; any other is an installed package's.
marker="installed by tests/ui/run_pkexec_gui.sh"
[ -e "$action" ] && ! grep -q "$marker" "$action" && skip "$action exists (installed package): not touching it"
[ -d /etc/polkit-1/rules.d ] || skip "no /etc/polkit-1/rules.d"

user=agentsight-gui-test
made_user=0 dbus_pid=
work=$(mktemp -d /tmp/agentsight-pkexec-XXXXXX)
cleanup() {
    rm -f "$rule" "$action"
    if [ -n "$dbus_pid" ]; then
        kill "$dbus_pid" 2>/dev/null
        sleep 0.3
        rm -f /run/dbus/pid /run/dbus/system_bus_socket
    fi
    [ "$made_user" = 1 ] && userdel "$user" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

if ! id "$user" >/dev/null 2>&1; then
    useradd --no-create-home --shell /bin/sh "$user" || skip "cannot add a test user"
    made_user=1
fi
if [ ! -S /run/dbus/system_bus_socket ]; then
    rm -f /run/dbus/pid
    mkdir -p /run/dbus
    dbus_pid=$(dbus-daemon --system --fork --print-pid) || skip "cannot start the system bus"
fi
# The action with this build's helper path (polkit compares exec.path with what pkexec runs).
sed "s|<annotate key=\"org.freedesktop.policykit.exec.path\">.*</annotate>|<annotate key=\"org.freedesktop.policykit.exec.path\">$helper</annotate>|" \
    "$policy_in" | sed "s|^<policyconfig>|<!-- $marker -->\n<policyconfig>|" > "$action"
chmod 755 "$work"
mkdir -p "$work/home" "$work/shots" && chown "$user" "$work/home" "$work/shots"

run_as_user() {
    runuser -u "$user" -- env HOME="$work/home" QT_QPA_PLATFORM=offscreen AGENTSIGHT_HELPER="$helper" \
        "$gui" --demo --screenshot "$1" --timeout 120
}

# 2 first: no rule -> refused, and said so.
rm -f "$rule"
sleep 1
facts=$(run_as_user "$work/shots/refused.png" 2>"$work/refused.err")
rc=$?
echo "refused: rc $rc; $(tail -n 3 "$work/refused.err")"
[ "$rc" = 2 ] || { echo "FAIL: expected exit 2 (error shown), got $rc"; exit 1; }
grep -q "polkit did not authorize" "$work/refused.err" || { echo "FAIL: no polkit refusal message"; exit 1; }

# 1: with the rule -> captured through pkexec.
cat > "$rule" <<RULE
polkit.addRule(function(action, subject) {
    if (action.id == "io.github.agentsight.helper" && subject.user == "$user")
        return polkit.Result.YES;
});
RULE
chmod 644 "$rule"
sleep 2 # polkitd reloads rules on its own
facts=$(run_as_user "$work/shots/allowed.png" 2>"$work/allowed.err")
rc=$?
echo "allowed: rc $rc; $facts"
[ "$rc" = 0 ] || { echo "FAIL: rc $rc"; cat "$work/allowed.err"; exit 1; }
echo "$facts" | grep -Eq 'exchanges=([4-9]|[1-9][0-9]+) ' || { echo "FAIL: expected >= 4 LLM exchanges"; exit 1; }
echo "$facts" | grep -Eq 'links=[1-9]' || { echo "FAIL: no causal links"; exit 1; }
cp "$work/shots/allowed.png" "$out/screenshot_pkexec.png"
echo "ok: pkexec capture as $user, screenshot $out/screenshot_pkexec.png"
