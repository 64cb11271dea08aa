import { describe, expect, it } from 'vitest';
import { formatIceServers, parseIceServers, parseSignalingUrls } from '$lib/util/sync-config';

describe('signaling settings', () => {
	it('accepts ws and wss relays, one per line or comma separated, without duplicates', () => {
		expect(
			parseSignalingUrls('wss://a.example.org\nws://localhost:4444, wss://a.example.org')
		).toEqual({
			ok: true,
			value: ['wss://a.example.org', 'ws://localhost:4444']
		});
	});

	it('refuses an empty list and anything that is not a WebSocket URL', () => {
		expect(parseSignalingUrls('  ')).toEqual({ ok: false, error: { kind: 'signaling-empty' } });
		expect(parseSignalingUrls('https://a.example.org')).toEqual({
			ok: false,
			error: { kind: 'signaling-url', value: 'https://a.example.org' }
		});
		expect(parseSignalingUrls('ws://')).toMatchObject({ ok: false });
	});
});

describe('ICE settings', () => {
	it('accepts plain STUN/TURN URLs and the JSON form with credentials', () => {
		expect(parseIceServers('stun:stun.example.org:3478')).toEqual({
			ok: true,
			value: [{ urls: 'stun:stun.example.org:3478' }]
		});
		const json = '[{"urls":["turn:turn.example.org:3478"],"username":"u","credential":"p"}]';
		expect(parseIceServers(json)).toEqual({
			ok: true,
			value: [{ urls: ['turn:turn.example.org:3478'], username: 'u', credential: 'p' }]
		});
		expect(parseIceServers('')).toEqual({ ok: true, value: [] });
	});

	it('refuses broken JSON, wrong shapes and non-ICE URLs', () => {
		expect(parseIceServers('[{')).toEqual({ ok: false, error: { kind: 'ice-json' } });
		expect(parseIceServers('[{"urls":42}]')).toEqual({ ok: false, error: { kind: 'ice-json' } });
		expect(parseIceServers('[{"urls":"turn:x","username":5}]')).toEqual({
			ok: false,
			error: { kind: 'ice-json' }
		});
		expect(parseIceServers('http://x')).toEqual({
			ok: false,
			error: { kind: 'ice-url', value: 'http://x' }
		});
	});

	it('shows settings back in the form they can be typed again', () => {
		const plain = [{ urls: 'stun:a:1' }, { urls: ['stun:b:2'] }];
		expect(parseIceServers(formatIceServers(plain))).toEqual({
			ok: true,
			value: [{ urls: 'stun:a:1' }, { urls: 'stun:b:2' }]
		});
		const withCredentials = [{ urls: ['turn:t:3'], username: 'u', credential: 'c' }];
		expect(parseIceServers(formatIceServers(withCredentials))).toEqual({
			ok: true,
			value: withCredentials
		});
	});
});
