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
	 * The harm of a call that no stage admits, made in the second half: each packet that
	 * the old and new rules decide alike and that changes, or that moves away from its
	 * new decision, weighs 1000; each late cut weighs 1. Zero means harmless.
	 */
	static long harm(BitSet before, BitSet after, BitSet now, BitSet next) {
		BitSet changed = (BitSet) now.clone();
		changed.xor(next);
		BitSet away = (BitSet) next.clone();
		away.xor(after);
		away.and(changed);
		BitSet differ = (BitSet) before.clone();
		differ.xor(after);
		BitSet alike = (BitSet) changed.clone();
		alike.andNot(differ);
		BitSet cut = (BitSet) changed.clone();
		cut.andNot(next);
		cut.andNot(away);
		cut.andNot(alike);
		return 1000L * (alike.cardinality() + away.cardinality()) + cut.cardinality();
	}

	/**
	 * What a call that no stage admits does wrong, with one packet as an example, or null
	 * when it does nothing wrong.
	 */
	static String risk(BitSet before, BitSet after, BitSet now, BitSet next, IntFunction<String> cell) {
		BitSet changed = (BitSet) now.clone();
		changed.xor(next);
		BitSet differ = (BitSet) before.clone();
		differ.xor(after);
		BitSet alike = (BitSet) changed.clone();
		alike.andNot(differ);
		if (!alike.isEmpty()) {
			int i = alike.nextSetBit(0);
			return (next.get(i) ? "lets through " : "cuts ") + cell.apply(i) + ", which the old and the new rules both "
					+ (before.get(i) ? "allow" : "deny");
		}
		BitSet away = (BitSet) next.clone();
		away.xor(after);
		away.and(changed);
		if (!away.isEmpty()) {
			int i = away.nextSetBit(0);
			return (next.get(i) ? "allows " : "blocks ") + cell.apply(i) + " again, against its new decision";
		}
		BitSet cut = (BitSet) changed.clone();
		cut.andNot(next);
		if (!cut.isEmpty()) {
			return "cuts " + cell.apply(cut.nextSetBit(0)) + " only after the security groups changed";
		}
		return null;
	}

}
