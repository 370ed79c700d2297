#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes the WebSocket fixtures of tests/data/http: an HTTP/1.1 upgrade, then
RFC 6455 frames built here (client frames masked with random keys, messages
fragmented, control frames between fragments, 7/16/64-bit lengths) and
permessage-deflate payloads compressed by Python's zlib (raw deflate, sync
flush, 00 00 ff ff tail removed, RFC 7692). Expected messages: ws_*.jsonl.
Wire format: see gen_http1.py."""
import base64, json, os, random, zlib

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(6455)

def wire(name, records):
    with open(os.path.join(HERE, name), 'wb') as f:
        for kind, data in records:
            f.write(f'{kind} {len(data)}\n'.encode() + data + b'\n')

def frame(opcode, payload, fin=True, rsv1=False, mask=False):
    b0 = (0x80 if fin else 0) | (0x40 if rsv1 else 0) | opcode
    n = len(payload)
    if n < 126:
        hdr = bytes([b0, (0x80 if mask else 0) | n])
    elif n < 65536:
        hdr = bytes([b0, (0x80 if mask else 0) | 126]) + n.to_bytes(2, 'big')
    else:
        hdr = bytes([b0, (0x80 if mask else 0) | 127]) + n.to_bytes(8, 'big')
    if mask:
        key = bytes(rng.randrange(256) for _ in range(4))
        payload = bytes(c ^ key[i % 4] for i, c in enumerate(payload))
        hdr += key
    return hdr + payload

def deflate(comp, data):
    out = comp.compress(data) + comp.flush(zlib.Z_SYNC_FLUSH)
    assert out.endswith(b'\x00\x00\xff\xff')
    return out[:-4]

def upgrade(ext_offer, ext_answer):
    req = ('GET /realtime HTTP/1.1\r\nHost: ws.example.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
           'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n'
           + (f'Sec-WebSocket-Extensions: {ext_offer}\r\n' if ext_offer else '') + '\r\n').encode()
    resp = ('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
            'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n'
            + (f'Sec-WebSocket-Extensions: {ext_answer}\r\n' if ext_answer else '') + '\r\n').encode()
    return req, resp

def expect(name, msgs):
    with open(os.path.join(HERE, name), 'w') as f:
        for client, opcode, payload in msgs:
            f.write(json.dumps({'fromClient': client, 'opcode': opcode,
                                'payload': base64.b64encode(payload).decode()}) + '\n')

# --- plain: masking, fragmentation with a ping in between, 16/64-bit lengths ---
req, resp = upgrade(None, None)
big = bytes(rng.randrange(256) for _ in range(70000))
medium = ('{"type":"response.delta","delta":"' + 'x' * 300 + '"}').encode()
recs = [('>', req), ('<', resp + frame(1, b'welcome'))]
recs.append(('>', frame(1, b'frag-one ', fin=False, mask=True) + frame(9, b'are you there', mask=True)
             + frame(0, b'frag-two ', fin=False, mask=True)))
recs.append(('<', frame(10, b'are you there')))
recs.append(('>', frame(0, b'frag-three', mask=True)))
recs.append(('<', frame(1, medium)))
recs.append(('>', frame(2, big, mask=True)))
recs.append(('>', frame(8, b'\x03\xe8bye', mask=True)))
recs.append(('<', frame(8, b'\x03\xe8')))
wire('ws_plain.wire', recs)
expect('ws_plain.jsonl', [(False, 1, b'welcome'), (True, 9, b'are you there'), (False, 10, b'are you there'),
                          (True, 1, b'frag-one frag-two frag-three'), (False, 1, medium), (True, 2, big),
                          (True, 8, b'\x03\xe8bye'), (False, 8, b'\x03\xe8')])

# --- permessage-deflate: client keeps its context, server resets per message ---
req, resp = upgrade('permessage-deflate; client_max_window_bits',
                    'permessage-deflate; server_no_context_takeover')
client = zlib.compressobj(9, zlib.DEFLATED, -15)
texts = [b'{"type":"session.update","instructions":"' + b'be brief. ' * 40 + b'"}',
         b'{"type":"session.update","instructions":"' + b'be brief. ' * 40 + b'"}',  # back-references into message 1
         b'{"type":"input_text","text":"hello"}']
server_msgs = [b'{"type":"response.text.delta","delta":"' + (b'Hello %d ' % i) * 30 + b'"}' for i in range(3)]
recs = [('>', req), ('<', resp)]
msgs = []
for i, t in enumerate(texts):
    c = deflate(client, t)
    if i == 1:
        # one compressed message in three fragments; a ping between them
        a, b = len(c) // 3, 2 * len(c) // 3
        recs.append(('>', frame(1, c[:a], fin=False, rsv1=True, mask=True) + frame(9, b'', mask=True)))
        recs.append(('>', frame(0, c[a:b], fin=False, mask=True) + frame(0, c[b:], mask=True)))
        msgs.append((True, 9, b''))
    else:
        recs.append(('>', frame(1, c, rsv1=True, mask=True)))
    msgs.append((True, 1, t))
    s = server_msgs[i]
    sc = zlib.compressobj(9, zlib.DEFLATED, -15)  # no context takeover: fresh each message
    recs.append(('<', frame(1, deflate(sc, s), rsv1=True)))
    msgs.append((False, 1, s))
recs.append(('<', frame(2, b'\x00\x01raw-binary-not-compressed')))  # RSV1 clear: not compressed
msgs.append((False, 2, b'\x00\x01raw-binary-not-compressed'))
wire('ws_deflate.wire', recs)
# Expected order is per direction; the test compares per direction.
expect('ws_deflate.jsonl', msgs)
print('ok')
