import type { Component } from 'svelte';
import { resolve } from '$app/paths';
import Award from '@lucide/svelte/icons/award';
import BadgeCheck from '@lucide/svelte/icons/badge-check';
import GraduationCap from '@lucide/svelte/icons/graduation-cap';
import MessageSquareText from '@lucide/svelte/icons/message-square-text';
import NotebookPen from '@lucide/svelte/icons/notebook-pen';
import RefreshCw from '@lucide/svelte/icons/refresh-cw';
import ScrollText from '@lucide/svelte/icons/scroll-text';
import ShieldCheck from '@lucide/svelte/icons/shield-check';
import User from '@lucide/svelte/icons/user';
import Users from '@lucide/svelte/icons/users';
import { m } from '$lib/paraglide/messages.js';

/** A page of the co-op in a navigation. */
export interface NavItem {
	readonly href: string;
	readonly label: string;
	readonly icon: Component;
	/** Other paths that belong to the page (sub-pages). */
	readonly under?: readonly string[];
}

/**
 * The co-op's pages besides its tabs: listed by a wide screen's side navigation and by a phone's
 * More page.
 */
export function coopPages(id: string): NavItem[] {
	return [
		{ href: resolve('/coop/[id]/members', { id }), label: m.coop_nav_members(), icon: Users },
		{ href: resolve('/coop/[id]/skills', { id }), label: m.coop_nav_skills(), icon: Award },
		{
			href: resolve('/coop/[id]/mentoring', { id }),
			label: m.coop_nav_mentoring(),
			icon: GraduationCap
		},
		{
			href: resolve('/coop/[id]/feedback', { id }),
			label: m.coop_nav_feedback(),
			icon: MessageSquareText
		},
		{ href: resolve('/coop/[id]/notes', { id }), label: m.coop_nav_notes(), icon: NotebookPen },
		{ href: resolve('/coop/[id]/charter', { id }), label: m.coop_nav_charter(), icon: ScrollText },
		{
			href: resolve('/coop/[id]/credentials', { id }),
			label: m.coop_nav_credentials(),
			icon: BadgeCheck
		},
		{
			href: resolve('/coop/[id]/profile', { id }),
			label: m.coop_nav_profile(),
			icon: User,
			under: [resolve('/coop/[id]/link-device', { id })]
		},
		{
			href: resolve('/coop/[id]/integrity', { id }),
			label: m.coop_nav_integrity(),
			icon: ShieldCheck
		},
		{ href: resolve('/coop/[id]/sync', { id }), label: m.coop_nav_sync(), icon: RefreshCw }
	];
}
