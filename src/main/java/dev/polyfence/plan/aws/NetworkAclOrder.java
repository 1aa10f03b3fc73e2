package dev.polyfence.plan.aws;

import dev.polyfence.plan.aws.NetworkAclNumbering.EntryChange;
import dev.polyfence.translate.Cancellation;
import dev.polyfence.translate.aws.NetworkAclEntry;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Orders the changes to one direction of a network ACL that subnets use, so that the
 * apply is safe both ways (spec section 6). Every flow keeps its old decision until it
 * takes its new one, and does so in the right stage: a flow the ACL stops allowing is cut
 * in the tightening stage, which runs before any security group changes; a flow it starts
 * allowing opens in the loosening stage, after the security groups have narrowed. Each
 * call is checked, as it would leave the list, on every packet at once
 * ({@link NetworkAclDecisions}); a flow that both the old and the new entries decide
 * alike never changes on the way.
 * <p>
 * A call is taken when it is safe for its stage; creates, deletes and replaces are tried
 * in the order of the list. An entry changed in place that would cut and open at once (a
 * deny moved to another block, an allow to other ports) goes through a safe intermediate:
 * an allow is first narrowed to what the old and new entries share, then widened; or the
 * old entry is deleted in one stage and the new one created in the other; or the new
 * entry is created beside the old one (the next free number with no entry of its family
 * between) before the old one goes. When no order of single calls is safe (the entries
 * interlock), the least harmful call is made and the step is counted unsafe.
 */
final class NetworkAclOrder {

	/**
	 * One call; {@code of} is the entry change it belongs to, as a reviewer reads it;
	 * {@code first} marks the first call of that change.
	 */
	record Step(Stage stage, AwsChange change, EntryChange of, boolean first, String risk) {
	}

	private enum Kind {

		CREATE, DELETE, REPLACE

	}

	private record Op(Kind kind, NetworkAclEntry before, NetworkAclEntry after) {

		int number() {
			return (after != null ? after : before).ruleNumber();
		}
	}

	private record Way(EntryChange shown, List<Op> ops) {
	}

	private final String group;

	private final TreeMap<Integer, NetworkAclEntry> live = new TreeMap<>();

	private final List<EntryChange> changes;

	private final NetworkAclDecisions decisions;

	private final BitSet before;

	private final BitSet after;

	private final Set<Integer> numbers = new HashSet<>();

	private NetworkAclOrder(String group, List<NetworkAclEntry> live, List<EntryChange> changes) {
		this.group = group;
		this.changes = changes;
		live.forEach(e -> this.live.put(e.ruleNumber(), e));
		TreeMap<Integer, NetworkAclEntry> result = new TreeMap<>(this.live);
		List<NetworkAclEntry> all = new ArrayList<>(live);
		for (EntryChange c : changes) {
			if (c.before() != null) {
				result.remove(c.before().ruleNumber());
			}
		}
		for (EntryChange c : changes) {
			if (c.after() != null) {
				result.put(c.after().ruleNumber(), c.after());
				all.add(c.after());
			}
		}
		all.forEach(e -> numbers.add(e.ruleNumber()));
		List<NetworkAclEntry> changing = new ArrayList<>();
		changes.forEach(c -> {
			if (c.before() != null) {
				changing.add(c.before());
			}
			if (c.after() != null) {
				changing.add(c.after());
			}
		});
		this.decisions = new NetworkAclDecisions(all, changing);
		this.before = decisions.allowed(this.live);
		this.after = decisions.allowed(result);
	}

	/**
	 * The calls for one direction.
	 * @param inUse whether a subnet uses the ACL now; when none does, no flow depends on
	 * it and the calls come in list order, all in the first stage
	 */
	static List<Step> steps(String group, List<NetworkAclEntry> live, List<EntryChange> changes, boolean inUse) {
		NetworkAclOrder order = new NetworkAclOrder(group, live, changes);
		if (!inUse) {
			List<Step> steps = new ArrayList<>();
			for (EntryChange c : changes) {
				List<Op> ops = order.ways(c).get(0).ops();
				for (int i = 0; i < ops.size(); i++) {
					steps.add(new Step(Stage.TIGHTEN, order.call(ops.get(i)), c, i == 0, null));
				}
			}
			return steps;
		}
		return order.order();
	}

	private List<Step> order() {
		int[] way = new int[changes.size()];
		List<List<Way>> ways = changes.stream().map(this::ways).toList();
		while (true) {
			Run run = new Run(ways, way);
			run.greedy(Stage.TIGHTEN);
			run.greedy(Stage.LOOSEN);
			boolean another = false;
			for (int c = 0; c < changes.size(); c++) {
				if (run.left(c) && way[c] + 1 < ways.get(c).size()) {
					way[c]++;
					another = true;
				}
			}
			if (!another) {
				run.force();
				return run.steps;
			}
		}
	}

	/** The ways to make one change, the plainest first. */
	private List<Way> ways(EntryChange c) {
		NetworkAclEntry was = c.before();
		NetworkAclEntry will = c.after();
		List<Way> ways = new ArrayList<>();
		if (was == null) {
			ways.add(new Way(c, List.of(new Op(Kind.CREATE, null, will))));
			return ways;
		}
		if (will == null) {
			ways.add(new Way(c, List.of(new Op(Kind.DELETE, was, null))));
			return ways;
		}
		if (c.moved()) {
			ways.add(new Way(c, List.of(new Op(Kind.CREATE, null, will), new Op(Kind.DELETE, was, null))));
			ways.add(new Way(c, List.of(new Op(Kind.DELETE, was, null), new Op(Kind.CREATE, null, will))));
			return ways;
		}
		ways.add(new Way(c, List.of(new Op(Kind.REPLACE, was, will))));
		if (allows(was) && allows(will)) {
			intersection(was, will).filter(shared -> !shared.equals(was) && !shared.equals(will))
				.ifPresent(shared -> ways
					.add(new Way(c, List.of(new Op(Kind.REPLACE, was, shared), new Op(Kind.REPLACE, shared, will)))));
		}
		ways.add(new Way(c, List.of(new Op(Kind.DELETE, was, null), new Op(Kind.CREATE, null, will))));
		beside(was).ifPresent(number -> {
			NetworkAclEntry moved = NetworkAclPlan.renumber(will, number);
			ways.add(new Way(new EntryChange(was, moved),
					List.of(new Op(Kind.CREATE, null, moved), new Op(Kind.DELETE, was, null))));
		});
		return ways;
	}

	private static boolean allows(NetworkAclEntry e) {
		return "allow".equals(e.ruleAction());
	}

	/**
	 * The nearest free rule number to the entry's with no other entry of its family, old
	 * or new, in between: an entry there stands where the entry stands.
	 */
	private Optional<Integer> beside(NetworkAclEntry e) {
		Set<Integer> sameFamily = new HashSet<>();
		live.values().stream().filter(x -> x.isIpv6() == e.isIpv6()).forEach(x -> sameFamily.add(x.ruleNumber()));
		changes.stream()
			.filter(c -> c.after() != null && c.after().isIpv6() == e.isIpv6())
			.forEach(c -> sameFamily.add(c.after().ruleNumber()));
		for (int distance = 1;; distance++) {
			boolean open = false;
			for (int number : new int[] { e.ruleNumber() - distance, e.ruleNumber() + distance }) {
				if (number < NetworkAclNumbering.FIRST || number > NetworkAclNumbering.LAST) {
					continue;
				}
				if (!blocked(e, number, sameFamily)) {
					open = true;
					if (!numbers.contains(number)) {
						numbers.add(number);
						return Optional.of(number);
					}
				}
			}
			if (!open) {
				return Optional.empty();
			}
		}
	}

	private static boolean blocked(NetworkAclEntry e, int number, Set<Integer> sameFamily) {
		int low = Math.min(number, e.ruleNumber());
		int high = Math.max(number, e.ruleNumber());
		for (int n = low; n <= high; n++) {
			if (n != e.ruleNumber() && sameFamily.contains(n)) {
				return true;
			}
		}
		return false;
	}

	/** What two allow entries of one family both match, as one entry, if anything. */
	static Optional<NetworkAclEntry> intersection(NetworkAclEntry a, NetworkAclEntry b) {
		if (a.isIpv6() != b.isIpv6()) {
			return Optional.empty();
		}
		String cidr = NetworkAclPlan.inner(a.isIpv6() ? a.ipv6CidrBlock() : a.cidrBlock(),
				b.isIpv6() ? b.ipv6CidrBlock() : b.cidrBlock());
		if (cidr == null) {
			return Optional.empty();
		}
		NetworkAclEntry narrow = "-1".equals(a.protocol()) ? b : a;
		NetworkAclEntry other = narrow == a ? b : a;
		if (!"-1".equals(other.protocol()) && !other.protocol().equals(narrow.protocol())) {
			return Optional.empty();
		}
		NetworkAclEntry.Ports ports = narrow.portRange();
		if (ports != null && other.portRange() != null) {
			int from = Math.max(ports.from(), other.portRange().from());
			int to = Math.min(ports.to(), other.portRange().to());
			if (from > to) {
				return Optional.empty();
			}
			ports = new NetworkAclEntry.Ports(from, to);
		}
		NetworkAclEntry.IcmpTypeCode icmp = narrow.icmpTypeCode();
		if (icmp != null && other.icmpTypeCode() != null) {
			Integer type = NetworkAclPlan.sharedTypeOrCode(icmp.type(), other.icmpTypeCode().type());
			Integer code = NetworkAclPlan.sharedTypeOrCode(icmp.code(), other.icmpTypeCode().code());
			if (type == null || code == null) {
				return Optional.empty();
			}
			icmp = new NetworkAclEntry.IcmpTypeCode(type, code);
		}
		boolean v6 = a.isIpv6();
		return Optional.of(new NetworkAclEntry(a.ruleNumber(), narrow.protocol(), "allow", a.egress(), v6 ? null : cidr,
				v6 ? cidr : null, ports, icmp));
	}

	private AwsChange call(Op op) {
		return switch (op.kind()) {
			case CREATE -> new AwsChange.CreateNetworkAclEntry(group, op.after());
			case DELETE -> new AwsChange.DeleteNetworkAclEntry(group, op.before());
			case REPLACE -> new AwsChange.ReplaceNetworkAclEntry(group, op.before(), op.after());
		};
	}

	/** One attempt at an order, with one way chosen per change. */
	private final class Run {

		final List<Way> chosen = new ArrayList<>();

		final int[] done;

		final TreeMap<Integer, NetworkAclEntry> state = new TreeMap<>(live);

		BitSet current = (BitSet) before.clone();

		final List<Step> steps = new ArrayList<>();

		Run(List<List<Way>> ways, int[] way) {
			for (int c = 0; c < ways.size(); c++) {
				chosen.add(ways.get(c).get(way[c]));
			}
			done = new int[ways.size()];
		}

		boolean left(int c) {
			return done[c] < chosen.get(c).ops().size();
		}

		void greedy(Stage stage) {
			boolean progress = true;
			while (progress) {
				Cancellation.check();
				progress = false;
				for (int c = 0; c < chosen.size(); c++) {
					while (left(c)) {
						Op op = chosen.get(c).ops().get(done[c]);
						BitSet next = next(op);
						if (next == null || !safe(stage, next)) {
							break;
						}
						take(c, stage, next, null);
						progress = true;
					}
				}
			}
		}

		/** The rest, each time the least harmful call, then any safe ones it enables. */
		void force() {
			while (true) {
				int best = -1;
				long bestCost = Long.MAX_VALUE;
				BitSet bestNext = null;
				for (int c = 0; c < chosen.size(); c++) {
					if (left(c)) {
						BitSet next = next(chosen.get(c).ops().get(done[c]));
						if (next != null && cost(next) < bestCost) {
							best = c;
							bestCost = cost(next);
							bestNext = next;
						}
					}
				}
				if (best < 0) {
					return;
				}
				take(best, Stage.LOOSEN, bestNext, Stage.risk(before, after, current, bestNext, decisions::describe));
				greedy(Stage.LOOSEN);
			}
		}

		private void take(int c, Stage stage, BitSet next, String risk) {
			Op op = chosen.get(c).ops().get(done[c]);
			apply(op);
			steps.add(new Step(stage, call(op), chosen.get(c).shown(), done[c] == 0, risk));
			current = next;
			done[c]++;
		}

		/**
		 * What the list decides after the call, or null when the call cannot be made now.
		 */
		private BitSet next(Op op) {
			NetworkAclEntry there = state.get(op.number());
			boolean possible = switch (op.kind()) {
				case CREATE -> there == null;
				case DELETE, REPLACE -> op.before().equals(there);
			};
			if (!possible) {
				return null;
			}
			TreeMap<Integer, NetworkAclEntry> next = new TreeMap<>(state);
			if (op.kind() == Kind.DELETE) {
				next.remove(op.number());
			}
			else {
				next.put(op.number(), op.after());
			}
			return decisions.allowed(next);
		}

		private void apply(Op op) {
			if (op.kind() == Kind.DELETE) {
				state.remove(op.number());
			}
			else {
				state.put(op.number(), op.after());
			}
		}

		private boolean safe(Stage stage, BitSet next) {
			return stage.admits(before, after, current, next);
		}

		private long cost(BitSet next) {
			return Stage.harm(before, after, current, next);
		}

	}

}
