import { it } from 'vitest';
import {
	closeDraft,
	delegateDraft,
	proposalDraft,
	voteDraft,
	type ProposalInput
} from '$lib/domain/governance/commands';
import type { VerifiedRecord } from '$lib/domain/registry';
import { projectCoop, CoopProjector } from '$lib/domain/coop-state';
import {
	Device,
	MINUTE,
	prng,
	randomChoice,
	verifiedAll,
	World
} from '../../tests/unit/domain/fixtures';
import { generateGovernance } from './generate';

/**
 * The whole path a device takes: 1,000 proposals, 10,000 votes, delegations and closes as
 * signed records, verified, folded by the projection and turned into the state the pages show
 * (every proposal's tally, recount lists, delegations). Then the cost of one more vote arriving.
 * Figures are printed, never asserted.
 */

const SEED = 1;
const PROPOSALS = 1_000;
const VOTES = 10_000;
const DAY = 24 * 60 * MINUTE;

const figure = (n: number) => Math.round(n).toLocaleString('en-US');

it('prints the governance projection times', async () => {
	const data = generateGovernance(SEED, PROPOSALS, VOTES);
	const world = await World.found();
	const devices = new Map<string, Device>([[data.members[0]!, world.founder]]);
	for (const id of data.members.slice(1)) devices.set(id, await world.newMember(world.founder));
	const device = (id: string) => devices.get(id)!;

	let start = performance.now();
	const proposalIds: string[] = [];
	for (const proposal of data.proposals) {
		const input: ProposalInput = {
			title: `Proposal ${proposal.id}`,
			text: '',
			kind: proposal.kind,
			options: Array.from({ length: proposal.options }, (_, i) => `Option ${i + 1}`),
			closesAt: world.now + 30 * DAY,
			quorum: proposal.quorum,
			threshold: proposal.threshold,
			hidden: false,
			tag: proposal.tag
		};
		const author = device(proposal.eligible[0]!);
		const context = world.context(author);
		const entry = await world.write(
			author,
			proposalDraft(context, input, world.newestBefore(context.at))
		);
		proposalIds.push(entry.id);
	}
	world.advance(MINUTE);
	for (const [index, proposal] of data.proposals.entries()) {
		for (const [member, choice] of proposal.votes) {
			const voter = device(member);
			const draft = voteDraft(world.context(voter), {
				proposal: proposalIds[index]!,
				choice,
				reason: ''
			});
			await world.write(voter, draft);
		}
	}
	for (const record of data.delegations) {
		const from = device(record.member);
		const to = record.to === null ? '' : device(record.to).id;
		await world.write(from, delegateDraft(world.context(from), { to, tag: record.tag }));
	}
	// The authors close every other proposal, listing what their projection has in force, and
	// another member confirms each close.
	world.advance(MINUTE);
	const open = projectCoop(world.coop, await world.verifiedEntries());
	const views = new Map(open.governance.proposals.map((view) => [view.id, view]));
	for (const [index, proposal] of data.proposals.entries()) {
		if (index % 2 === 1) continue;
		const author = device(proposal.eligible[0]!);
		const view = views.get(proposalIds[index]!)!;
		const context = world.context(author);
		const close = await world.write(
			author,
			closeDraft(context, {
				...view.basis,
				proposal: view.id,
				after: world.newestBefore(context.at)
			})
		);
		const confirmer = device(proposal.eligible.find((member) => member !== author.id) ?? author.id);
		await world.confirm(confirmer, close.id, confirmer.after(close.record.at, world.now));
	}
	const signMs = performance.now() - start;

	start = performance.now();
	const verified = await world.verifiedEntries();
	const verifyMs = performance.now() - start;

	start = performance.now();
	const state = projectCoop(world.coop, verified);
	const projectMs = performance.now() - start;
	const closed = state.governance.proposals.filter((p) => p.close !== null).length;

	// One more vote at a time, as a peer's arrive: fold it in and rebuild the pages' state.
	const projector = new CoopProjector(world.coop);
	projector.add(verified);
	projector.snapshot();
	const late: VerifiedRecord[] = [];
	const random = prng(SEED);
	world.advance(MINUTE);
	const openIndexes = data.proposals.map((_, i) => i).filter((i) => i % 2 === 1);
	for (const index of openIndexes.slice(0, 20)) {
		world.advance(1);
		const proposal = data.proposals[index]!;
		const voter = device(proposal.eligible.at(-1)!);
		const draft = voteDraft(world.context(voter), {
			proposal: proposalIds[index]!,
			choice: randomChoice(random, proposal.kind, proposal.options),
			reason: ''
		});
		const entry = await world.write(voter, draft);
		late.push(...(await verifiedAll([entry], world.coop)));
	}
	start = performance.now();
	for (const entry of late) {
		projector.add([entry]);
		projector.snapshot();
	}
	const incrementalMs = (performance.now() - start) / late.length;
	if (projector.refolds > 0) throw new Error('Votes after everything else should not refold');

	console.log(`\nGovernance projection benchmark (Node ${process.version}, seed ${SEED})`);
	console.log(
		`  ${figure(verified.length)} signed records: ${figure(PROPOSALS)} proposals ` +
			`(${closed} closed), ${figure(VOTES)} votes, ${data.delegations.length} delegations, ` +
			`${data.members.length} members`
	);
	console.log(`  write and sign all            ${figure(signMs)} ms`);
	console.log(
		`  verify all                    ${figure(verifyMs)} ms ` +
			`(${figure((verified.length / verifyMs) * 1000)} records/s)`
	);
	console.log(
		`  fold + state of all pages     ${figure(projectMs)} ms ` +
			`(${figure((VOTES / projectMs) * 1000)} votes/s)`
	);
	console.log(
		`  one more vote: fold + state   ${incrementalMs.toFixed(1)} ms (mean of ${late.length})\n`
	);
});
