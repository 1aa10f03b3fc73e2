package dev.polyfence.plan.aws;

import dev.polyfence.translate.aws.NetworkAclEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Maps the desired entries of one ACL direction, in order, onto the live ones, so that a
 * change to the policy changes a few entries and renumbers none it does not have to. IPv4
 * and IPv6 entries never match the same packet, so each family is matched on its own
 * (their rule numbers still share one range):
 * <ol>
 * <li>the longest common subsequence of the live and the desired entries, compared
 * without their numbers, keeps its live numbers;</li>
 * <li>between two kept entries, live entries that go and desired entries that come are
 * paired in order, like with like where there is a choice: each pair is one entry changed
 * in place (ReplaceNetworkAclEntry, same number); the rest are created or deleted;</li>
 * <li>created entries get free numbers spread evenly in the gap between their kept
 * neighbours (10 apart before the first and after the last; the translator's own numbers
 * where nothing is kept); where a gap has too few free numbers, the fewest neighbours are
 * moved (created at a new number, then deleted at the old one) to widen it.</li>
 * </ol>
 * Live numbers are never reused for another entry except by a replace, so creates never
 * wait for deletes.
 */
final class NetworkAclNumbering {

	static final int FIRST = 1;

	static final int LAST = 32766;

	static final int STEP = 10;

	/**
	 * One entry's change: created ({@code before} null), deleted ({@code after} null),
	 * changed in place (same number) or moved (another number, maybe other content).
	 */
	record EntryChange(NetworkAclEntry before, NetworkAclEntry after) {

		boolean inPlace() {
			return before != null && after != null && before.ruleNumber() == after.ruleNumber();
		}

		boolean moved() {
			return before != null && after != null && before.ruleNumber() != after.ruleNumber();
		}
	}

	private NetworkAclNumbering() {
	}

	/**
	 * @param live the live entries of one direction
	 * @param desired the desired entries of that direction, in evaluation order
	 * @return the changes, each family in the desired order, deletions after
	 */
	static List<EntryChange> changes(List<NetworkAclEntry> live, List<NetworkAclEntry> desired) {
		TreeSet<Integer> taken = new TreeSet<>();
		live.forEach(e -> taken.add(e.ruleNumber()));
		List<EntryChange> changes = new ArrayList<>();
		for (boolean ipv6 : new boolean[] { false, true }) {
			List<NetworkAclEntry> have = live.stream()
				.filter(e -> e.isIpv6() == ipv6)
				.sorted(java.util.Comparator.comparingInt(NetworkAclEntry::ruleNumber))
				.toList();
			List<NetworkAclEntry> want = desired.stream().filter(e -> e.isIpv6() == ipv6).toList();
			new Family(have, want, taken).plan(changes);
		}
		return changes;
	}

	static NetworkAclEntry content(NetworkAclEntry e) {
		return NetworkAclPlan.renumber(e, 0);
	}

	/** The numbering of one family. */
	private static final class Family {

		final List<NetworkAclEntry> have;

		final List<NetworkAclEntry> want;

		final TreeSet<Integer> taken;

		/** Per desired entry: the live entry it keeps or replaces, or -1. */
		final int[] origin;

		/** Per desired entry: the live entry it was before being moved, or -1. */
		final int[] moved;

		final int[] number;

		Family(List<NetworkAclEntry> have, List<NetworkAclEntry> want, TreeSet<Integer> taken) {
			this.have = have;
			this.want = want;
			this.taken = taken;
			this.origin = new int[want.size()];
			this.moved = new int[want.size()];
			this.number = new int[want.size()];
			Arrays.fill(origin, -1);
			Arrays.fill(moved, -1);
		}

		void plan(List<EntryChange> changes) {
			match();
			widenTightGaps();
			number();
			List<EntryChange> family = new ArrayList<>();
			boolean[] used = new boolean[have.size()];
			for (int j = 0; j < want.size(); j++) {
				NetworkAclEntry after = NetworkAclPlan.renumber(want.get(j), number[j]);
				int from = origin[j] >= 0 ? origin[j] : moved[j];
				if (from < 0) {
					family.add(new EntryChange(null, after));
					continue;
				}
				used[from] = true;
				if (!have.get(from).equals(after)) {
					family.add(new EntryChange(have.get(from), after));
				}
			}
			for (int i = 0; i < have.size(); i++) {
				if (!used[i]) {
					family.add(goneOrMoved(family, have.get(i)));
				}
			}
			changes.addAll(family);
		}

		/**
		 * A live entry that goes; or, when an entry of the same content is created (it
		 * changed places with a neighbour), that entry moving, so that it never shows as
		 * deleted.
		 */
		private static EntryChange goneOrMoved(List<EntryChange> family, NetworkAclEntry gone) {
			for (int k = 0; k < family.size(); k++) {
				EntryChange c = family.get(k);
				if (c.before() == null && content(c.after()).equals(content(gone))) {
					family.remove(k);
					return new EntryChange(gone, c.after());
				}
			}
			return new EntryChange(gone, null);
		}

		/**
		 * Kept entries by longest common subsequence, then in-place pairs between them.
		 */
		private void match() {
			int n = have.size();
			int m = want.size();
			int[][] lcs = new int[n + 1][m + 1];
			for (int i = n - 1; i >= 0; i--) {
				for (int j = m - 1; j >= 0; j--) {
					lcs[i][j] = content(have.get(i)).equals(content(want.get(j))) ? lcs[i + 1][j + 1] + 1
							: Math.max(lcs[i + 1][j], lcs[i][j + 1]);
				}
			}
			int i = 0;
			int j = 0;
			int oldStart = 0;
			int newStart = 0;
			while (i < n && j < m) {
				if (content(have.get(i)).equals(content(want.get(j))) && lcs[i][j] == lcs[i + 1][j + 1] + 1) {
					pairInGap(oldStart, i, newStart, j);
					origin[j] = i;
					i++;
					j++;
					oldStart = i;
					newStart = j;
				}
				else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
					i++;
				}
				else {
					j++;
				}
			}
			pairInGap(oldStart, n, newStart, m);
		}

		/**
		 * Pairs the live entries [oldFrom, oldTo) that go with the desired entries
		 * [newFrom, newTo) that come, in order: as many pairs as there can be, the most
		 * alike.
		 */
		private void pairInGap(int oldFrom, int oldTo, int newFrom, int newTo) {
			int p = oldTo - oldFrom;
			int q = newTo - newFrom;
			if (p == 0 || q == 0) {
				return;
			}
			long[][] best = new long[p + 1][q + 1];
			for (int a = p - 1; a >= 0; a--) {
				for (int b = q - 1; b >= 0; b--) {
					long pair = best[a + 1][b + 1] + 1000 + likeness(have.get(oldFrom + a), want.get(newFrom + b));
					best[a][b] = Math.max(pair, Math.max(best[a + 1][b], best[a][b + 1]));
				}
			}
			int a = 0;
			int b = 0;
			while (a < p && b < q) {
				long pair = best[a + 1][b + 1] + 1000 + likeness(have.get(oldFrom + a), want.get(newFrom + b));
				if (best[a][b] == pair) {
					origin[newFrom + b] = oldFrom + a;
					a++;
					b++;
				}
				else if (best[a][b] == best[a + 1][b]) {
					a++;
				}
				else {
					b++;
				}
			}
		}

		private static int likeness(NetworkAclEntry x, NetworkAclEntry y) {
			int score = x.ruleAction().equals(y.ruleAction()) ? 8 : 0;
			score += java.util.Objects.equals(x.cidrBlock(), y.cidrBlock())
					&& java.util.Objects.equals(x.ipv6CidrBlock(), y.ipv6CidrBlock()) ? 4 : 0;
			score += x.protocol().equals(y.protocol()) ? 2 : 0;
			score += java.util.Objects.equals(x.portRange(), y.portRange())
					&& java.util.Objects.equals(x.icmpTypeCode(), y.icmpTypeCode()) ? 1 : 0;
			return score;
		}

		private boolean fixed(int j) {
			return origin[j] >= 0;
		}

		/** The last of the run of entries without a number that starts at {@code s}. */
		private int runEnd(int s) {
			int e = s;
			while (e + 1 < want.size() && !fixed(e + 1)) {
				e++;
			}
			return e;
		}

		private int fixedNumber(int j) {
			return have.get(origin[j]).ruleNumber();
		}

		/**
		 * Where a run of new entries has fewer free numbers than it needs between its
		 * fixed neighbours, moves the fewest neighbours: they join the run and get new
		 * numbers.
		 */
		private void widenTightGaps() {
			for (int s = 0; s < want.size(); s++) {
				if (fixed(s)) {
					continue;
				}
				int e = runEnd(s);
				if (!fits(s - 1, e + 1)) {
					release(s, e);
					s = -1;
					continue;
				}
				s = e;
			}
		}

		/**
		 * Whether the entries strictly between fixed entries lo and hi fit between them.
		 */
		private boolean fits(int lo, int hi) {
			int low = lo < 0 ? FIRST - 1 : fixedNumber(lo);
			int high = hi >= want.size() ? LAST + 1 : fixedNumber(hi);
			int free = high - low - 1 - taken.subSet(low, false, high, false).size();
			return free >= hi - lo - 1;
		}

		private void release(int s, int e) {
			List<Integer> left = new ArrayList<>();
			for (int j = s - 1; j >= 0; j--) {
				if (fixed(j)) {
					left.add(j);
				}
			}
			List<Integer> right = new ArrayList<>();
			for (int j = e + 1; j < want.size(); j++) {
				if (fixed(j)) {
					right.add(j);
				}
			}
			for (int total = 1; total <= left.size() + right.size(); total++) {
				for (int l = 0; l <= total; l++) {
					int r = total - l;
					if (l > left.size() || r > right.size()) {
						continue;
					}
					int lo = l == left.size() ? -1 : left.get(l);
					int hi = r == right.size() ? want.size() : right.get(r);
					if (fits(lo, hi)) {
						for (int k = 0; k < l; k++) {
							unfix(left.get(k));
						}
						for (int k = 0; k < r; k++) {
							unfix(right.get(k));
						}
						return;
					}
				}
			}
			throw new IllegalStateException("no free rule numbers for " + want.size() + " network ACL entries");
		}

		private void unfix(int j) {
			moved[j] = origin[j];
			origin[j] = -1;
		}

		/**
		 * Numbers for the fixed entries (their live ones) and for each run of the others.
		 */
		private void number() {
			for (int j = 0; j < want.size(); j++) {
				if (fixed(j)) {
					number[j] = fixedNumber(j);
				}
			}
			for (int s = 0; s < want.size(); s++) {
				if (fixed(s)) {
					continue;
				}
				int e = runEnd(s);
				numberRun(s, e);
				s = e;
			}
		}

		private void numberRun(int s, int e) {
			int low = s == 0 ? FIRST - 1 : number[s - 1];
			int high = e == want.size() - 1 ? LAST + 1 : number[e + 1];
			int k = e - s + 1;
			List<Integer> free = new ArrayList<>();
			for (int n = low + 1; n < high; n++) {
				if (!taken.contains(n)) {
					free.add(n);
				}
			}
			int previous = -1;
			for (int i = 0; i < k; i++) {
				long ideal = ideal(s, i, k, low, high);
				int index = java.util.Collections.binarySearch(free, (int) Math.max(Math.min(ideal, high), low));
				index = index >= 0 ? index : -index - 1;
				if (index > 0 && index < free.size()
						&& Math.abs(free.get(index - 1) - ideal) < Math.abs(free.get(index) - ideal)) {
					index--;
				}
				index = Math.max(index, previous + 1);
				index = Math.min(index, free.size() - (k - i));
				number[s + i] = free.get(index);
				taken.add(free.get(index));
				previous = index;
			}
		}

		/**
		 * Where the i-th of k new entries between two numbers would ideally go: evenly
		 * spread between two kept entries, 10 apart before the first or after the last,
		 * the translator's own number when nothing is kept.
		 */
		private long ideal(int s, int i, int k, int low, int high) {
			if (low < FIRST && high > LAST) {
				return want.get(s + i).ruleNumber();
			}
			if (low < FIRST) {
				long step = Math.max(1, Math.min(STEP, (high - 1L) / k));
				return high - step * (k - i);
			}
			if (high > LAST) {
				long step = Math.max(1, Math.min(STEP, (LAST - (long) low) / k));
				return low + step * (i + 1);
			}
			return low + Math.round((high - low) * (i + 1) / (double) (k + 1));
		}

	}

}
