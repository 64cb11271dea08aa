import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { jsonLengthAtLeast, screenEntry } from '$lib/domain/kernel/entry-screen';
import {
	addJunk,
	EMPTY_LEDGER,
	JUNK_SAMPLE,
	JUNK_SIGNERS,
	readLedger,
	reasonsByCount,
	signersByCount,
	type JunkItem
} from '$lib/domain/kernel/junk-ledger';
import type { Rejection } from '$lib/domain/kernel/reasons';

const rejection = (id: string, reason: Rejection['reason'] = 'invalid-shape'): Rejection => ({
	id,
	reason,
	type: null,
	author: null,
	at: null,
	detail: null
});

describe('the junk ledger', () => {
	it('counts per reason and per signer, and keeps the latest few, newest first', () => {
		const items: JunkItem[] = [
			{ rejection: rejection('a'), signer: 'mallory' },
			{ rejection: rejection('b', 'bad-signature'), signer: null },
			{ rejection: rejection('c'), signer: 'mallory' },
			{ rejection: rejection('d', 'too-large'), signer: 'eve' }
		];
		const ledger = addJunk(EMPTY_LEDGER, items);
		expect(ledger).toMatchObject({ total: 4, unattributed: 1, otherSigners: 0 });
		expect(signersByCount(ledger)).toEqual([
			['mallory', 2],
			['eve', 1]
		]);
		expect(reasonsByCount(ledger)[0]).toEqual(['invalid-shape', 2]);
		expect(ledger.recent.map((entry) => entry.id)).toEqual(['d', 'c', 'b', 'a']);
		expect(EMPTY_LEDGER.total).toBe(0);
	});

	it('stays the same size however much junk and however many keys it counts', () => {
		const items = Array.from({ length: 10_000 }, (_, index) => ({
			rejection: { ...rejection('k'.repeat(100_000)), detail: 'd'.repeat(100_000) },
			signer: `key-${index}`
		}));
		const ledger = addJunk(EMPTY_LEDGER, items);
		expect(Object.keys(ledger.bySigner)).toHaveLength(JUNK_SIGNERS);
		expect(ledger.otherSigners).toBe(10_000 - JUNK_SIGNERS);
		expect(ledger.recent).toHaveLength(JUNK_SAMPLE);
		expect(JSON.stringify(ledger).length).toBeLessThan(50_000);
	});

	it('reads back what storage holds, field by field, and nothing hostile', () => {
		const ledger = addJunk(EMPTY_LEDGER, [{ rejection: rejection('a'), signer: 'mallory' }]);
		expect(readLedger(JSON.parse(JSON.stringify(ledger)))).toEqual(ledger);
		expect(readLedger(null)).toEqual(EMPTY_LEDGER);
		expect(
			readLedger({
				total: -5,
				byReason: { 'invalid-shape': 'many', 'not-a-reason': 3 },
				bySigner: { ['x'.repeat(500)]: 1, mallory: 2.5 },
				unattributed: 1e300,
				recent: [{ id: 'a', reason: 'nonsense' }, 42, rejection('b')]
			})
		).toEqual({
			total: 0,
			byReason: { 'invalid-shape': 0 },
			bySigner: { mallory: 0 },
			otherSigners: 0,
			unattributed: 0,
			recent: [rejection('b')]
		});
	});
});

describe('the cheap checks of an entry', () => {
	const key = 'A'.repeat(42) + 'E';

	it('never counts more than the JSON text holds', () => {
		const values = [
			{},
			[],
			{ a: 'xy' },
			[1, 'two', null, true, { three: [3] }],
			{ v: 1, type: 'member.profile', skills: ['a', 'b'], nested: { deep: [[], {}] } },
			{ é: 'ü'.repeat(10), n: -12.5e-7 }
		];
		for (const value of values) {
			expect(jsonLengthAtLeast(value, 1e9)).toBeLessThanOrEqual(JSON.stringify(value).length);
		}
	});

	it('bounds the walk of a value by the limit, not by its size', () => {
		expect(jsonLengthAtLeast({ a: 'xy' }, 1000)).toBeLessThanOrEqual(
			JSON.stringify({ a: 'xy' }).length
		);
		const huge = Array.from({ length: 1_000_000 }, (_, index) => index);
		expect(jsonLengthAtLeast({ huge }, 1000)).toBe(Infinity);
		let deep: unknown = 1;
		for (let level = 0; level < 40; level++) deep = { deep };
		expect(jsonLengthAtLeast(deep, 1000)).toBe(Infinity);
	});

	it('refuses keys that cannot be ids, values that are not plain objects, and oversized ones', () => {
		expect(screenEntry('junk', {})?.reason).toBe('hash-mismatch');
		expect(screenEntry(key, 'text')?.reason).toBe('invalid-shape');
		expect(screenEntry(key, new Y.Map())?.detail).toBe('not a plain object');
		expect(screenEntry(key, { bio: 'x'.repeat(200_000) })?.reason).toBe('too-large');
		expect(screenEntry(key, { v: 1, type: 'member.profile' })).toBeNull();
	});
});
