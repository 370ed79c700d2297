// SPDX-License-Identifier: GPL-2.0-or-later
// Writes the HTTP/2 fixtures of tests/data/http: node's http2 module (nghttp2
// inside) as client and server over cleartext h2c, with a TCP relay between
// them recording every read of each side as one record, in arrival order.
// The plaintext is byte for byte what SSL_write/SSL_read would carry over TLS.
// Run: node gen_http2.js   (wire format: see gen_http1.py)
'use strict';
const http2 = require('http2');
const net = require('net');
const zlib = require('zlib');
const fs = require('fs');
const path = require('path');

const HERE = __dirname;
const records = [];
const TEXT = Buffer.from(Array.from({length: 800}, (_, i) => `h2 line ${i}: lorem ipsum dolor sit amet ${i * 7}\n`).join(''));
const UPLOAD = Buffer.alloc(100000, 'u');
const SSE_EVENTS = Array.from({length: 12}, (_, i) => ({type: 'content_block_delta', delta: {text: `t${i}`}}));

function writeWire(name, recs) {
  const parts = [];
  for (const [kind, data] of recs) {
    if (kind.startsWith('!')) parts.push(Buffer.from(`${kind} ${data}\n`));
    else parts.push(Buffer.from(`${kind} ${data.length}\n`), data, Buffer.from('\n'));
  }
  fs.writeFileSync(path.join(HERE, name), Buffer.concat(parts));
}

const server = http2.createServer();
server.on('stream', (stream, headers) => {
  const p = headers[':path'];
  if (p === '/json') {
    stream.respond({':status': 200, 'content-type': 'application/json'});
    stream.end(JSON.stringify({hello: 'world', n: 42}));
  } else if (p === '/gzip') {
    stream.respond({':status': 200, 'content-type': 'text/plain', 'content-encoding': 'gzip'});
    stream.end(zlib.gzipSync(TEXT));
  } else if (p === '/v1/messages') {
    stream.respond({':status': 200, 'content-type': 'text/event-stream'});
    let i = 0;
    const tick = () => {
      if (i === SSE_EVENTS.length) { stream.end(); return; }
      stream.write(`event: content_block_delta\ndata: ${JSON.stringify(SSE_EVENTS[i++])}\n\n`);
      setTimeout(tick, 2);
    };
    tick();
  } else if (p === '/slow') {
    stream.respond({':status': 200, 'content-type': 'text/plain'});
    let i = 0;
    const tick = () => {
      if (i === 10) { stream.end(); return; }
      stream.write(`slow piece ${i++}\n`);
      setTimeout(tick, 3);
    };
    tick();
  } else if (p === '/upload') {
    let n = 0;
    stream.on('data', d => { n += d.length; });
    stream.on('end', () => {
      stream.respond({':status': 201, 'content-type': 'text/plain'});
      stream.end(`got ${n}`);
    });
  } else if (p === '/reset') {
    stream.respond({':status': 200, 'content-type': 'text/plain'});
    stream.write('partial');
    setTimeout(() => stream.close(http2.constants.NGHTTP2_CANCEL), 5);
  } else if (p === '/endless') {
    stream.respond({':status': 200, 'content-type': 'text/plain'});
    const timer = setInterval(() => { if (!stream.destroyed) stream.write('more '); }, 3);
    stream.on('close', () => clearInterval(timer));
  } else if (p === '/long-headers') {
    stream.respond({':status': 200, 'content-type': 'text/plain', 'x-echo-len': String(headers['x-long'].length)});
    stream.end('long ok');
  } else {
    stream.respond({':status': 404});
    stream.end();
  }
});

server.listen(0, '127.0.0.1', () => {
  const serverPort = server.address().port;
  const relay = net.createServer(client => {
    const up = net.connect(serverPort, '127.0.0.1');
    client.on('data', d => { records.push(['>', Buffer.from(d)]); up.write(d); });
    up.on('data', d => { records.push(['<', Buffer.from(d)]); client.write(d); });
    client.on('end', () => up.end());
    up.on('end', () => client.end());
  });
  relay.listen(0, '127.0.0.1', () => run(relay.address().port, relay));
});

function request(session, headers, body) {
  return new Promise((resolve, reject) => {
    const req = session.request(headers);
    const chunks = [];
    let status = 0;
    req.on('response', h => { status = h[':status']; });
    req.on('data', d => chunks.push(d));
    req.on('end', () => resolve({status, body: Buffer.concat(chunks)}));
    req.on('error', e => resolve({status, error: String(e.code || e)}));
    req.on('close', () => resolve({status, body: Buffer.concat(chunks), closed: true}));
    if (body) req.end(body); else req.end();
  });
}

async function run(port, relay) {
  // A smaller header table than the default exercises SETTINGS_HEADER_TABLE_SIZE.
  const session = http2.connect(`http://127.0.0.1:${port}`, {settings: {headerTableSize: 1024}});
  await new Promise(r => session.on('connect', r));
  const auth = {'authorization': 'Bearer sk-test-secret-value', 'user-agent': 'fixture/1'};
  // Interleaved: these run concurrently on one connection.
  const results = await Promise.all([
    request(session, {':method': 'POST', ':path': '/v1/messages', 'content-type': 'application/json', ...auth}, '{"stream":true}'),
    request(session, {':method': 'GET', ':path': '/slow', ...auth}),
    request(session, {':method': 'GET', ':path': '/gzip', 'accept-encoding': 'gzip', ...auth}),
    request(session, {':method': 'POST', ':path': '/upload', 'content-type': 'application/octet-stream', ...auth}, UPLOAD),
  ]);
  results.push(await request(session, {':method': 'GET', ':path': '/json', ...auth}));
  results.push(await request(session, {':method': 'GET', ':path': '/reset', ...auth}));
  // The client gives up on an endless stream: RST_STREAM(CANCEL) from the client.
  results.push(await new Promise(resolve => {
    const req = session.request({':method': 'GET', ':path': '/endless', ...auth});
    req.on('data', () => req.close(http2.constants.NGHTTP2_CANCEL));
    req.on('close', () => resolve({status: 0, error: 'cancelled'}));
    req.end();
  }));
  results.push(await request(session, {':method': 'GET', ':path': '/long-headers', 'x-long': 'L'.repeat(20000), ...auth}));
  session.close();
  await new Promise(r => session.on('close', r));
  setTimeout(() => {
    relay.close();
    server.close();
    writeWire('h2_interleaved.wire', records);
    fs.writeFileSync(path.join(HERE, 'h2_text.plain'), TEXT);
    fs.writeFileSync(path.join(HERE, 'h2_sse_events.jsonl'),
                     SSE_EVENTS.map(e => JSON.stringify({event: 'content_block_delta', data: JSON.stringify(e)})).join('\n') + '\n');
    // Mid-connection start: drop everything before the 4th response record.
    let seen = 0, cut = 0;
    for (let i = 0; i < records.length; i++) if (records[i][0] === '<' && ++seen === 4) { cut = i; break; }
    writeWire('h2_midstream.wire', records.slice(cut));
    // A gap right after the preface: the first HEADERS block is lost.
    const firstClient = records.findIndex(r => r[0] === '>');
    const gapped = records.slice();
    const pre = records[firstClient][1];
    gapped.splice(firstClient, 1, ['>', pre.subarray(0, 24)], ['!>', pre.length - 24]);
    writeWire('h2_gap.wire', gapped);
    console.log('records', records.length, 'results', results.map(r => `${r.status}:${r.body ? r.body.length : r.error}`).join(' '));
    process.exit(0);
  }, 50);
}
