// The test PKI made with the openssl command-line tool: each certificate is what its tests need.
'use strict';

const assert = require('node:assert/strict');
const {execFileSync, spawnSync} = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const test = require('node:test');

const {createTestPki} = require('../pki');

const skip = spawnSync('openssl', ['version']).status === 0 ? false : 'the openssl command is not installed';

function verify(caFile, certificate, extra = []) {
  const result = spawnSync('openssl', ['verify', '-CAfile', caFile, ...extra, certificate], {encoding: 'utf8'});
  return `${result.stdout}${result.stderr}`;
}

test('a CA, a server certificate for the test names, and the failure certificates', {skip}, async (t) => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'pki-test-'));
  t.after(() => fs.rmSync(directory, {recursive: true, force: true}));
  const {caFile, untrustedCaFile, certificates} = await createTestPki(directory);
  const {server, wrong_host: wrongHost, expired, untrusted, vhost_a: vhostA} = certificates;

  const text = (file) => execFileSync('openssl', ['x509', '-in', file, '-noout', '-text'], {encoding: 'utf8'});
  assert.match(text(server.cert),
               /IP Address:127\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1, DNS:localhost, DNS:example\.test, DNS:\*\.example\.test/);
  assert.match(verify(caFile, server.cert, ['-verify_hostname', 'www.example.test']), /: OK/);
  assert.match(verify(caFile, server.cert, ['-verify_ip', '::1']), /: OK/);
  assert.match(verify(caFile, wrongHost.cert, ['-verify_hostname', 'www.example.test']), /hostname mismatch/);
  assert.match(text(wrongHost.cert), /DNS:other\.invalid\n/);
  assert.match(verify(caFile, expired.cert), /certificate has expired/);
  assert.match(text(expired.cert), /Not After : Jan {2}2 00:00:00 2020 GMT/);
  assert.match(verify(caFile, untrusted.cert), /unable to get local issuer certificate/);
  assert.match(verify(untrustedCaFile, untrusted.cert), /: OK/);
  assert.match(verify(caFile, vhostA.cert, ['-verify_hostname', 'a.example.test']), /: OK/);
  assert.match(verify(caFile, vhostA.cert, ['-verify_hostname', 'b.example.test']), /hostname mismatch/);
  // Keys belong to their certificates.
  const modulus = (args) => execFileSync('openssl', args, {encoding: 'utf8'});
  assert.equal(modulus(['pkey', '-in', server.key, '-pubout']), modulus(['x509', '-in', server.cert, '-noout', '-pubkey']));
});
