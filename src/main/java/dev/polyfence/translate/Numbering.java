package dev.polyfence.translate;

/**
 * Spreads ordered items over a band of numbers (NACL rule numbers, NSG and firewall
 * priorities) with gaps, so that an item can be inserted later without renumbering the
 * others.
 */
public final class Numbering {

	private Numbering() {
	}

	/**
	 * The gap between consecutive numbers: {@code preferred} when {@code count} items fit
	 * from {@code first} to {@code last} with it, the widest smaller gap that fits
	 * otherwise, and 0 when not even a gap of 1 fits.
	 */
	public static int step(int count, int first, int last, int preferred) {
		if (count <= 1) {
			return count == 1 && first > last ? 0 : preferred;
		}
		long room = (long) last - first;
		long step = Math.min(preferred, room / (count - 1));
		return step < 1 ? 0 : (int) step;
	}

}
