import { describe, expect, it } from 'vitest';
import { formatMoney } from '$lib/util/format';

describe('money as members read it', () => {
	it('shows minor units in major units with the currency, exactly, even past float precision', () => {
		expect(formatMoney(123456, 'EUR', 2)).toBe('€1,234.56');
		expect(formatMoney(-5, 'EUR', 2)).toBe('-€0.05');
		expect(formatMoney(1500, 'JPY', 0)).toBe('¥1,500');
		expect(formatMoney(1234, 'KWD', 3)).toBe('KWD\u00a01.234');
		// Divided by 100 as a float, this amount would show .02.
		expect(formatMoney(9_007_199_254_740_001, 'EUR', 2)).toBe('€90,071,992,547,400.01');
	});
});
