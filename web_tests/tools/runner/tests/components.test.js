// The real tinyproxy, squid and nginx as the runner configures them, driven over raw sockets
// (independently of the shell): what the proxy and load-balancing web tests rely on. Each test
// is skipped when its program is not installed (scripts/bootstrap.sh installs them).
'use strict';

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const test = require('node:test');
const tls = require('node:tls');

const {
  kSquidPassword, kSquidUser, kTinyproxyPassword, kTinyproxyUser, nginxConfig, requireProgram, squidConfig, startNginx,
  startSquid, startTinyproxy, tinyproxyConfig,
} = require('../components');
const {createTestPki} = require('../pki');

const installed = (file) => (fs.existsSync(file) ? false : `${file} is not installed`);

function temporaryDirectory(t) {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'components-test-'));
  fs.chmodSync(directory, 0o711);
  t.after(() => fs.rmSync(directory, {recursive: true, force: true}));
  return directory;
}

// Sends `request` to 127.0.0.1:port (over TLS with `tlsOptions`) and resolves to everything
// received within a moment of the response head.
function exchange(port, request, {tlsOptions = null, settleMilliseconds = 150} = {}) {
  return new Promise((resolve, reject) => {
    const socket = tlsOptions ? tls.connect({port, host: '127.0.0.1', ...tlsOptions}) : net.connect(port, '127.0.0.1');
    let received = '';
    let timer = null;
    socket.once(tlsOptions ? 'secureConnect' : 'connect', () => socket.write(request));
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n\r\n') && timer === null) {
        timer = setTimeout(() => {
          socket.destroy();
          resolve(received);
        }, settleMilliseconds);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
}

function statusOf(response) {
  return Number(/^HTTP\/1\.[01] (\d{3})/.exec(response)?.[1]);
}

// A stand-in upstream: answers any request with a 101 and one frame holding the request head.
async function startUpstream(t) {
  const server = net.createServer((socket) => {
    let head = '';
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      const upgrade = /\r\nUpgrade: ([^\r]*)/i.exec(head)?.[1] ?? 'none';
      socket.end(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: ${upgrade}\r\nConnection: Upgrade\r\n\r\n` +
                 `\u0002${head.slice(0, head.indexOf('\r\n\r\n') + 4)}\u0017`, 'latin1');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  return server.address().port;
}

test('configurations', () => {
  const tiny = tinyproxyConfig({port: 8888, connectPorts: [80, 443]});
  assert.match(tiny, /^Port 8888\nListen 127\.0\.0\.1\n/);
  assert.match(tiny, /\nBasicAuth switchboard tinyproxy-secret\nAddHeader "X-Forwarded-By" "tinyproxy"\nConnectPort 80\nConnectPort 443\n/);
  const squid = squidConfig({port: 3128, directory: '/d', connectPorts: [80, 443], helper: '/h', effectiveUser: 'proxy'});
  assert.match(squid, /^http_port 127\.0\.0\.1:3128\n/);
  assert.match(squid, /\nauth_param digest program \/h \/d\/passwords\n/);
  assert.match(squid, /\nacl reference_ports port 80 443\n/);
  assert.match(squid, /\nhttp_access deny !reference_ports\nhttp_access allow CONNECT authenticated\nhttp_access deny CONNECT\n/);
  assert.match(squid, /\nacl squid_only_name dstdomain -n via-squid\.test\nhttp_access allow squid_only_name authenticated\nhttp_access deny squid_only_name\nhttp_access allow localhost\n/);
  assert.doesNotMatch(squid, /auth_param basic/);
  const nginx = nginxConfig({directory: '/d', http: 1, https: 2, upstreams: {a: 10, b: 11},
                             certificates: {a: {cert: 'a.pem', key: 'a.key'}, b: {cert: 'b.pem', key: 'b.key'}}});
  assert.match(nginx, /\n {2}upstream upstream_pool \{ server 127\.0\.0\.1:10; server 127\.0\.0\.1:11; \}\n/);
  assert.match(nginx, /\n {4}listen 127\.0\.0\.1:2 ssl default_server;\n {4}ssl_reject_handshake on;\n/);
  assert.match(nginx, /daemon off;\nmaster_process off;\n/);
});

test('a missing program is a setup error that names its package', (t) => {
  assert.throws(() => requireProgram('WEB_TESTS_NO_SUCH', ['/no/such/squidish', 'no-such-squidish'], 'squidish'),
                /squidish is not installed \(Debian package squidish; scripts\/bootstrap\.sh\), or set WEB_TESTS_NO_SUCH/);
  process.env.WEB_TESTS_NO_SUCH = '/bin/true';
  t.after(() => delete process.env.WEB_TESTS_NO_SUCH);
  assert.equal(requireProgram('WEB_TESTS_NO_SUCH', ['/no/such/squidish'], 'squidish'), '/bin/true');
  assert.equal(requireProgram('WEB_TESTS_UNSET', ['/no/such/sh', 'sh'], 'dash'), 'sh');
});

test('tinyproxy: Basic credentials for everything, CONNECT only to the allowed ports',
     {skip: installed('/usr/bin/tinyproxy')}, async (t) => {
  const upstream = await startUpstream(t);
  const proxy = await startTinyproxy({directory: path.join(temporaryDirectory(t), 'tinyproxy'), connectPorts: [upstream]});
  t.after(() => proxy.stop());
  const connect = (port, credentials) => exchange(proxy.ports.tinyproxy,
      `CONNECT 127.0.0.1:${port} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
      `${credentials ? `Proxy-Authorization: Basic ${Buffer.from(credentials).toString('base64')}\r\n` : ''}\r\n`);
  assert.equal(statusOf(await connect(upstream, `${kTinyproxyUser}:${kTinyproxyPassword}`)), 200);
  assert.equal(statusOf(await connect(upstream, null)), 407);
  assert.equal(statusOf(await connect(upstream, `${kTinyproxyUser}:wrong`)), 401);
  const other = upstream === 65535 ? upstream - 1 : upstream + 1;
  assert.equal(statusOf(await connect(other, `${kTinyproxyUser}:${kTinyproxyPassword}`)), 403);
});

// RFC 2617 Digest credentials for a CONNECT, answering `challenge`.
function digestAuthorization(challenge, user, password, uri) {
  const field = (name) => new RegExp(`${name}="([^"]*)"`).exec(challenge)?.[1];
  const md5 = (text) => crypto.createHash('md5').update(text).digest('hex');
  const realm = field('realm');
  const nonce = field('nonce');
  const cnonce = crypto.randomBytes(8).toString('hex');
  const ha1 = md5(`${user}:${realm}:${password}`);
  const ha2 = md5(`CONNECT:${uri}`);
  const response = md5(`${ha1}:${nonce}:00000001:${cnonce}:auth:${ha2}`);
  return `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", qop=auth, nc=00000001, ` +
         `cnonce="${cnonce}", response="${response}"`;
}

test('squid: Digest only, CONNECT only to the allowed ports and only when authenticated',
     {skip: installed('/usr/sbin/squid') || installed('/usr/lib/squid/digest_file_auth')}, async (t) => {
  const upstream = await startUpstream(t);
  const proxy = await startSquid({directory: path.join(temporaryDirectory(t), 'squid'), connectPorts: [upstream]});
  t.after(() => proxy.stop());
  const uri = `127.0.0.1:${upstream}`;
  const connect = (authorization) => exchange(proxy.ports.squid,
      `CONNECT ${uri} HTTP/1.1\r\nHost: ${uri}\r\n${authorization ? `Proxy-Authorization: ${authorization}\r\n` : ''}\r\n`);
  const challenge = await connect(null);
  assert.equal(statusOf(challenge), 407);
  assert.match(challenge, /\r\nProxy-Authenticate: Digest realm="switchboard"/);
  assert.doesNotMatch(challenge, /Proxy-Authenticate: Basic/);
  const basic = `Basic ${Buffer.from(`${kSquidUser}:${kSquidPassword}`).toString('base64')}`;
  assert.equal(statusOf(await connect(basic)), 407);
  assert.equal(statusOf(await connect(digestAuthorization(challenge, kSquidUser, 'wrong', uri))), 407);
  const tunnel = await connect(digestAuthorization(challenge, kSquidUser, kSquidPassword, uri));
  assert.equal(statusOf(tunnel), 200, tunnel);
  // Plain requests from localhost to an allowed port need no credentials (the shell loads pages).
  assert.notEqual(statusOf(await exchange(proxy.ports.squid, `GET http://${uri}/ HTTP/1.1\r\nHost: ${uri}\r\n\r\n`)), 407);
  const otherPort = `127.0.0.1:${upstream === 65535 ? upstream - 1 : upstream + 1}`;
  assert.equal(statusOf(await exchange(proxy.ports.squid, `CONNECT ${otherPort} HTTP/1.1\r\nHost: ${otherPort}\r\n\r\n`)), 403);
});

test('nginx: stickiness by query and cookie, round robin that sets the cookie, virtual hosts by SNI and Host',
     {skip: installed('/usr/sbin/nginx')}, async (t) => {
  const directory = temporaryDirectory(t);
  const [a, b] = [await startUpstream(t), await startUpstream(t)];
  const pki = await createTestPki(path.join(directory, 'pki'));
  const nginx = await startNginx({directory: path.join(directory, 'nginx'), upstreams: {a, b},
                                  certificates: {a: pki.certificates.vhost_a, b: pki.certificates.vhost_b}});
  t.after(() => nginx.stop());
  const upgrade = (target, {cookie = null, host = '127.0.0.1', upgradeTo = 'TCPConnection/1.0', port = nginx.ports.nginx,
    tlsOptions = null} = {}) => exchange(port,
      `OPTIONS ${target} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: ${upgradeTo}\r\nConnection: Upgrade\r\n` +
      `${cookie ? `Cookie: ${cookie}\r\n` : ''}\r\n`, {tlsOptions});
  const upstreamOf = (response) => /\r\nX-Switchboard-Upstream: (\w+)\r\n/.exec(response)?.[1];
  const cookieOf = (response) => /\r\nSet-Cookie: ([^\r]*)\r\n/.exec(response)?.[1] ?? null;

  const byQuery = await upgrade('/x?route=b', {cookie: 'switchboard_route=a'});
  assert.equal(statusOf(byQuery), 101);
  assert.match(byQuery, /\r\nAccess-Control: allow <\*>\r\n/);
  assert.equal(upstreamOf(byQuery), 'b', 'the query parameter wins over the cookie');
  assert.equal(cookieOf(byQuery), null);
  assert.equal(upstreamOf(await upgrade('/x', {cookie: 'other=1; switchboard_route=a'})), 'a');
  // Round robin: both upstreams in turn, each 101 names the one that answered.
  const cookies = [];
  for (let i = 0; i < 4; ++i) {
    const response = await upgrade('/x');
    assert.equal(upstreamOf(response), 'pool');
    cookies.push(cookieOf(response));
  }
  assert.deepEqual(new Set(cookies), new Set(['switchboard_route=a; Path=/', 'switchboard_route=b; Path=/']));
  assert.equal(cookieOf(await exchange(nginx.ports.nginx, 'GET /page HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')), null,
               'only upgrades get the cookie');
  // Name-based virtual hosts on the http port, RFC 2817 passed through.
  const viaHost = await upgrade('/x', {host: 'b.example.test', upgradeTo: 'TLS/1.0'});
  assert.equal(statusOf(viaHost), 101);
  assert.equal(upstreamOf(viaHost), 'b');
  assert.match(viaHost, /\r\nUpgrade: TLS\/1\.0\r\n/);
  // SNI on the https port: each site its certificate; other names refused.
  const ca = fs.readFileSync(pki.caFile);
  for (const site of ['a', 'b']) {
    const response = await upgrade('/x', {host: `${site}.example.test`, port: nginx.ports.nginx_https,
                                          tlsOptions: {servername: `${site}.example.test`, ca}});
    assert.equal(upstreamOf(response), site);
  }
  await assert.rejects(upgrade('/x', {port: nginx.ports.nginx_https, tlsOptions: {servername: 'c.example.test', ca}}),
                       /unrecognized name/);
});
