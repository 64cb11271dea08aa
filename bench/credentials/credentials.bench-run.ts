import type { AddressInfo } from 'node:net';
import { chromium } from '@playwright/test';
import { encode } from 'uqr';
import { it } from 'vitest';
import { verifyMembershipEvidence } from '$lib/credentials/membership-evidence';
import { credentialFragment, MAX_LINK_DATA } from '$lib/credentials/credential-link';
import { toQrSequence } from '$lib/credentials/qr-sequence';
import { reputationClaims, stateAt } from '$lib/credentials/reputation-claims';
import { verifyCredentialInput } from '$lib/credentials/verify';
import { bundleForBrowser } from '../../scripts/bundle-for-browser.js';
import { chromiumArgs, findChromium } from '../../scripts/chromium.js';
import { coopCredential, typicalReputation } from '../../tests/unit/credentials/coop-credential';
import { foundCoop, projectWorld, verifiedAll } from '../../tests/unit/domain/fixtures';
import { claim, complete, HOUR, MONDAY, postJob } from '../../tests/unit/domain/work-fixtures';
import { serveBenchPage } from '../records/serve-page';
import type { CredentialsBench } from './browser-page';

/**
 * Issuing and verifying a member's work record: one carrying 1,000 pieces of work (each listed),
 * in Node and in Chromium, and the QR sequence of a typical record (a year of work summed by kind
 * and month, two co-signers and their membership records). Times are medians of several runs;
 * nothing is asserted, machines differ.
 */

const JOBS = 1_000;
const TYPICAL_JOBS = 150;
const RUNS = 7;
const CLAIMS_JOBS = 1_000;
const GOALS = { chromiumVerifyMs: 200, qrCodes: 10, linkChars: MAX_LINK_DATA };
const NOW = Date.UTC(2026, 5, 1);

const median = (values: readonly number[]): number =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number): string => `${value.toFixed(1)} ms`;
const verdict = (met: boolean): string => (met ? 'met' : 'MISSED');

async function nodeVerify(text: string): Promise<number> {
	const started = performance.now();
	const report = await verifyCredentialInput(text, { now: NOW });
	const membership = await verifyMembershipEvidence(
		report.credential!,
		report.proofs.map((proof) => proof.signer!)
	);
	if (report.status !== 'verified' || membership?.ok !== true) throw new Error('Did not verify');
	return performance.now() - started;
}

async function chromiumVerify(text: string): Promise<{ version: string; times: number[] }> {
	const script = await bundleForBrowser('bench/credentials/browser-page.ts');
	const server = await serveBenchPage('credentials bench', script, new Map());
	const { port } = server.address() as AddressInfo;
	const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs });
	try {
		const page = await browser.newPage();
		await page.goto(`http://127.0.0.1:${port}/`);
		await page.waitForFunction(() => 'credentialsBench' in globalThis);
		const times: number[] = [];
		for (let run = 0; run < RUNS; run++) {
			const result = await page.evaluate(
				({ text, now }) =>
					(globalThis as unknown as { credentialsBench: CredentialsBench }).credentialsBench.verify(
						text,
						now
					),
				{ text, now: NOW }
			);
			if (result.status !== 'verified' || !result.members)
				throw new Error('Did not verify in Chromium');
			times.push(result.ms);
		}
		return { version: browser.version(), times };
	} finally {
		await browser.close();
		server.close();
	}
}

/**
 * The skills and feedback are computed from the co-op as it stood at the cutoff: each device that
 * builds a record projects every record before it. Timed on a co-op of `jobs` completed jobs.
 */
async function claimsTimes(jobs: number): Promise<{ records: number; times: number[] }> {
	const { world, people } = await foundCoop(3);
	const [ada, bo] = people as [(typeof people)[0], (typeof people)[0]];
	const posted = [];
	for (let index = 0; index < jobs; index++) {
		const job = await postJob(world, ada, {
			startsAt: MONDAY + index * 24 * HOUR,
			endsAt: MONDAY + index * 24 * HOUR + 2 * HOUR
		});
		await claim(world, bo, job.id);
		posted.push(job);
	}
	world.now = MONDAY + jobs * 24 * HOUR;
	const state = await projectWorld(world);
	for (const [index, job] of posted.entries()) {
		await complete(world, bo, state, job.id, 120, MONDAY + index * 24 * HOUR + 2 * HOUR);
	}
	world.advance(60_000);
	const records = await verifiedAll(world.entries, world.coop);
	const times: number[] = [];
	for (let run = 0; run < RUNS; run++) {
		const started = performance.now();
		reputationClaims(stateAt(world.coop, records, world.now), bo.id);
		times.push(performance.now() - started);
	}
	return { records: records.length, times };
}

it('prints issuing and verifying times and QR sizes', async () => {
	const issueTimes: number[] = [];
	let text = '';
	for (let run = 0; run < 3; run++) {
		const started = performance.now();
		const { signed } = await coopCredential({ jobs: JOBS, listItems: true });
		issueTimes.push(performance.now() - started);
		text = JSON.stringify(signed);
	}
	const nodeTimes: number[] = [];
	for (let run = 0; run < RUNS; run++) nodeTimes.push(await nodeVerify(text));
	const browser = findChromium() === undefined ? undefined : await chromiumVerify(text);

	const typical = JSON.stringify((await coopCredential({ jobs: TYPICAL_JOBS })).signed);
	const codes = await toQrSequence(typical);
	const versions = codes.map((code) => encode(code, { ecc: 'M' }).version);
	const large = await toQrSequence(text);
	// The same with 8 skills, 3 endorsements each with a sentence, and a year of feedback.
	const withReputation = JSON.stringify(
		(await coopCredential({ jobs: TYPICAL_JOBS, extensions: typicalReputation() })).signed
	);
	const reputationCodes = await toQrSequence(withReputation);
	const link = (await credentialFragment(withReputation)) ?? '';

	console.log(`\nCredentials (${JOBS} pieces of work listed, 2 co-signers, membership evidence)\n`);
	console.log(`  credential size        ${(text.length / 1024).toFixed(0)} KiB`);
	console.log(
		`  issue (build + 2 proofs, incl. a 3-member co-op)  median ${ms(median(issueTimes))}`
	);
	console.log(
		`  verify in Node          median ${ms(median(nodeTimes))} (${nodeTimes.map((t) => t.toFixed(0)).join(', ')})`
	);
	if (browser !== undefined) {
		console.log(
			`  verify in Chromium ${browser.version}  median ${ms(median(browser.times))} (${browser.times.map((t) => t.toFixed(0)).join(', ')})`
		);
	}
	console.log(
		`\nQR sequence of a typical record (${TYPICAL_JOBS} pieces of work, summed by kind and month)`
	);
	console.log(
		`  credential ${typical.length} bytes; ${codes.length} codes, ${codes.map((code) => code.length).join(' + ')} characters, QR versions ${[...new Set(versions)].join(', ')} (ECC M)`
	);
	console.log(
		`  with skills and feedback (8 skills, 24 endorsements with sentences): ${withReputation.length} bytes; ${reputationCodes.length} codes; link fragment ${link.length} characters`
	);
	console.log(
		`  (the ${JOBS}-item credential would take ${large.length} codes: it goes as a file or a link)`
	);
	const claims = await claimsTimes(CLAIMS_JOBS);
	console.log(
		`\nSkills and feedback at the cutoff, a co-op of ${claims.records} records (${CLAIMS_JOBS} completed jobs)`
	);
	console.log(
		`  project and summarise, Node  median ${ms(median(claims.times))} (${claims.times.map((t) => t.toFixed(0)).join(', ')})`
	);
	console.log('\nGoals');
	if (browser !== undefined) {
		const chromiumMs = median(browser.times);
		console.log(
			`  verified in Chromium < ${GOALS.chromiumVerifyMs} ms: ${verdict(chromiumMs < GOALS.chromiumVerifyMs)} (${ms(chromiumMs)})`
		);
	} else console.log('  verified in Chromium: not measured (no Chromium found)');
	console.log(
		`  typical record in <= ${GOALS.qrCodes} QR codes: ${verdict(codes.length <= GOALS.qrCodes)} (${codes.length}; ${reputationCodes.length} with skills and feedback)`
	);
	console.log(
		`  typical record with skills and feedback as a link (<= ${GOALS.linkChars} characters): ${verdict(link !== '' && link.length <= GOALS.linkChars)} (${link.length})\n`
	);
});
