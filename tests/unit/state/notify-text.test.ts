import { describe, expect, it } from 'vitest';
import type { ProposalView } from '$lib/domain/governance/view';
import type { Member } from '$lib/domain/membership/view';
import type { NewSince } from '$lib/state/attention';
import { notificationsFor } from '$lib/state/notify-text';

const proposal = (id: string, title: string) => ({ id, title }) as unknown as ProposalView;
const member = (id: string) => ({ id }) as unknown as Member;
const ALL = { proposals: true, decisions: true, members: true };
const none: NewSince = { proposals: [], decisions: [], members: [] };

describe('notifications for what is new', () => {
	it('shows one proposal with its title and leads to its page', () => {
		const [shown, ...rest] = notificationsFor(
			'coop1',
			'Vélo',
			{ ...none, proposals: [proposal('p1', 'Buy a bike')] },
			ALL,
			(id) => id
		);
		expect(rest).toEqual([]);
		expect(shown).toEqual({
			title: 'New proposal in Vélo',
			body: 'Buy a bike',
			tag: 'coop1:proposals',
			url: '/coop/coop1/decisions/p1'
		});
	});

	it('groups several of a kind under one tag, leading to the list', () => {
		const proposals = ['a', 'b', 'c', 'd'].map((id) => proposal(id, `Title ${id}`));
		const shown = notificationsFor(
			'coop1',
			'Vélo',
			{ proposals, decisions: [proposal('a', 'Title a')], members: [member('m1'), member('m2')] },
			ALL,
			(id) => `Name ${id}`
		);
		expect(shown.map(({ tag }) => tag)).toEqual([
			'coop1:proposals',
			'coop1:decisions',
			'coop1:members'
		]);
		expect(shown[0]).toMatchObject({
			title: '4 new proposals in Vélo',
			body: 'Title a · Title b · Title c …',
			url: '/coop/coop1/decisions'
		});
		expect(shown[1]).toMatchObject({ title: 'A decision in Vélo', url: '/coop/coop1/decisions/a' });
		expect(shown[2]).toMatchObject({
			title: '2 new members in Vélo',
			body: 'Name m1, Name m2',
			url: '/coop/coop1/members'
		});
	});

	it('shows nothing of a kind the member did not turn on, nor when nothing is new', () => {
		const fresh = { ...none, proposals: [proposal('p1', 'Buy a bike')], members: [member('m')] };
		const shown = notificationsFor(
			'coop1',
			'Vélo',
			fresh,
			{ proposals: false, decisions: true, members: true },
			(id) => id
		);
		expect(shown.map(({ tag }) => tag)).toEqual(['coop1:members']);
		expect(notificationsFor('coop1', 'Vélo', none, ALL, (id) => id)).toEqual([]);
	});
});
