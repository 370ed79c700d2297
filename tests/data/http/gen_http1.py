#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes the HTTP/1.1 fixtures of tests/data/http (run from anywhere).

Wire format (*.wire), one TLS call per record, in capture order:
  "> N\n" + N bytes + "\n"   bytes the traced client wrote (request side)
  "< N\n" + N bytes + "\n"   bytes it read (response side)
  "!> N\n" / "!< N\n"        N bytes of that side were not captured
Compressed bodies are made by the real tools: gzip(1), zstd(1), node's zlib
(brotli) and Python's zlib (zlib/raw deflate). Expected decoded payloads are
written next to the wires (*.plain) so tests compare against the source text,
not against the decoder's own output.
"""
import json, os, subprocess, zlib

HERE = os.path.dirname(os.path.abspath(__file__))

def w(name, records):
    with open(os.path.join(HERE, name), 'wb') as f:
        for kind, data in records:
            if kind in ('!>', '!<'):
                f.write(f'{kind} {data}\n'.encode())
            else:
                f.write(f'{kind} {len(data)}\n'.encode() + data + b'\n')

def plain(name, data):
    with open(os.path.join(HERE, name), 'wb') as f:
        f.write(data)

def run(cmd, data):
    return subprocess.run(cmd, input=data, stdout=subprocess.PIPE, check=True).stdout

def brotli(data):
    return run(['node', '-e', "let c=[];process.stdin.on('data',d=>c.push(d)).on('end',()=>"
                "process.stdout.write(require('zlib').brotliCompressSync(Buffer.concat(c))))"], data)

def resp(status, headers, body=b'', reason='OK'):
    h = f'HTTP/1.1 {status} {reason}\r\n' + ''.join(f'{k}: {v}\r\n' for k, v in headers) + '\r\n'
    return h.encode() + body

def req(method, path, headers, body=b''):
    h = f'{method} {path} HTTP/1.1\r\nHost: api.example.test\r\n' + ''.join(f'{k}: {v}\r\n' for k, v in headers) + '\r\n'
    return h.encode() + body

def chunked(body, sizes, trailers=()):
    out, pos = b'', 0
    for i, n in enumerate(sizes):
        piece = body[pos:pos + n]
        pos += n
        ext = ';ext=1' if i == 0 else ''
        out += f'{len(piece):x}{ext}\r\n'.encode() + piece + b'\r\n'
    assert pos == len(body)
    out += b'0\r\n' + b''.join(f'{k}: {v}\r\n'.encode() for k, v in trailers) + b'\r\n'
    return out

# A text body big enough that compression matters.
TEXT = ''.join(f'line {i}: the quick brown fox jumps over the lazy dog {i * i}\n' for i in range(3000)).encode()
plain('encodings.plain', TEXT)

# --- keep-alive: five exchanges on one connection, each call separate ---
REQ_JSON = json.dumps({"model": "m", "messages": [{"role": "user", "content": "hi " * 2000}]}).encode()
plain('keepalive_request.plain', REQ_JSON)
w('h1_keepalive.wire', [
    ('>', req('GET', '/a', [])),
    ('<', resp(200, [('Content-Type', 'text/plain'), ('Content-Length', '5')], b'hello')),
    ('>', req('POST', '/v1/messages?beta=true', [('Content-Type', 'application/json'), ('Content-Length', str(len(REQ_JSON)))])[:40]),
    ('>', req('POST', '/v1/messages?beta=true', [('Content-Type', 'application/json'), ('Content-Length', str(len(REQ_JSON)))])[40:] + REQ_JSON),
    ('<', resp(200, [('Content-Type', 'application/json'), ('Transfer-Encoding', 'chunked')], chunked(b'{"ok":true}', [4, 7], [('X-Checksum', 'abc')]))),
    ('>', req('HEAD', '/c', [])),
    ('<', resp(200, [('Content-Length', '1234')])),
    ('>', req('GET', '/d', [])),
    ('<', resp(204, [], reason='No Content')),
    ('>', req('GET', '/e', [('If-None-Match', '"x"')])),
    ('<', resp(304, [('Content-Length', '99')], reason='Not Modified')),
])

# --- pipelining: three requests in one write, three responses in one read ---
w('h1_pipelined.wire', [
    ('>', req('GET', '/p1', []) + req('POST', '/p2', [('Content-Length', '3')], b'abc') + req('GET', '/p3', [])),
    ('<', resp(200, [('Content-Length', '2')], b'r1') + resp(201, [('Content-Length', '2')], b'r2', 'Created')
          + resp(404, [('Content-Length', '9')], b'not found', 'Not Found')),
])

# --- chunked request and response, extensions, trailers, LF-only lines ---
w('h1_chunked_trailers.wire', [
    ('>', req('PUT', '/upload', [('Transfer-Encoding', 'chunked'), ('Trailer', 'X-Sum')],
              chunked(b'0123456789abcdef' * 10, [1, 15, 100, 44], [('X-Sum', '42')]))),
    ('<', b'HTTP/1.1 200 OK\nTransfer-Encoding: chunked\nContent-Type: text/plain\n\n'
          + b'5\nhello\n6\r\n world\r\n0\nX-Done: yes\n\n'),
])

# --- body delimited by connection close (no Content-Length) ---
w('h1_close_delimited.wire', [
    ('>', req('GET', '/stream', [('Connection', 'close')])),
    ('<', b'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\npart one,'),
    ('<', b' part two'),
])

# --- content encodings, one response each, same plain text ---
gz = run(['gzip', '-c', '-9'], TEXT)
zs = run(['zstd', '-q', '-c', '-19'], TEXT)
br = brotli(TEXT)
zl = zlib.compress(TEXT, 9)
co = zlib.compressobj(9, zlib.DEFLATED, -15)
raw = co.compress(TEXT) + co.flush()
stacked = brotli(run(['gzip', '-c'], TEXT))  # applied gzip then br
gz2 = run(['gzip', '-c'], TEXT[:1000]) + run(['gzip', '-c'], TEXT[1000:])  # two gzip members
recs = []
for path, enc, body in [('/gzip', 'gzip', gz), ('/zstd', 'zstd', zs), ('/br', 'br', br), ('/zlib', 'deflate', zl),
                        ('/raw', 'deflate', raw), ('/stacked', 'gzip, br', stacked), ('/members', 'gzip', gz2)]:
    recs.append(('>', req('GET', path, [('Accept-Encoding', 'gzip, br, zstd, deflate')])))
    r = resp(200, [('Content-Type', 'text/plain'), ('Content-Encoding', enc), ('Content-Length', str(len(body)))], body)
    recs += [('<', r[i:i + 4096]) for i in range(0, len(r), 4096)]
# a compressed request body (Codex sends zstd requests)
recs.append(('>', req('POST', '/zstd-request', [('Content-Encoding', 'zstd'), ('Content-Type', 'text/plain'),
                                                ('Content-Length', str(len(zs)))], zs)))
recs.append(('<', resp(200, [('Content-Length', '0')])))
w('h1_encodings.wire', recs)

# --- a gzip bomb: 64 MiB of zeros in ~64 KB ---
bomb = run(['gzip', '-c', '-9'], b'\0' * (64 << 20))
w('h1_bomb.wire', [
    ('>', req('GET', '/bomb', [])),
    ('<', resp(200, [('Content-Type', 'text/plain'), ('Content-Encoding', 'gzip'), ('Content-Length', str(len(bomb)))], bomb)),
])

# --- SSE (Anthropic-style), chunked, with CRLF / CR / LF line ends and comments ---
events = [('message_start', {"type": "message_start", "message": {"id": "msg_1", "model": "claude"}}),
          ('content_block_start', {"type": "content_block_start", "index": 0}),
          ] + [('content_block_delta', {"type": "content_block_delta", "index": 0,
                                         "delta": {"type": "text_delta", "text": f"tok{i} "}}) for i in range(40)] + [
          ('message_stop', {"type": "message_stop"})]
ends = ['\n', '\r\n', '\r']
sse = ': ping comment\n\n'
for i, (name, obj) in enumerate(events):
    e = ends[i % 3]
    sse += f'event: {name}{e}data: {json.dumps(obj)}{e}{e}'
sse += 'data: line one\ndata: line two\nid: 7\n\n'   # multi-line data, no event type
sse += 'event: unfinished\ndata: never dispatched'    # cut by end of stream: discarded
sse = sse.encode()
plain('sse_events.jsonl', (''.join(json.dumps({"event": n, "data": json.dumps(o)}) + '\n' for n, o in events)
                           + json.dumps({"event": "message", "data": "line one\nline two", "id": "7"}) + '\n').encode())
plain('sse_body.plain', sse)
body = chunked(sse, [len(sse) // 3, len(sse) // 3, len(sse) - 2 * (len(sse) // 3)])
r = resp(200, [('Content-Type', 'text/event-stream; charset=utf-8'), ('Transfer-Encoding', 'chunked')], body)
w('h1_sse.wire', [('>', req('POST', '/v1/messages', [('Content-Length', '2')], b'{}'))]
  + [('<', r[i:i + 700]) for i in range(0, len(r), 700)])

# --- 100-continue, then an upgrade to WebSocket ---
w('h1_continue_upgrade.wire', [
    ('>', req('POST', '/upload', [('Expect', '100-continue'), ('Content-Length', '4')])),
    ('<', resp(100, [], reason='Continue')),
    ('>', b'data'),
    ('<', resp(200, [('Content-Length', '2')], b'ok')),
    ('>', req('GET', '/ws', [('Upgrade', 'websocket'), ('Connection', 'Upgrade'),
                             ('Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='), ('Sec-WebSocket-Version', '13')])),
    ('<', resp(101, [('Upgrade', 'websocket'), ('Connection', 'Upgrade'),
                     ('Sec-WebSocket-Accept', 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=')], reason='Switching Protocols')
          + b'\x81\x05hello'),
    ('>', b'\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58'),
])

# --- the traced process is the server: it reads requests, writes responses ---
w('h1_server_role.wire', [
    ('<', req('GET', '/served', [])),
    ('>', resp(200, [('Content-Length', '6')], b'served')),
])

# --- malformed and lossy cases ---
w('h1_bad_header.wire', [
    ('>', req('GET', '/ok', [])),
    ('<', b'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nthis line has no colon\r\n\r\nok'),
])
w('h1_bad_chunk.wire', [
    ('>', req('GET', '/x', [])),
    ('<', b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n'),
])
w('h1_bad_length.wire', [
    ('>', req('POST', '/x', [('Content-Length', '5'), ('Content-Length', '6')], b'hello')),
])
w('h1_huge_header.wire', [
    ('>', req('GET', '/big', [('X-Big', 'a' * 100000)])),
])
w('h1_not_http.wire', [
    ('>', b'\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03' + bytes(range(256)) * 4),
    ('<', b'\x16\x03\x03\x00\x7a\x02\x00\x00\x76'),
])
# capture began mid-stream: a request body tail, then a clean request in a new call
w('h1_midstream.wire', [
    ('>', b'ntent": "tail of an earlier request"}]}'),
    ('>', req('GET', '/after', [])),
    ('<', resp(200, [('Content-Length', '5')], b'after')),
])
# response first (the request was sent before capture started)
w('h1_missed_request.wire', [
    ('<', resp(200, [('Content-Length', '4')], b'late')),
    ('>', req('GET', '/next', [])),
    ('<', resp(200, [('Content-Length', '4')], b'next')),
])
# a gap inside a Content-Length body: framing survives, the body is marked
gap_body = b'x' * 1000
w('h1_gap_body.wire', [
    ('>', req('GET', '/g', [])),
    ('<', resp(200, [('Content-Type', 'text/plain'), ('Content-Length', str(len(gap_body)))], gap_body[:300])),
    ('!<', 400),
    ('<', gap_body[700:]),
    ('>', req('GET', '/g2', [])),
    ('<', resp(200, [('Content-Length', '2')], b'ok')),
])
# a gap that swallows a request head: resync at the next request
w('h1_gap_resync.wire', [
    ('>', req('GET', '/r1', [])[:10]),
    ('!>', 30),
    ('<', resp(200, [('Content-Length', '2')], b'r1')),
    ('>', req('GET', '/r2', [])),
    ('<', resp(200, [('Content-Length', '2')], b'r2')),
])
print('ok')
