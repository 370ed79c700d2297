#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The traced (and the bystander) workload: exec, file write, loopback connect,
# and HTTPS through curl, python's ssl and node. Parameters come from the env.
set -e
cat "$MARKER" > /dev/null
echo "written by the agentsight capture test $TOKEN" | tee "$OUTFILE" > /dev/null
"$PYTHON" -c 'import socket,sys; s=socket.create_connection(("127.0.0.1", int(sys.argv[1]))); s.close()' "$PLAIN_PORT"
curl -sk --http1.1 "https://127.0.0.1:$TLS_PORT/curl" -H "X-Token: $TOKEN-curl" --data-binary "@$BODY" -o "$OUTFILE.curl"
"$PYTHON" "$HERE/https_client.py" "$TLS_PORT" "$TOKEN-python" "$BODY" > "$OUTFILE.python"
node "$HERE/https_client.js" "$TLS_PORT" "$TOKEN-node" "$BODY" > "$OUTFILE.node"
