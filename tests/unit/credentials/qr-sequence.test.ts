import { describe, expect, it } from 'vitest';
import {
	fromQrSequence,
	parseQrPart,
	QR_PART_CHARS,
	toQrSequence
} from '$lib/credentials/qr-sequence';
import { coopCredential } from './coop-credential';

describe('QR sequences', () => {
	it('round trips a co-signed credential in any order, with repeats', async () => {
		const text = JSON.stringify((await coopCredential({ jobs: 300, listItems: true })).signed);
		const codes = await toQrSequence(text);
		expect(codes.length).toBeGreaterThan(2);
		for (const code of codes) expect(code.length).toBeLessThanOrEqual(QR_PART_CHARS + 24);
		const scanned = [...codes].reverse().concat(codes[1]!);
		expect(await fromQrSequence(scanned, 1_000_000)).toEqual({ ok: true, text });
	});

	it('says which parts are missing, and refuses mixed, damaged or foreign codes', async () => {
		const text = JSON.stringify((await coopCredential({ jobs: 300, listItems: true })).signed);
		const codes = await toQrSequence(text);
		expect(await fromQrSequence(codes.slice(1), 1_000_000)).toMatchObject({
			ok: false,
			reason: 'missing',
			missing: [1]
		});
		const other = await toQrSequence(text.replace('Sam', 'Kim'));
		expect(await fromQrSequence([codes[0]!, ...other.slice(1)], 1_000_000)).toMatchObject({
			ok: false,
			reason: 'mixed'
		});
		const part = parseQrPart(codes[0]!)!;
		const flipped = codes[0]!.slice(0, -1) + (codes[0]!.endsWith('A') ? 'B' : 'A');
		expect(await fromQrSequence([flipped, ...codes.slice(1)], 1_000_000)).toMatchObject({
			ok: false,
			reason: 'damaged'
		});
		expect(part.count).toBe(codes.length);
		expect(await fromQrSequence(['https://example.org'], 1_000_000)).toMatchObject({
			ok: false,
			reason: 'not-ours'
		});
		// A small sequence that would inflate past the limit is refused, not unpacked.
		const bomb = await toQrSequence(' '.repeat(5_000_000));
		expect(bomb.length).toBeLessThanOrEqual(10);
		expect(await fromQrSequence(bomb, 1_000_000)).toMatchObject({ ok: false, reason: 'damaged' });
	});
});
