import { open } from 'node:fs/promises';
import { describeProblem } from '$lib/credentials/problems';
import { verifyMembershipEvidence } from '$lib/credentials/membership-evidence';
import {
	MAX_CREDENTIAL_BYTES,
	subjectOf,
	verifyCredentialInput,
	type CredentialReport
} from '$lib/credentials/verify';

/**
 * `npm run verify -- <credential.json>`: checks a W3C Verifiable Credential 2.0 secured with
 * eddsa-jcs-2022 proofs and did:key keys, with no network, and prints what was verified.
 * Exit code: 0 when every proof verifies (and nothing else failed), 1 when anything failed,
 * 2 when the file is not a credential (missing, too large, not JSON, not a VC 2.0 credential).
 */

const EXIT = { verified: 0, failed: 1, 'not-credential': 2 } as const;

function out(line = ''): void {
	process.stdout.write(`${line}\n`);
}

/** The file's bytes, or its size when it is too large to read. */
async function readBounded(path: string): Promise<Uint8Array | number> {
	const file = await open(path, 'r');
	try {
		const { size } = await file.stat();
		// Refused by size before a byte is read: a 50 MB file costs nothing.
		if (size > MAX_CREDENTIAL_BYTES) return size;
		const bytes = new Uint8Array(size);
		await file.read(bytes, 0, size, 0);
		return bytes;
	} finally {
		await file.close();
	}
}

function text(value: unknown): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'object' && value !== null && 'id' in value) {
		const named = value as { id: unknown; name?: unknown };
		return typeof named.name === 'string'
			? `${String(named.id)} (${named.name})`
			: String(named.id);
	}
	return JSON.stringify(value) ?? 'none';
}

async function printReport(report: CredentialReport): Promise<number> {
	const credential = report.credential;
	if (credential !== undefined) {
		const types = Array.isArray(credential['type'])
			? credential['type'].join(', ')
			: text(credential['type']);
		out(`Credential ${credential['id'] === undefined ? '(no id)' : text(credential['id'])}`);
		out(`  type:     ${types}`);
		out(`  issuer:   ${text(credential['issuer'])}`);
		out(`  subject:  ${subjectOf(credential) ?? '(none)'}`);
		if (credential['validFrom'] !== undefined)
			out(`  valid from  ${text(credential['validFrom'])}`);
		if (credential['validUntil'] !== undefined)
			out(`  valid until ${text(credential['validUntil'])}`);
		out();
		out(`Proofs (${report.proofs.length}):`);
		for (const proof of report.proofs) {
			const by = proof.signer === undefined ? '' : ` by ${proof.signer}`;
			const when = proof.created === undefined ? '' : `, created ${proof.created}`;
			out(
				proof.ok
					? `  ✓ ${proof.at}: eddsa-jcs-2022 signature verified${by}${when}`
					: `  ✗ ${proof.at}${by}: ${describeProblem({ ...proof.problem!, at: '' })}`
			);
		}
		const signers = report.proofs.filter((proof) => proof.ok).map((proof) => proof.signer!);
		const membership = await verifyMembershipEvidence(credential, signers);
		if (membership !== undefined) {
			out();
			out(
				`Membership evidence (co-op ${membership.coop}${membership.coopName === undefined ? '' : `, "${membership.coopName}"`}):`
			);
			out(`  ${membership.records} signed records carried`);
			for (const problem of membership.problems) {
				out(
					problem.code === 'too-many-records'
						? '  ✗ too many records: only the first ones were read'
						: `  ✗ record ${problem.index} refused: ${problem.reason}`
				);
			}
			for (const signer of membership.signers) {
				if (signer.member === undefined) {
					out(`  ✗ ${signer.signer}: the records do not show this key was a member's`);
					continue;
				}
				const since =
					signer.since === undefined ? '' : ` since ${new Date(signer.since).toISOString()}`;
				const how =
					signer.how === 'founder'
						? 'founded the co-op'
						: signer.how === 'invited'
							? `joined with an invite from ${signer.vouchedBy}`
							: `is a device of ${signer.member}, linked by it`;
				out(`  ✓ ${signer.signer} ${how}${since}`);
			}
			out('  (not shown: that no signer left or was removed after these records)');
			if (!membership.ok && report.status === 'verified') {
				out();
				out('FAILED: the signatures verify, but the membership evidence does not hold.');
				return EXIT.failed;
			}
		}
		out();
	}
	for (const problem of report.problems) out(`✗ ${describeProblem(problem)}`);
	if (report.status === 'verified') out(`VERIFIED: all ${report.proofs.length} proof(s) verify.`);
	else if (report.status === 'failed') out('FAILED: see above.');
	else out('NOT A CREDENTIAL.');
	return EXIT[report.status];
}

async function main(argv: readonly string[]): Promise<number> {
	const path = argv[0];
	if (path === undefined || argv.length > 1) {
		console.error('Usage: npm run verify -- <credential.json>');
		return EXIT['not-credential'];
	}
	let input: Uint8Array | number;
	try {
		input = await readBounded(path);
	} catch (error) {
		console.error(`Cannot read ${path}: ${(error as Error).message}`);
		return EXIT['not-credential'];
	}
	if (typeof input === 'number') {
		out(
			`✗ ${describeProblem({ code: 'too-large', at: '', detail: `${input} bytes, at most ${MAX_CREDENTIAL_BYTES}` })}`
		);
		out('NOT A CREDENTIAL.');
		return EXIT['not-credential'];
	}
	return printReport(await verifyCredentialInput(input, { now: Date.now() }));
}

process.exitCode = await main(process.argv.slice(2));
