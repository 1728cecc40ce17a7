// The test PKI, made at run time with the openssl command-line tool into a temporary directory:
// a test CA (the shell trusts it through --ca-file), the reference server's certificate and the
// certificates of the failure tests. README.md "TLS" lists them.
'use strict';

const {execFile} = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const {ServerError} = require('./processes');

// The names every good server certificate covers (spec §3 step 4 verifies them).
const kServerNames = ['IP:127.0.0.1', 'IP:::1', 'DNS:localhost', 'DNS:example.test', 'DNS:*.example.test'];

// name → {ca, san, validity}. validity: {days} or {start, end} in openssl's YYYYMMDDHHMMSSZ form.
const kCertificates = {
  server: {ca: 'ca', san: kServerNames, validity: {days: 7}},
  wrong_host: {ca: 'ca', san: ['DNS:other.invalid'], validity: {days: 7}},
  expired: {ca: 'ca', san: kServerNames, validity: {start: '20200101000000Z', end: '20200102000000Z'}},
  untrusted: {ca: 'untrusted_ca', san: kServerNames, validity: {days: 7}},
  vhost_a: {ca: 'ca', san: ['DNS:a.example.test'], validity: {days: 7}},
  vhost_b: {ca: 'ca', san: ['DNS:b.example.test'], validity: {days: 7}},
};

const kCas = {
  ca: 'Switchboard web tests CA',
  untrusted_ca: 'Switchboard untrusted CA',
};

function run(argv, cwd) {
  return new Promise((resolve, reject) => {
    execFile('openssl', argv, {cwd}, (error, stdout, stderr) => {
      if (error) {
        reject(new ServerError(`openssl ${argv.slice(0, 2).join(' ')} failed: ${error.code === 'ENOENT'
          ? 'the openssl command is not installed' : (stderr || error.message).trim()}`));
      } else {
        resolve(stdout);
      }
    });
  });
}

function caConfig(directory, name, certificates) {
  const lines = [
    '[ca]', `default_ca = ${name}`,
    `[${name}]`,
    `database = ${path.join(directory, `${name}-index.txt`)}`,
    `new_certs_dir = ${directory}`,
    `serial = ${path.join(directory, `${name}-serial`)}`,
    `certificate = ${path.join(directory, `${name}.pem`)}`,
    `private_key = ${path.join(directory, `${name}.key`)}`,
    'default_md = sha256', 'policy = policy_any', 'unique_subject = no', 'copy_extensions = none',
    '[policy_any]', 'commonName = supplied',
  ];
  for (const [certificate, {san}] of Object.entries(certificates)) {
    lines.push(`[ext_${certificate}]`, 'basicConstraints = critical,CA:FALSE',
               'keyUsage = critical,digitalSignature,keyEncipherment', 'extendedKeyUsage = serverAuth',
               `subjectAltName = ${san.join(',')}`);
  }
  return `${lines.join('\n')}\n`;
}

// Creates every CA and certificate under `directory`. Resolves to
// {caFile, untrustedCaFile, certificates: {name: {cert, key}}}.
async function createTestPki(directory) {
  fs.mkdirSync(directory, {recursive: true});
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  for (const [name, subject] of Object.entries(kCas)) {
    await run(['req', '-x509', ...ec, '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '7',
               '-subj', `/CN=${subject}`, '-addext', 'basicConstraints=critical,CA:TRUE',
               '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], directory);
    const issued = Object.fromEntries(Object.entries(kCertificates).filter(([, {ca}]) => ca === name));
    fs.writeFileSync(path.join(directory, `${name}.cnf`), caConfig(directory, name, issued));
    fs.writeFileSync(path.join(directory, `${name}-index.txt`), '');
    fs.writeFileSync(path.join(directory, `${name}-serial`), '1000\n');
  }
  const certificates = {};
  for (const [name, {ca, validity}] of Object.entries(kCertificates)) {
    await run(['req', '-new', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name.replace(/_/g, '-')}`],
              directory);
    const dates = validity.days !== undefined ? ['-days', String(validity.days)]
                                              : ['-startdate', validity.start, '-enddate', validity.end];
    await run(['ca', '-config', `${ca}.cnf`, '-batch', '-notext', '-in', `${name}.csr`, '-out', `${name}.pem`,
               '-extensions', `ext_${name}`, ...dates], directory);
    certificates[name] = {cert: path.join(directory, `${name}.pem`), key: path.join(directory, `${name}.key`)};
  }
  return {caFile: path.join(directory, 'ca.pem'), untrustedCaFile: path.join(directory, 'untrusted_ca.pem'), certificates};
}

module.exports = {createTestPki, kCertificates, kServerNames};
