// The runner's command line.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const kWebTestsDirectory = path.resolve(__dirname, '..', '..');
const kRepositoryDirectory = path.resolve(kWebTestsDirectory, '..');

const kUsage = `usage: web_tests/run [options] [TEST_PATH...]

Runs the web tests: each .html/.js test in a fresh switchboard-shell, loaded over http:// from
the reference server, its output (stdout and stderr as one text, in the order written) compared
with the -expected.txt baseline beside it. Each failure ends with a "rerun:" command.

  --filter REGEX       only tests whose name (path under web_tests/) matches REGEX
  TEST_PATH...         only these tests or directories (same as a filter)
  -j, --jobs N         tests run in parallel (default: number of cores)
  --rebaseline         write each matching test's actual output as its baseline
  --repeat N           run every test N times; any failing run fails it (flakiness check)
  --timeout SECONDS    per-test timeout handed to the shell (default 10; a test may ask for
                       more with "web-test: timeout=S")
  --build-dir DIR      where bin/switchboard-shell and bin/switchboard-server are (default build/)
  --shell PATH         the shell to run tests in (default BUILD_DIR/bin/switchboard-shell; a .js
                       file runs under node, e.g. web_tests/tools/node-shell.js)
  --server PATH        the reference server (default BUILD_DIR/bin/switchboard-server)
  --results DIR        results.json, report.html and per-test files (default web_tests/results/)
  --tests-dir DIR      discover tests under DIR instead of web_tests/ (must be inside --root)
  --root DIR           the directory served to tests; test names are relative to it
                       (default web_tests/)
  --allow-empty        succeed when no test matches
  --keep               after the run, leave the servers, their ports and the test CA running
                       until Ctrl-C, and print each failure's exact shell command line
  --verbose            print every test's result, the commands, the ports and the servers' logs
  --help               print this help

Servers (all on ports picked at run time, on 127.0.0.1; configurations, logs and the test PKI
in one temporary directory that is removed at the end; nothing outlives the run):
  always               a test PKI (openssl), the shared reference server (http + https with the
                       test CA's certificate, RFC 2817 on http), the Perl echo server, dnsmasq;
                       every shell gets --dns-server 127.0.0.1:DNS --ca-file TMP/pki/ca.pem
  tinyproxy            Basic proxy auth switchboard:tinyproxy-secret, CONNECT to the shared
                       server's ports only
  squid                Digest proxy auth switchboard:squid-secret (and second:second-secret),
                       CONNECT to the shared server's ports only; knows via-squid.test
  nginx                load balancer in front of reference servers a and b (route=a|b, cookie
                       switchboard_route, else round robin); a.example.test / b.example.test by
                       Host and, on nginx_https, by SNI
  tls                  reference servers with a wrong-host, expired and untrusted certificate,
                       and one with --require-tls-upgrade
  Optional servers start only when a selected test needs them.

Test directives ("web-test: ..." in the first 20 lines; values may be quoted):
  timeout=S  isolated-server  shell-args="ARG ..."  env="NAME=VALUE ..."  base=URL
  servers=tinyproxy,squid,nginx,tls
  "{name}" in shell-args, env and base is that server's port (http, https, perl_echo, dns,
  closed, tinyproxy, squid, nginx, nginx_https, nginx_upstream_a, nginx_upstream_b,
  https_wrong_host, https_expired, https_untrusted, tls_required); pages read them from /ports.js.
  The shell never inherits the runner's own proxy variables.

Exit status: 0 when every test passed (or was rebaselined), 1 when some failed, 2 on a usage
or setup error.`;

class UsageError extends Error {}

function parseArguments(argv, {cwd = process.cwd()} = {}) {
  const options = {
    filters: [],
    paths: [],
    jobs: typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length,
    rebaseline: false,
    repeat: 1,
    timeoutSeconds: 10,
    buildDirectory: path.join(kRepositoryDirectory, 'build'),
    shell: null,
    server: null,
    resultsDirectory: path.join(kWebTestsDirectory, 'results'),
    testsDirectory: null,
    rootDirectory: kWebTestsDirectory,
    allowEmpty: false,
    keep: false,
    verbose: false,
    help: false,
    // The options that change how a test runs, as absolute values: what "rerun:" repeats.
    rerunArguments: [],
  };
  const positiveInteger = (text, option) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new UsageError(`${option} needs a positive integer`);
    return value;
  };
  for (let index = 0; index < argv.length; ++index) {
    let argument = argv[index];
    let inlineValue;
    const equals = argument.indexOf('=');
    if (argument.startsWith('--') && equals > 0) {
      inlineValue = argument.slice(equals + 1);
      argument = argument.slice(0, equals);
    }
    const value = () => {
      if (inlineValue !== undefined) return inlineValue;
      if (index + 1 >= argv.length) throw new UsageError(`${argument} needs a value`);
      return argv[++index];
    };
    switch (argument) {
      case '--help':
      case '-h':
        options.help = true;
        break;
      case '--filter': {
        const text = value();
        try {
          options.filters.push(new RegExp(text));
        } catch (error) {
          throw new UsageError(`bad --filter: ${error.message}`);
        }
        break;
      }
      case '-j':
      case '--jobs':
        options.jobs = positiveInteger(value(), argument);
        break;
      case '--rebaseline':
        options.rebaseline = true;
        break;
      case '--repeat':
        options.repeat = positiveInteger(value(), argument);
        break;
      case '--timeout': {
        const seconds = Number(value());
        if (!(seconds > 0)) throw new UsageError('--timeout needs a positive number of seconds');
        options.timeoutSeconds = seconds;
        options.rerunArguments.push('--timeout', String(seconds));
        break;
      }
      case '--build-dir':
        options.buildDirectory = path.resolve(cwd, value());
        options.rerunArguments.push('--build-dir', options.buildDirectory);
        break;
      case '--shell':
        options.shell = path.resolve(cwd, value());
        options.rerunArguments.push('--shell', options.shell);
        break;
      case '--server':
        options.server = path.resolve(cwd, value());
        options.rerunArguments.push('--server', options.server);
        break;
      case '--results':
        options.resultsDirectory = path.resolve(cwd, value());
        break;
      case '--tests-dir':
        options.testsDirectory = path.resolve(cwd, value());
        options.rerunArguments.push('--tests-dir', options.testsDirectory);
        break;
      case '--root':
        options.rootDirectory = path.resolve(cwd, value());
        options.rerunArguments.push('--root', options.rootDirectory);
        break;
      case '--allow-empty':
        options.allowEmpty = true;
        break;
      case '--keep':
        options.keep = true;
        break;
      case '--verbose':
      case '-v':
        options.verbose = true;
        break;
      default:
        if (/^-j\d+$/.test(argument)) {
          options.jobs = positiveInteger(argument.slice(2), '-j');
        } else if (argument.startsWith('-')) {
          throw new UsageError(`unknown option ${argument}`);
        } else {
          options.paths.push(argument);
        }
    }
  }
  if (options.testsDirectory === null) options.testsDirectory = options.rootDirectory;
  options.shell ??= path.join(options.buildDirectory, 'bin', 'switchboard-shell');
  options.server ??= path.join(options.buildDirectory, 'bin', 'switchboard-server');
  const relative = path.relative(options.rootDirectory, options.testsDirectory);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new UsageError(`--tests-dir ${options.testsDirectory} is not inside --root ${options.rootDirectory}`);
  }
  // TEST_PATH arguments become filters. A path names a file or directory relative to the current
  // directory when it exists there inside the root, else relative to the root.
  const isInsideRoot = (absolute) => {
    const relativePath = path.relative(options.rootDirectory, absolute);
    return !relativePath.startsWith('..') && !path.isAbsolute(relativePath);
  };
  for (const testPath of options.paths) {
    let absolute = path.resolve(cwd, testPath);
    if (!isInsideRoot(absolute) || !fs.existsSync(absolute)) absolute = path.resolve(options.rootDirectory, testPath);
    if (!isInsideRoot(absolute)) throw new UsageError(`${testPath} is not inside ${options.rootDirectory}`);
    const name = path.relative(options.rootDirectory, absolute).split(path.sep).join('/');
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    options.filters.push(new RegExp(`^${escaped}(/|$)`));
  }
  return options;
}

// A test is selected when it matches any filter (or there are none).
function matchesFilters(options, name) {
  return options.filters.length === 0 || options.filters.some((filter) => filter.test(name));
}

module.exports = {kUsage, kWebTestsDirectory, kRepositoryDirectory, UsageError, parseArguments, matchesFilters};
