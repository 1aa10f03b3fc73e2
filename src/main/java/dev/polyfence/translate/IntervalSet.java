package dev.polyfence.translate;

import java.util.Arrays;

/**
 * An immutable set of non-negative ints kept as sorted, disjoint, non-adjacent closed
 * intervals. The translators use it for the service space (see {@link ServiceSpace}).
 */
public final class IntervalSet {

	public static final IntervalSet EMPTY = new IntervalSet(new int[0]);

	/**
	 * Flattened pairs: bounds[2i] is the low end of interval i, bounds[2i+1] its high
	 * end.
	 */
	private final int[] bounds;

	private IntervalSet(int[] bounds) {
		this.bounds = bounds;
	}

	public static IntervalSet of(int low, int high) {
		if (low > high) {
			throw new IllegalArgumentException("empty interval " + low + "-" + high);
		}
		return new IntervalSet(new int[] { low, high });
	}

	public int size() {
		return bounds.length / 2;
	}

	public int low(int i) {
		return bounds[2 * i];
	}

	public int high(int i) {
		return bounds[2 * i + 1];
	}

	public boolean isEmpty() {
		return bounds.length == 0;
	}

	public boolean contains(int value) {
		int i = Arrays.binarySearch(bounds, value);
		return i >= 0 || (-i - 1) % 2 == 1;
	}

	public boolean containsAll(IntervalSet other) {
		int i = 0;
		for (int j = 0; j < other.size(); j++) {
			while (i < size() && high(i) < other.low(j)) {
				i++;
			}
			if (i == size() || low(i) > other.low(j) || high(i) < other.high(j)) {
				return false;
			}
		}
		return true;
	}

	public boolean intersects(IntervalSet other) {
		int i = 0;
		int j = 0;
		while (i < size() && j < other.size()) {
			if (high(i) < other.low(j)) {
				i++;
			}
			else if (other.high(j) < low(i)) {
				j++;
			}
			else {
				return true;
			}
		}
		return false;
	}

	public IntervalSet union(IntervalSet other) {
		if (other.isEmpty()) {
			return this;
		}
		if (isEmpty()) {
			return other;
		}
		int[] merged = new int[bounds.length + other.bounds.length];
		int n = 0;
		int i = 0;
		int j = 0;
		while (i < size() || j < other.size()) {
			boolean takeMine = j >= other.size() || (i < size() && low(i) <= other.low(j));
			int lo = takeMine ? low(i) : other.low(j);
			int hi = takeMine ? high(i++) : other.high(j++);
			if (n > 0 && (long) lo <= (long) merged[n - 1] + 1) {
				merged[n - 1] = Math.max(merged[n - 1], hi);
			}
			else {
				merged[n++] = lo;
				merged[n++] = hi;
			}
		}
		return new IntervalSet(Arrays.copyOf(merged, n));
	}

	public IntervalSet intersect(IntervalSet other) {
		int[] out = new int[bounds.length + other.bounds.length];
		int n = 0;
		int i = 0;
		int j = 0;
		while (i < size() && j < other.size()) {
			int lo = Math.max(low(i), other.low(j));
			int hi = Math.min(high(i), other.high(j));
			if (lo <= hi) {
				out[n++] = lo;
				out[n++] = hi;
			}
			if (high(i) < other.high(j)) {
				i++;
			}
			else {
				j++;
			}
		}
		return n == 0 ? EMPTY : new IntervalSet(Arrays.copyOf(out, n));
	}

	public IntervalSet subtract(IntervalSet other) {
		if (isEmpty() || other.isEmpty()) {
			return this;
		}
		int[] out = new int[bounds.length + 2 * other.bounds.length];
		int n = 0;
		int j = 0;
		for (int i = 0; i < size(); i++) {
			long lo = low(i);
			int hi = high(i);
			while (j < other.size() && other.high(j) < lo) {
				j++;
			}
			int k = j;
			while (k < other.size() && other.low(k) <= hi && lo <= hi) {
				if (other.low(k) > lo) {
					out[n++] = (int) lo;
					out[n++] = other.low(k) - 1;
				}
				lo = (long) other.high(k) + 1;
				k++;
			}
			if (lo <= hi) {
				out[n++] = (int) lo;
				out[n++] = hi;
			}
		}
		return n == 0 ? EMPTY : new IntervalSet(Arrays.copyOf(out, n));
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof IntervalSet other && Arrays.equals(bounds, other.bounds);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(bounds);
	}

	@Override
	public String toString() {
		StringBuilder s = new StringBuilder("[");
		for (int i = 0; i < size(); i++) {
			s.append(i == 0 ? "" : ", ").append(low(i)).append('-').append(high(i));
		}
		return s.append(']').toString();
	}

}
