#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes the seed corpora of the decode fuzz targets from the fixtures in
tests/data/http (*.wire, see gen_http1.py) into tests/fuzz/corpus/<name>/,
in the record encoding of fuzz_decode_input.h. Only small fixtures are used
so the committed corpora stay small."""
import os, subprocess, zlib

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, '..', 'data', 'http')

def read_wire(path):
    data = open(path, 'rb').read()
    pos, out = 0, []
    while pos < len(data):
        nl = data.index(b'\n', pos)
        kind, n = data[pos:nl].decode().split()
        pos = nl + 1
        if kind.startswith('!'):
            out.append((kind[1] == '>', True, int(n), b''))
        else:
            n = int(n)
            out.append((kind == '>', False, n, data[pos:pos + n]))
            pos += n + 1
    return out

def encode(recs, conn=0, skip_preface=False):
    out = bytearray()
    first_client = True
    for written, gap, n, data in recs:
        if gap:
            out += bytes([(1 if written else 0) | 2 | (conn << 3), max(1, min(255, n // 37))])
            continue
        if skip_preface and written and first_client:
            data = data[24:]
        if written:
            first_client = False
        for i in range(0, max(len(data), 1), 255):
            piece = data[i:i + 255]
            flags = (1 if written else 0) | (4 if i else 0) | (conn << 3)
            out += bytes([flags, len(piece)]) + piece
    return bytes(out)

def put(name, fname, blob):
    d = os.path.join(HERE, 'corpus', name)
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, fname), 'wb').write(blob)

for f in sorted(os.listdir(DATA)):
    if not f.endswith('.wire'):
        continue
    recs = read_wire(os.path.join(DATA, f))
    size = sum(len(r[3]) for r in recs)
    stem = f[:-5]
    if f.startswith('h1_') and size <= 16384:
        put('http1', stem, encode(recs))
        put('tls_decoder', stem, encode(recs))
    if f.startswith('h2_'):
        # Keep the first part of each HTTP/2 capture: enough for every frame type.
        small, total = [], 0
        for r in recs:
            if total > 12000:
                break
            small.append(r)
            total += len(r[3])
        put('http2', stem, encode(small, skip_preface=not f.startswith('h2_midstream')))
        put('tls_decoder', stem, encode(small))
# two connections interleaved in one input
a = read_wire(os.path.join(DATA, 'h1_pipelined.wire'))
b = read_wire(os.path.join(DATA, 'h1_chunked_trailers.wire'))
put('tls_decoder', 'two_connections', encode(a, 0) + encode(b, 1))

# WebSocket: the frames after the upgrade, per direction, as records.
for stem, ext in (('ws_plain', 0), ('ws_deflate', 2)):
    recs = read_wire(os.path.join(DATA, stem + '.wire'))
    frames = []
    for written, gap, n, data in recs:
        if data.startswith(b'GET ') or data.startswith(b'HTTP/1.1 101'):
            data = data[data.index(b'\r\n\r\n') + 4:]
        if data:
            frames.append((written, gap, len(data), data[:3000]))
    put('websocket', stem, bytes([ext]) + encode(frames))

sse = open(os.path.join(DATA, 'sse_body.plain'), 'rb').read()
put('sse', 'anthropic', b'\x05' + sse[:3000])
put('sse', 'rules', b'\x01' + b'\xef\xbb\xbf: c\r\nevent: a\r\ndata: x\rdata: y\r\rid: 1\n\ndata\n\n')

text = b''.join(b'line %d of some text\n' % i for i in range(200))
def tool(cmd, data):
    return subprocess.run(cmd, input=data, stdout=subprocess.PIPE, check=True).stdout
put('content_decoder', 'gzip', b'\x00\x40' + tool(['gzip', '-c'], text))
put('content_decoder', 'zlib', b'\x01\x10' + zlib.compress(text))
co = zlib.compressobj(6, zlib.DEFLATED, -15)
put('content_decoder', 'raw', b'\x01\x07' + co.compress(text) + co.flush())
put('content_decoder', 'zstd', b'\x03\xff' + tool(['zstd', '-q', '-c'], text))
br = tool(['node', '-e', "let c=[];process.stdin.on('data',d=>c.push(d)).on('end',()=>process.stdout.write(require('zlib').brotliCompressSync(Buffer.concat(c))))"], text)
put('content_decoder', 'br', b'\x02\x20' + br)
print('ok')
