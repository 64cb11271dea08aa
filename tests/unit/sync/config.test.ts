import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultSignalingUrls } from '$lib/sync/config';

describe('default relay', () => {
	afterEach(() => vi.unstubAllEnvs());
	const lan = { protocol: 'http:', hostname: '192.0.2.7' };

	it('is port 4444 of the host that served the app, wss behind https', () => {
		vi.stubEnv('VITE_SIGNALING_URLS', '');
		vi.stubEnv('VITE_SIGNALING_PORT', '');
		expect(defaultSignalingUrls(lan)).toEqual(['ws://192.0.2.7:4444']);
		expect(defaultSignalingUrls({ protocol: 'https:', hostname: 'ours.example.org' })).toEqual([
			'wss://ours.example.org:4444'
		]);
	});

	it('follows the port and the relays a build sets', () => {
		vi.stubEnv('VITE_SIGNALING_PORT', '4480');
		expect(defaultSignalingUrls(lan)).toEqual(['ws://192.0.2.7:4480']);
		vi.stubEnv('VITE_SIGNALING_URLS', 'wss://a.example.org, wss://b.example.org');
		expect(defaultSignalingUrls(lan)).toEqual(['wss://a.example.org', 'wss://b.example.org']);
	});
});
