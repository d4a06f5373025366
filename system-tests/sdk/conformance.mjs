// HopX SDK conformance run against Kiln: Template.build() with COPY of a directory and of a file, RUN, ENV,
// WORKDIR and setStartCmd(waitForPort) to active, then list, get and delete the template through the SDK.
// Env: KILN_URL, KILN_API_KEY. Prints one JSON line of results; exits non-zero on any failure.
import { Sandbox, Template, waitForPort } from '@hopx-ai/sdk';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const baseURL = process.env.KILN_URL;
const apiKey = process.env.KILN_API_KEY;
assert.ok(baseURL && apiKey, 'set KILN_URL and KILN_API_KEY');

// A build context: a directory and a single file, as a user's project would have them.
const context = await mkdtemp(join(tmpdir(), 'kiln-sdk-'));
await mkdir(join(context, 'app', 'lib'), { recursive: true });
await writeFile(join(context, 'app', 'server.pl'), [
  'use IO::Socket::INET;',
  'my $s = IO::Socket::INET->new(LocalPort => $ARGV[0], Listen => 5, ReuseAddr => 1) or die "listen: $!";',
  'while (my $c = $s->accept) { print $c "HTTP/1.0 200 OK\\r\\n\\r\\nhello\\n"; close $c; }',
].join('\n'));
await writeFile(join(context, 'app', 'lib', 'util.txt'), 'utility\n');
await writeFile(join(context, 'config.json'), '{"kiln": true}\n');

const name = `sdk-conformance-${Date.now()}`;
const template = new Template('debian:bookworm-slim')
  .copy('app', '/srv/app')
  .copy('config.json', '/etc/kiln-sdk/config.json', { permissions: '0600' })
  .runCmd('test -f /srv/app/server.pl && test -f /srv/app/lib/util.txt && test -f /etc/kiln-sdk/config.json')
  .setEnv('GREETING', 'hello-from-sdk')
  .setWorkdir('/srv/app')
  .runCmd('echo "$GREETING" > greeting.txt')
  .setStartCmd('perl /srv/app/server.pl 8080', waitForPort(8080));

const started = Date.now();
const logs = [];
const built = await Template.build(template, {
  name, apiKey, baseURL, contextPath: context, cpu: 1, memory: 512, diskGB: 2,
  onLog: (entry) => logs.push(entry.message),
});
const timeToActiveMs = Date.now() - started;
assert.equal(typeof built.templateID, 'string');
assert.ok(logs.some((line) => line.includes('start check passed')), 'build logs reach the SDK');

const listed = await Sandbox.listTemplates({ apiKey, baseURL });
const mine = listed.find((t) => t.name === name);
assert.ok(mine, 'the new template is listed');
assert.equal(mine.id, built.templateID);
assert.equal(mine.isActive, true);

const fetched = await Sandbox.getTemplate(name, { apiKey, baseURL });
assert.equal(fetched.id, built.templateID);
assert.equal(fetched.status, 'active');

await Sandbox.deleteTemplate(built.templateID, { apiKey, baseURL });
const gone = await Sandbox.getTemplate(built.templateID, { apiKey, baseURL }).then(() => false, () => true);
assert.ok(gone, 'a deleted template is gone');

console.log(JSON.stringify({ result: 'ok', name, templateId: built.templateID, buildId: built.buildID, timeToActiveMs }));
