import { RECORD_VERSION, type DraftIn } from './envelope';
import type { InputResult } from './input-result';
import type { RecordKind, RecordKinds } from './module';
import { Shapes } from './shape';
import type { Stamp } from './hlc';

/**
 * What areas' commands share: turning what a member typed into an unsigned record (a draft)
 * checked against the same schema peers' records are checked with. Bad input comes back as a
 * refusal naming the field, the problem and a message key for the UI; only a draft that would
 * pass verification is ever returned.
 */

/** Who writes, where, and when. `at` comes from the device's clock (`formatHlc(tick(...))`). */
export interface DraftContext {
	readonly coop: string;
	readonly author: string;
	readonly at: Stamp;
}

/** A draft of the area `B`'s record type `T`, or what is wrong with the input. */
export type DraftResultIn<B, T extends keyof B & string> = InputResult<{
	readonly draft: DraftIn<B, T>;
}>;

const snake = (name: string): string =>
	name
		.replace(/([a-z0-9])([A-Z])/g, '$1_$2')
		.replace(/[.-]/g, '_')
		.toLowerCase();

export { line, paragraph } from './text';

/** The draft builder of an area: checks drafts against the area's own kinds. */
export function draftBuilder<B>(kinds: RecordKinds<B>) {
	const shapes = new Shapes(new Map<string, RecordKind>(Object.entries(kinds)));
	return <T extends keyof B & string>(
		type: T,
		context: DraftContext,
		body: B[T]
	): DraftResultIn<B, T> => {
		const draft = {
			v: RECORD_VERSION,
			type,
			coop: context.coop,
			author: context.author,
			at: context.at,
			...body
		};
		const shape = shapes.draft(draft);
		if (shape.ok) return { ok: true, draft: shape.value as DraftIn<B, T> };
		const { field, problem } = shape;
		return { ok: false, field, problem, messageKey: `record_${snake(field)}_${snake(problem)}` };
	};
}
