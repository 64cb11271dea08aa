// `npm start`: builds the app, starts the signaling relay and serves the app, so two browser
// windows on this machine can try the whole flow. Ctrl-C stops both.
import { spawn, spawnSync } from 'node:child_process';
import { serveApp } from './serve.js';

const appPort = Number(process.env.PORT ?? 4173);
const relayPort = Number(process.env.SIGNALING_PORT ?? 4444);
const host = process.env.HOST ?? '127.0.0.1';

// The built app looks for its relay on this port of the host that served it.
const build = spawnSync('npx', ['vite', 'build'], {
	stdio: 'inherit',
	env: { ...process.env, VITE_SIGNALING_PORT: String(relayPort) }
});
if (build.status !== 0) process.exit(build.status ?? 1);

const relay = spawn(process.execPath, ['signaling/bin/relay.js'], {
	stdio: 'inherit',
	env: { ...process.env, PORT: String(relayPort), HOST: host }
});
relay.on('exit', (code) => {
	console.error(`The relay stopped (exit code ${code}).`);
	process.exit(code ?? 1);
});

const server = await serveApp({ port: appPort, host });
console.log(
	`\nOurs is running: open http://localhost:${appPort} (relay ws://localhost:${relayPort})\n`
);

function stop() {
	server.close();
	relay.kill('SIGTERM');
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
