// SPDX-License-Identifier: GPL-2.0-or-later
// A real HTTP/2 (TLS, h2 only) server for the capture tests: echoes the
// x-token header and the request body size, per stream.
const http2 = require('http2');
const fs = require('fs');
const [cert, key] = process.argv.slice(2);
const server = http2.createSecureServer({cert: fs.readFileSync(cert), key: fs.readFileSync(key)});
server.on('stream', (stream, headers) => {
  let size = 0;
  stream.on('data', (d) => size += d.length);
  stream.on('end', () => {
    stream.respond({':status': 200, 'content-type': 'application/json', 'x-served-path': headers[':path']});
    stream.end(JSON.stringify({echo: headers['x-token'] || 'none', path: headers[':path'], received: size}));
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
