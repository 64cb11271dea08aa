import { resolve } from '$app/paths';
import { m } from '$lib/paraglide/messages.js';
import type { NewSince } from './attention';
import type { AppNotification, NotifyPrefs } from './notify';

/** Titles of a few items, for a grouped notification's body. */
function titles(items: readonly { readonly title: string }[]): string {
	const shown = items.slice(0, 3).map((item) => item.title);
	return items.length > 3 ? `${shown.join(' · ')} …` : shown.join(' · ');
}

/**
 * The notifications for what is new, one per kind the member turned on, grouped by a tag per
 * co-op and kind (a later one replaces an earlier one). One item leads to its own page.
 */
export function notificationsFor(
	coopId: string,
	coopName: string,
	fresh: NewSince,
	prefs: NotifyPrefs,
	nameOf: (member: string) => string
): AppNotification[] {
	const shown: AppNotification[] = [];
	const decisions = resolve('/coop/[id]/decisions', { id: coopId });
	const one = (proposal: string) =>
		resolve('/coop/[id]/decisions/[proposal]', { id: coopId, proposal });
	if (prefs.proposals && fresh.proposals.length > 0) {
		const [first] = fresh.proposals;
		shown.push({
			title:
				fresh.proposals.length === 1
					? m.notify_proposal_one({ coop: coopName })
					: m.notify_proposal_many({ coop: coopName, count: fresh.proposals.length }),
			body: titles(fresh.proposals),
			tag: `${coopId}:proposals`,
			url: fresh.proposals.length === 1 && first ? one(first.id) : decisions
		});
	}
	if (prefs.decisions && fresh.decisions.length > 0) {
		const [first] = fresh.decisions;
		shown.push({
			title:
				fresh.decisions.length === 1
					? m.notify_decision_one({ coop: coopName })
					: m.notify_decision_many({ coop: coopName, count: fresh.decisions.length }),
			body: titles(fresh.decisions),
			tag: `${coopId}:decisions`,
			url: fresh.decisions.length === 1 && first ? one(first.id) : decisions
		});
	}
	if (prefs.members && fresh.members.length > 0) {
		shown.push({
			title:
				fresh.members.length === 1
					? m.notify_member_one({ coop: coopName })
					: m.notify_member_many({ coop: coopName, count: fresh.members.length }),
			body: fresh.members.map((member) => nameOf(member.id)).join(', '),
			tag: `${coopId}:members`,
			url: resolve('/coop/[id]/members', { id: coopId })
		});
	}
	return shown;
}
