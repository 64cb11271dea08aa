import { it } from 'vitest';
import { type VerifiedRecord, verifyAll } from '$lib/domain/registry';
import { compareRecords } from '$lib/domain/kernel/envelope';
import { projectCoop, CoopProjector } from '$lib/domain/coop-state';
import { buildCoop } from './build-coop';

/**
 * Throughput of verifying and projecting membership records. Records are signed first (not
 * timed). Figures are printed, never asserted: machines differ.
 */

const SIZES = [10_000, 100_000];
const MEMBERS = 100;

async function timed<T>(run: () => T | Promise<T>): Promise<{ value: T; ms: number }> {
	const start = performance.now();
	const value = await run();
	return { value, ms: performance.now() - start };
}

const rate = (count: number, ms: number): string =>
	`${Math.round((count / ms) * 1000).toLocaleString('en-US')} rec/s`;

it('prints verification and projection throughput', async () => {
	console.log(`\nRecords benchmark (Node ${process.version}, ${MEMBERS} members)\n`);
	for (const size of SIZES) {
		const { coop, entries } = await buildCoop(size, MEMBERS);

		const verify = await timed(() => verifyAll(entries, coop));
		const { verified, rejections } = verify.value;
		if (rejections.length > 0) throw new Error(`${rejections.length} bench records rejected`);

		const ids = new Set(verified.map((entry) => entry.id));
		const cached = await timed(() => verifyAll(entries, coop, { knownValid: (id) => ids.has(id) }));

		const shuffled = [...verified].reverse();
		const full = await timed(() => projectCoop(coop, shuffled));

		const sorted = [...verified].sort(compareRecords);
		const incremental = await timed(() => {
			const projector = new CoopProjector(coop);
			for (let start = 0; start < sorted.length; start += 100) {
				projector.add(sorted.slice(start, start + 100));
			}
			return projector.snapshot();
		});

		// One late record, stamped before others already applied: in the middle of the co-op's
		// history (a device back after a long time offline), then among the last 1% (the usual
		// case: a peer a little behind). The projector refolds from its last checkpoint before it.
		const lateAt = async (index: number) => {
			const rest = [...sorted];
			const late: VerifiedRecord[] = rest.splice(index, 1);
			const projector = new CoopProjector(coop);
			projector.add(rest);
			projector.snapshot();
			const refold = await timed(() => {
				projector.add(late);
				return projector.snapshot();
			});
			return { ms: refold.ms, replayed: projector.lastRefold?.replayed ?? 0 };
		};
		const middle = await lateAt(Math.floor(sorted.length / 2));
		const recent = await lateAt(Math.floor(sorted.length * 0.99));

		console.log(`${size.toLocaleString('en-US')} records (${full.value.members.length} members)`);
		console.log(
			`  verify (signatures, proofs, hashes)   ${rate(size, verify.ms)}  (${verify.ms.toFixed(0)} ms)`
		);
		console.log(
			`  verify, ids already known valid      ${rate(size, cached.ms)}  (${cached.ms.toFixed(0)} ms)`
		);
		console.log(
			`  project from scratch (unsorted)      ${rate(size, full.ms)}  (${full.ms.toFixed(0)} ms)`
		);
		console.log(
			`  project incrementally, batches of 100 ${rate(size, incremental.ms)}  (${incremental.ms.toFixed(0)} ms)`
		);
		console.log(
			`  one late record (refold) + snapshot  ${middle.ms.toFixed(1)} ms  (middle; ${middle.replayed.toLocaleString('en-US')} replayed)`
		);
		console.log(
			`  one late record, last 1% + snapshot  ${recent.ms.toFixed(1)} ms  (${recent.replayed.toLocaleString('en-US')} replayed)\n`
		);
	}
});
