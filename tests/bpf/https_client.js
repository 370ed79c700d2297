// SPDX-License-Identifier: GPL-2.0-or-later
// A test client using node's https (node's own OpenSSL, SSL_write/SSL_read exported by the node binary).
const https = require('https');
const fs = require('fs');
const [port, token, bodyPath] = process.argv.slice(2);
const body = fs.readFileSync(bodyPath);
const req = https.request({host: '127.0.0.1', port: Number(port), path: '/node', method: 'POST',
  rejectUnauthorized: false, headers: {'X-Token': token, 'Content-Length': body.length}}, (res) => {
  let data = '';
  res.on('data', (d) => data += d);
  res.on('end', () => console.log(res.statusCode, data));
});
req.on('error', (e) => { console.error(e); process.exit(1); });
req.end(body);
