package dev.polyfence.plan.aws;

import java.util.BitSet;
import java.util.function.IntFunction;

/**
 * The two halves of an apply that is safe both ways (spec section 6). At every point that
 * decides a flow (a security group direction, a network ACL direction), each flow keeps
 * its old decision until it takes its new one; flows that a point stops allowing are cut
 * in the first half, everywhere, and flows that a point starts allowing open in the
 * second half. So a flow that the old and the new rules both deny, whichever points deny
 * it, is denied by one of them at every step; and one they both allow is allowed by all
 * of them throughout.
 * <p>
 * Decisions are {@link BitSet}s of allowed {@link PacketCells}: {@code before} and
 * {@code after} of the whole change, {@code now} and {@code next} of one call.
 */
enum Stage {

	/** Only cuts flows that the point will deny and allowed before. */
	TIGHTEN,
	/** Only opens flows that the point will allow and denied before. */
	LOOSEN;

	/**
	 * Whether a call that takes a point from {@code now} to {@code next} fits this stage.
	 */
	boolean admits(BitSet before, BitSet after, BitSet now, BitSet next) {
		BitSet changed = (BitSet) now.clone();
		changed.xor(next);
		BitSet may = (BitSet) (this == TIGHTEN ? before : after).clone();
		may.andNot(this == TIGHTEN ? after : before);
		BitSet wrong = (BitSet) changed.clone();
		wrong.andNot(may);
		if (!wrong.isEmpty()) {
			return false;
		}
		BitSet backwards = (BitSet) changed.clone();
		if (this == TIGHTEN) {
			backwards.and(next);
		}
		else {
			backwards.andNot(next);
		}
		return backwards.isEmpty();
	}

	/**
	 * What a call changes wrongly: packets that the old and new rules decide alike
	 * ({@code alike}), packets that move away from their new decision ({@code away}), and
	 * packets cut in the second half ({@code late}).
	 */
	private record Wrong(BitSet alike, BitSet away, BitSet late) {

		static Wrong of(BitSet before, BitSet after, BitSet now, BitSet next) {
			BitSet changed = (BitSet) now.clone();
			changed.xor(next);
			BitSet differ = (BitSet) before.clone();
			differ.xor(after);
			BitSet alike = (BitSet) changed.clone();
			alike.andNot(differ);
			BitSet away = (BitSet) next.clone();
			away.xor(after);
			away.and(changed);
			BitSet late = (BitSet) changed.clone();
			late.andNot(next);
			late.andNot(away);
			late.andNot(alike);
			return new Wrong(alike, away, late);
		}
	}

	/**
	 * The harm of a call that no stage admits, made in the second half: each packet that
	 * the old and new rules decide alike and that changes, or that moves away from its
	 * new decision, weighs 1000; each late cut weighs 1. Zero means harmless.
	 */
	static long harm(BitSet before, BitSet after, BitSet now, BitSet next) {
		Wrong wrong = Wrong.of(before, after, now, next);
		return 1000L * (wrong.alike().cardinality() + wrong.away().cardinality()) + wrong.late().cardinality();
	}

	/**
	 * What a call that no stage admits does wrong, with one packet as an example, or null
	 * when it does nothing wrong.
	 */
	static String risk(BitSet before, BitSet after, BitSet now, BitSet next, IntFunction<String> cell) {
		Wrong wrong = Wrong.of(before, after, now, next);
		if (!wrong.alike().isEmpty()) {
			int i = wrong.alike().nextSetBit(0);
			return (next.get(i) ? "lets through " : "cuts ") + cell.apply(i) + ", which the old and the new rules both "
					+ (before.get(i) ? "allow" : "deny");
		}
		if (!wrong.away().isEmpty()) {
			int i = wrong.away().nextSetBit(0);
			return (next.get(i) ? "allows " : "blocks ") + cell.apply(i) + " again, against its new decision";
		}
		if (!wrong.late().isEmpty()) {
			return "cuts " + cell.apply(wrong.late().nextSetBit(0)) + " only after the security groups changed";
		}
		return null;
	}

}
