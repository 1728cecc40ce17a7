// The real third-party servers the proxy, TLS and load-balancing tests run against, each started
// in the foreground on ports picked at run time with a configuration generated into the run's
// temporary directory: tinyproxy (Basic proxy auth), squid (Digest proxy auth) and nginx (a
// reverse proxy with sticky upstreams and name-based virtual hosts in front of two reference
// servers). README.md "Servers" documents what tests can rely on.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const {ServerError, findProgram, startOnFreePorts} = require('./processes');

// Credentials the proxy tests use (README.md "Servers").
const kTinyproxyUser = 'switchboard';
const kTinyproxyPassword = 'tinyproxy-secret';
const kSquidUser = 'switchboard';
const kSquidPassword = 'squid-secret';
// A second account, for the wrong-password test: squid's Digest state is per user name, and a
// concurrent successful login of the same user must not decide the other test's outcome.
const kSquidSecondUser = 'second';
const kSquidSecondPassword = 'second-secret';
// A name only squid can resolve (its hosts_file); the shell's DNS server does not know it.
const kSquidOnlyName = 'via-squid.test';

// The program to run: $OVERRIDE, else the first candidate that exists (or is on PATH).
function requireProgram(override, candidates, debianPackage) {
  if (process.env[override]) return process.env[override];
  const found = findProgram(candidates);
  const onPath = (name) => (process.env.PATH ?? '').split(':').some((directory) => {
    try {
      fs.accessSync(path.join(directory, name), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  if (found.includes('/') ? fs.existsSync(found) : onPath(found)) return found;
  throw new ServerError(`${path.basename(candidates[0])} is not installed (Debian package ${debianPackage}; ` +
                        `scripts/bootstrap.sh), or set ${override}`);
}

// --- tinyproxy ---------------------------------------------------------------------------------

// CONNECT is allowed to `connectPorts` only (ConnectPort); every request needs Basic credentials;
// forwarded requests carry `X-Forwarded-By: tinyproxy`.
function tinyproxyConfig({port, connectPorts}) {
  return [
    `Port ${port}`,
    'Listen 127.0.0.1',
    'Timeout 600',
    'MaxClients 200',
    'LogLevel Info',
    'Allow 127.0.0.1',
    'DisableViaHeader Yes',
    `BasicAuth ${kTinyproxyUser} ${kTinyproxyPassword}`,
    // On every request it forwards (not inside CONNECT tunnels): pages see that their own
    // load came through tinyproxy (/headers.js).
    'AddHeader "X-Forwarded-By" "tinyproxy"',
    ...connectPorts.map((connectPort) => `ConnectPort ${connectPort}`),
    '',
  ].join('\n');
}

async function startTinyproxy({directory, connectPorts, verbose = false}) {
  const binary = requireProgram('WEB_TESTS_TINYPROXY', ['/usr/bin/tinyproxy', '/usr/sbin/tinyproxy', 'tinyproxy'], 'tinyproxy');
  fs.mkdirSync(directory, {recursive: true});
  const configFile = path.join(directory, 'tinyproxy.conf');
  const {handle, ports: [port]} = await startOnFreePorts('tinyproxy', {
    verbose,
    failurePattern: /Address already in use|Could not create listening sockets|Unable to/i,
    makeArgv: ([tinyproxyPort]) => {
      fs.writeFileSync(configFile, tinyproxyConfig({port: tinyproxyPort, connectPorts}));
      return [binary, '-d', '-c', configFile];
    },
  });
  return {name: 'tinyproxy', ports: {tinyproxy: port}, stop: handle.stop, log: handle.log};
}

// --- squid -------------------------------------------------------------------------------------

// Digest authentication (digest_file_auth with a plaintext password file). CONNECT only to
// `connectPorts` and only for authenticated users; plain requests (page loads) to those ports
// without credentials; everything else denied.
function squidConfig({port, directory, connectPorts, helper, effectiveUser}) {
  const file = (name) => path.join(directory, name);
  return [
    `http_port 127.0.0.1:${port}`,
    'visible_hostname switchboard-web-tests',
    ...(effectiveUser ? [`cache_effective_user ${effectiveUser}`] : []),
    `pid_filename ${file('squid.pid')}`,
    `cache_log ${file('cache.log')}`,
    `access_log stdio:${file('access.log')}`,
    'cache_store_log none',
    'logfile_rotate 0',
    `coredump_dir ${directory}`,
    'netdb_filename none',
    'pinger_enable off',
    'cache deny all',
    'cache_mem 4 MB',
    'shutdown_lifetime 0 seconds',
    'icp_port 0',
    'htcp_port 0',
    `hosts_file ${file('hosts')}`,
    'dns_nameservers 127.0.0.1',
    `auth_param digest program ${helper} ${file('passwords')}`,
    'auth_param digest children 2 startup=1 idle=1',
    'auth_param digest realm switchboard',
    'auth_param digest nonce_garbage_interval 5 minutes',
    `acl reference_ports port ${connectPorts.join(' ')}`,
    'acl CONNECT method CONNECT',
    'acl authenticated proxy_auth REQUIRED',
    'http_access deny !reference_ports',
    'http_access allow CONNECT authenticated',
    'http_access deny CONNECT',
    // Plain requests for the name only squid knows (a page loaded through squid) need the
    // login too; other plain requests from localhost do not.
    // (-n: not for 127.0.0.1, which the hosts file would name via-squid.test in reverse.)
    `acl squid_only_name dstdomain -n ${kSquidOnlyName}`,
    'http_access allow squid_only_name authenticated',
    'http_access deny squid_only_name',
    'http_access allow localhost',
    'http_access deny all',
    '',
  ].join('\n');
}

// The account squid switches to when started as root (it refuses to run as root).
function unprivilegedAccount() {
  let passwd = '';
  try {
    passwd = fs.readFileSync('/etc/passwd', 'utf8');
  } catch {
    return null;
  }
  const accounts = new Map(passwd.split('\n').map((line) => line.split(':')).filter((fields) => fields.length >= 4)
      .map((fields) => [fields[0], {name: fields[0], uid: Number(fields[2]), gid: Number(fields[3])}]));
  return accounts.get('proxy') ?? accounts.get('nobody') ?? null;
}

function chownTree(directory, uid, gid) {
  fs.chownSync(directory, uid, gid);
  for (const entry of fs.readdirSync(directory, {withFileTypes: true})) {
    const entryPath = path.join(directory, entry.name);
    if (entry.isDirectory()) chownTree(entryPath, uid, gid);
    else fs.chownSync(entryPath, uid, gid);
  }
}

async function startSquid({directory, connectPorts, verbose = false}) {
  const binary = requireProgram('WEB_TESTS_SQUID', ['/usr/sbin/squid', 'squid'], 'squid');
  const helper = process.env.WEB_TESTS_SQUID_DIGEST_HELPER ?? '/usr/lib/squid/digest_file_auth';
  if (!process.env.WEB_TESTS_SQUID && !fs.existsSync(helper)) {
    throw new ServerError(`squid: its Digest helper ${helper} is missing (apt-get install squid)`);
  }
  fs.mkdirSync(directory, {recursive: true});
  fs.writeFileSync(path.join(directory, 'passwords'),
                   `${kSquidUser}:${kSquidPassword}\n${kSquidSecondUser}:${kSquidSecondPassword}\n`);
  fs.writeFileSync(path.join(directory, 'hosts'), `127.0.0.1 ${kSquidOnlyName}\n`);
  const account = typeof process.getuid === 'function' && process.getuid() === 0 ? unprivilegedAccount() : null;
  if (account !== null) {
    // squid runs as `account` after reading its configuration: it must reach and write its
    // directory (the run directory above it is made traversable by the caller).
    chownTree(directory, account.uid, account.gid);
  }
  const configFile = path.join(directory, 'squid.conf');
  // The service name keeps this instance's shared memory segments (/dev/shm/squid-NAME-*) apart
  // from any other squid's.
  const serviceName = `switchboard${process.pid}x${Math.floor(Math.random() * 1e9)}`;
  const removeSharedMemory = () => {
    try {
      for (const entry of fs.readdirSync('/dev/shm')) {
        if (entry.startsWith(`squid-${serviceName}-`)) fs.rmSync(path.join('/dev/shm', entry), {force: true});
      }
    } catch {
      // no /dev/shm
    }
  };
  const readCacheLog = () => {
    try {
      return fs.readFileSync(path.join(directory, 'cache.log'), 'utf8').slice(-8192);
    } catch {
      return '';
    }
  };
  const {handle, ports: [port]} = await startOnFreePorts('squid', {
    verbose,
    extraLog: readCacheLog,
    failurePattern: /FATAL|Address already in use|commBind|Cannot open HTTP Port/i,
    makeArgv: ([squidPort]) => {
      fs.writeFileSync(configFile, squidConfig({port: squidPort, directory, connectPorts, helper,
                                                effectiveUser: account?.name ?? null}));
      return [binary, '-N', '-n', serviceName, '-f', configFile];
    },
  }).catch((error) => {
    removeSharedMemory();
    throw error;
  });
  const log = () => handle.log() + readCacheLog();
  const stop = async () => {
    await handle.stop();
    removeSharedMemory();
  };
  return {name: 'squid', ports: {squid: port}, stop, log};
}

// --- nginx -------------------------------------------------------------------------------------

// nginx in front of two reference servers ("upstream a" and "upstream b"):
//   port `http`, default server: a load balancer. The upstream is chosen by the query parameter
//     route (a|b), else by the cookie switchboard_route (a|b), else round robin ("pool"). The
//     request to the upstream carries "X-Switchboard-Upstream: a|b|pool" (the choice made
//     before connecting). When round robin chose, the 101 of a TCPConnection upgrade carries
//     "Set-Cookie: switchboard_route=<the upstream that answered>; Path=/" — sticky sessions:
//     later connections that send the cookie land on the same upstream. Every response carries
//     "Access-Control: allow <*>".
//   port `http`, server names a.example.test / b.example.test: name-based virtual hosts passing
//     everything (RFC 2817 "Upgrade: TLS/1.0" included) to upstream a / b.
//   port `https`: TLS virtual hosts chosen by SNI: a.example.test (certificate for that name
//     only) → upstream a, b.example.test → upstream b; a handshake without one of these names is
//     refused. Requests carry X-Switchboard-Upstream, the 101 Access-Control: allow <*>.
// Upgrades are proxied with HTTP/1.1 and the client's Upgrade header.
function nginxConfig({directory, http, https, upstreams, certificates}) {
  const file = (name) => path.join(directory, name);
  const proxy = (upstream, label) => [
    `      proxy_pass http://${upstream};`,
    '      proxy_http_version 1.1;',
    '      proxy_set_header Host $http_host;',
    '      proxy_set_header Upgrade $http_upgrade;',
    '      proxy_set_header Connection $switchboard_connection;',
    `      proxy_set_header X-Switchboard-Upstream ${label};`,
    '      proxy_buffering off;',
    '      proxy_read_timeout 1h;',
    '      proxy_send_timeout 1h;',
  ];
  return `${[
    'daemon off;',
    'master_process off;',
    `pid ${file('nginx.pid')};`,
    'error_log stderr notice;',
    'events { worker_connections 1024; }',
    'http {',
    `  access_log ${file('access.log')};`,
    `  client_body_temp_path ${file('client_body')};`,
    `  proxy_temp_path ${file('proxy')};`,
    `  fastcgi_temp_path ${file('fastcgi')};`,
    `  uwsgi_temp_path ${file('uwsgi')};`,
    `  scgi_temp_path ${file('scgi')};`,
    '  ssl_protocols TLSv1.2 TLSv1.3;',
    '  map $http_upgrade $switchboard_connection { default upgrade; "" close; }',
    '  map "$arg_route|$cookie_switchboard_route" $switchboard_backend {',
    '    "~^a\\|" a; "~^b\\|" b; "~^\\|a$" a; "~^\\|b$" b; default pool;',
    '  }',
    // Evaluated when the response goes out, once $upstream_addr is known.
    '  map "$switchboard_backend|$http_upgrade|$upstream_addr" $switchboard_cookie {',
    '    default "";',
    ...['a', 'b'].map((name) => `    "~*^pool\\|TCPConnection/1\\.0\\|127\\.0\\.0\\.1:${upstreams[name]}$" ` +
                                `"switchboard_route=${name}; Path=/";`),
    '  }',
    `  upstream upstream_a { server 127.0.0.1:${upstreams.a}; }`,
    `  upstream upstream_b { server 127.0.0.1:${upstreams.b}; }`,
    `  upstream upstream_pool { server 127.0.0.1:${upstreams.a}; server 127.0.0.1:${upstreams.b}; }`,
    '  server {',
    `    listen 127.0.0.1:${http} default_server;`,
    '    location / {',
    ...proxy('upstream_$switchboard_backend', '$switchboard_backend'),
    '      add_header Set-Cookie $switchboard_cookie always;',
    '      add_header Access-Control "allow <*>" always;',
    '    }',
    '  }',
    ...['a', 'b'].flatMap((name) => [
      '  server {',
      `    listen 127.0.0.1:${http};`,
      `    server_name ${name}.example.test;`,
      '    location / {',
      ...proxy(`upstream_${name}`, name),
      '    }',
      '  }',
    ]),
    '  server {',
    `    listen 127.0.0.1:${https} ssl default_server;`,
    '    ssl_reject_handshake on;',
    '  }',
    ...['a', 'b'].flatMap((name) => [
      '  server {',
      `    listen 127.0.0.1:${https} ssl;`,
      `    server_name ${name}.example.test;`,
      `    ssl_certificate ${certificates[name].cert};`,
      `    ssl_certificate_key ${certificates[name].key};`,
      '    location / {',
      ...proxy(`upstream_${name}`, name),
      '      add_header Access-Control "allow <*>" always;',
      '    }',
      '  }',
    ]),
    '}',
  ].join('\n')}\n`;
}

// `upstreams`: {a, b} http ports of the two reference servers behind nginx.
async function startNginx({directory, upstreams, certificates, verbose = false}) {
  const binary = requireProgram('WEB_TESTS_NGINX', ['/usr/sbin/nginx', 'nginx'], 'nginx');
  fs.mkdirSync(directory, {recursive: true});
  const configFile = path.join(directory, 'nginx.conf');
  const {handle, ports: [http, https]} = await startOnFreePorts('nginx', {
    count: 2,
    verbose,
    failurePattern: /\[emerg\]|bind\(\) to .* failed/,
    makeArgv: ([httpPort, httpsPort]) => {
      fs.writeFileSync(configFile, nginxConfig({directory, http: httpPort, https: httpsPort, upstreams, certificates}));
      return [binary, '-e', 'stderr', '-p', directory, '-c', configFile];
    },
  });
  return {name: 'nginx', ports: {nginx: http, nginx_https: https}, stop: handle.stop, log: handle.log};
}

module.exports = {
  kTinyproxyUser, kTinyproxyPassword, kSquidUser, kSquidPassword, kSquidSecondUser, kSquidSecondPassword, kSquidOnlyName,
  tinyproxyConfig, squidConfig, nginxConfig, requireProgram, startTinyproxy, startSquid, startNginx,
};
