package dev.polyfence.translate.aws;

import dev.polyfence.policy.Action;
import dev.polyfence.policy.PortRange;
import dev.polyfence.translate.AddressSet;
import dev.polyfence.translate.Cancellation;
import dev.polyfence.translate.IntervalSet;
import dev.polyfence.translate.PeerSet;
import dev.polyfence.translate.ServiceSpace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.HashMap;
import java.util.Map;

/**
 * Chooses what one direction of a group's network ACL carries, as a budgeted complement
 * of its security group (spec section 4, AWS).
 *
 * <p>
 * A deny rule of the side is <em>carried</em> when its address peers (outside the group's
 * own cidrs: traffic inside one subnet never crosses the ACL) are denied by ACL entries;
 * the security group then lists its allows without subtracting them. The entries are, in
 * policy order, the carried denies and, before each, the earlier allow rules cut down to
 * the carried peers and services (so whatever the ACL denies, the policy denies too), and
 * allow-all entries last. Where the ACL lets a packet pass, the first rule of the policy
 * that matches it is not a carried deny, so the security group, which keeps every rule
 * but the carried parts, decides as the policy does.
 *
 * <p>
 * A carried deny covers only the services that need it and that no reply may use: only
 * services a later allow (or an allowing default) would otherwise admit from those peers,
 * and never the reply traffic of what the other direction allows to them (TCP and UDP to
 * the ephemeral ports, ICMP, other protocols whole), since a stateless ACL would cut
 * those replies off. What a carried deny cannot cover stays in the security group.
 *
 * <p>
 * The ACL holds at most {@code budget} entries per address family, allow-all included.
 * When every candidate fits, all are carried; otherwise they are added one at a time, the
 * ones that save the most security-group entries per ACL entry first (an estimate: the
 * blocks each one's subtraction would add to the allows after it), while they fit.
 */
final class AclComplement {

	/**
	 * What one direction of a group gets: the rules its security group keeps, the ACL
	 * entries in order, and which deny rules the ACL carries and which did not fit.
	 */
	record Result(List<SideRule> securityGroupRules, NetworkAclEntries entries, List<String> carried,
			List<String> notFitting, List<KeptForReplies> keptForReplies) {
	}

	/**
	 * Part of a deny rule that the ACL cannot carry because replies of what the other
	 * direction allows use the same peers and services.
	 */
	record KeptForReplies(String rule, AddressSet peers, IntervalSet services) {
	}

	/**
	 * Replies of what the other direction allows: to or from these peers, these services.
	 */
	record Reply(AddressSet peers, IntervalSet services) {
	}

	private record Candidate(int index, AddressSet peers, IntervalSet services, long v4, long v6) {

		long cost() {
			return Math.max(v4, v6);
		}
	}

	private final List<SideRule> rules;

	private final boolean egress;

	private final long budget;

	private final List<Candidate> candidates = new ArrayList<>();

	private final List<KeptForReplies> keptForReplies = new ArrayList<>();

	private AclComplement(List<SideRule> rules, boolean egress, long budget) {
		this.rules = rules;
		this.egress = egress;
		this.budget = budget;
	}

	/**
	 * @param rules the side's rules in policy order
	 * @param fallback the side's default
	 * @param replies the reply traffic the other direction needs to pass (see
	 * {@link #replies})
	 * @param notCarried addresses the ACL must not decide for (the group's own cidrs, and
	 * where groups without addresses are assumed to be)
	 * @param egress whether this is the outbound direction
	 * @param budget entries per address family, allow-all included
	 */
	static Result build(List<SideRule> rules, Action fallback, List<Reply> replies, AddressSet notCarried,
			boolean egress, long budget) {
		AclComplement acl = new AclComplement(rules, egress, budget);
		acl.findCandidates(fallback, replies, notCarried);
		List<Candidate> chosen = acl.choose(fallback);
		java.util.Set<Integer> carried = new java.util.HashSet<>();
		chosen.forEach(c -> carried.add(c.index()));
		return new Result(acl.securityGroupRules(chosen), acl.entries(chosen),
				chosen.stream().map(c -> rules.get(c.index()).rule()).distinct().toList(),
				acl.candidates.stream()
					.filter(c -> !carried.contains(c.index()))
					.map(c -> rules.get(c.index()).rule())
					.distinct()
					.toList(),
				List.copyOf(acl.keptForReplies));
	}

	/**
	 * The replies that what the other direction allows needs to pass: per allowed cell of
	 * that direction (exact, see {@link dev.polyfence.translate.Flattener}), to or from
	 * its peers, TCP and UDP to the ephemeral ports, ICMP, other protocols whole.
	 */
	static List<Reply> replies(List<dev.polyfence.translate.Flattener.Cell> otherDirection, PortRange ephemeral) {
		List<Reply> replies = new ArrayList<>();
		for (dev.polyfence.translate.Flattener.Cell cell : otherDirection) {
			if (!cell.peers().addresses().isEmpty()) {
				replies.add(new Reply(cell.peers().addresses(),
						replyServices(IntervalSet.of(cell.low(), cell.high()), ephemeral)));
			}
		}
		return replies;
	}

	static IntervalSet replyServices(IntervalSet services, PortRange ephemeral) {
		IntervalSet replies = IntervalSet.EMPTY;
		for (ServiceSpace.Piece piece : ServiceSpace.pieces(services)) {
			int p = piece.protocol();
			int base = p * ServiceSpace.BLOCK;
			replies = replies.union(p == 6 || p == 17 ? IntervalSet.of(base + ephemeral.from(), base + ephemeral.to())
					: ServiceSpace.protocol(p));
		}
		return replies;
	}

	private void findCandidates(Action fallback, List<Reply> replies, AddressSet notCarried) {
		IntervalSet laterAllows = fallback == Action.ALLOW ? ServiceSpace.ALL : IntervalSet.EMPTY;
		List<Candidate> found = new ArrayList<>();
		for (int i = rules.size() - 1; i >= 0; i--) {
			Cancellation.check();
			SideRule rule = rules.get(i);
			if (rule.isAllow() || rule.isEmpty()) {
				continue;
			}
			AddressSet peers = rule.peers().addresses().subtract(notCarried);
			if (peers.isEmpty()) {
				continue;
			}
			IntervalSet needed = rule.services().intersect(laterServices(i, peers, laterAllows));
			IntervalSet free = rule.services();
			for (Reply reply : replies) {
				if (reply.peers().intersects(peers)) {
					free = free.subtract(reply.services());
				}
			}
			IntervalSet forReplies = needed.subtract(free);
			if (!forReplies.isEmpty()) {
				keptForReplies.add(new KeptForReplies(rule.rule(), peers, forReplies));
			}
			IntervalSet services = fill(needed.intersect(free), free);
			if (!services.isEmpty()) {
				long[] cost = NetworkAclEntries.cost(peers, services);
				found.add(new Candidate(i, peers, services, cost[0], cost[1]));
			}
		}
		java.util.Collections.reverse(found);
		candidates.addAll(found);
	}

	/**
	 * The services that allow rules after {@code index} (or the default) give to peers.
	 */
	private IntervalSet laterServices(int index, AddressSet peers, IntervalSet fromDefault) {
		IntervalSet services = fromDefault;
		for (int j = index + 1; j < rules.size() && !services.equals(ServiceSpace.ALL); j++) {
			SideRule later = rules.get(j);
			if (later.isAllow() && later.peers().addresses().intersects(peers)) {
				services = services.union(later.services());
			}
		}
		return services;
	}

	/**
	 * The fewest ACL matches between {@code needed} and {@code free}: TCP and UDP port
	 * gaps inside {@code free} are closed, several ICMP types become the whole protocol,
	 * and everything becomes "-1" when everything is free.
	 */
	static IntervalSet fill(IntervalSet needed, IntervalSet free) {
		if (needed.isEmpty()) {
			return needed;
		}
		if (free.equals(ServiceSpace.ALL) && NetworkAclEntries.matches(needed).size() > 1) {
			return ServiceSpace.ALL;
		}
		IntervalSet filled = needed;
		for (int k = 0; k + 1 < needed.size(); k++) {
			int protocol = needed.high(k) / ServiceSpace.BLOCK;
			IntervalSet gap = IntervalSet.of(needed.high(k) + 1, needed.low(k + 1) - 1);
			if ((protocol == 6 || protocol == 17) && needed.low(k + 1) / ServiceSpace.BLOCK == protocol
					&& free.containsAll(gap)) {
				filled = filled.union(gap);
			}
		}
		for (int protocol : new int[] { 1, 58 }) {
			IntervalSet whole = ServiceSpace.protocol(protocol);
			IntervalSet part = filled.intersect(whole);
			if (!part.isEmpty() && NetworkAclEntries.matches(part).size() > 1 && free.containsAll(whole)) {
				filled = filled.union(whole);
			}
		}
		return filled;
	}

	private List<Candidate> choose(Action fallback) {
		if (candidates.isEmpty() || fits(candidates)) {
			return candidates;
		}
		Map<Integer, Double> gain = new HashMap<>();
		Map<Integer, long[]> added = new HashMap<>();
		for (Candidate c : candidates) {
			long[] alone = count(entries(List.of(c)));
			added.put(c.index(), new long[] { alone[0] - 1, alone[1] - 1 });
			long aclCost = Math.max(1, Math.max(alone[0], alone[1]) - 1);
			gain.put(c.index(), saving(c, fallback) / (double) aclCost);
		}
		List<Candidate> order = new ArrayList<>(candidates);
		order.removeIf(c -> gain.get(c.index()) <= 0);
		order
			.sort(Comparator.comparingDouble((Candidate c) -> -gain.get(c.index())).thenComparingInt(Candidate::index));
		List<Candidate> chosen = new ArrayList<>();
		long[] used = count(entries(chosen));
		for (Candidate c : order) {
			Cancellation.check();
			long[] more = added.get(c.index());
			if (used[0] + more[0] > budget || used[1] + more[1] > budget) {
				continue;
			}
			List<Candidate> trial = new ArrayList<>(chosen);
			trial.add(c);
			trial.sort(Comparator.comparingInt(Candidate::index));
			long[] count = count(entries(trial));
			if (count[0] <= budget && count[1] <= budget) {
				chosen = trial;
				used = count;
			}
		}
		return chosen;
	}

	/** Past this many blocks, a subtraction is counted as this many. */
	private static final long BLOCKS_COUNTED = 10_000;

	/**
	 * An estimate of the security-group entries that carrying {@code c} saves: for each
	 * later allow (and an allowing default) that it cuts into, the blocks its subtraction
	 * adds, times the permissions its services take. Denies interact, so this ranks
	 * candidates rather than predicting counts.
	 */
	private long saving(Candidate c, Action fallback) {
		long saving = 0;
		for (int j = c.index() + 1; j < rules.size(); j++) {
			SideRule later = rules.get(j);
			IntervalSet services = later.services().intersect(c.services());
			if (!later.isAllow() || services.isEmpty() || !later.peers().addresses().intersects(c.peers())) {
				continue;
			}
			saving += holes(later.peers().addresses(), c.peers(), services);
		}
		if (fallback == Action.ALLOW) {
			saving += holes(AddressSet.ALL, c.peers(), c.services());
		}
		return saving;
	}

	private static long holes(AddressSet allowed, AddressSet denied, IntervalSet services) {
		long added = blocks(allowed.subtract(denied)) - blocks(allowed);
		return Math.max(0, added) * NetworkAclEntries.matches(services).size();
	}

	private static long blocks(AddressSet addresses) {
		return addresses.prefixBlockCount(true, BLOCKS_COUNTED) + addresses.prefixBlockCount(false, BLOCKS_COUNTED);
	}

	private static long[] count(NetworkAclEntries entries) {
		return new long[] { entries.count(false), entries.count(true) };
	}

	private boolean fits(List<Candidate> chosen) {
		long deniesAlone = chosen.stream().mapToLong(Candidate::cost).sum();
		if (deniesAlone + 1 > budget * 2) {
			return false;
		}
		NetworkAclEntries entries = entries(chosen);
		return entries.count(false) <= budget && entries.count(true) <= budget;
	}

	/** The ACL entries for the carried candidates, in policy order, allow-all last. */
	private NetworkAclEntries entries(List<Candidate> chosen) {
		NetworkAclEntries entries = new NetworkAclEntries(egress);
		int next = chosen.size() - 1;
		AddressSet[] laterPeers = new AddressSet[rules.size() + 1];
		IntervalSet[] laterServices = new IntervalSet[rules.size() + 1];
		laterPeers[rules.size()] = AddressSet.EMPTY;
		laterServices[rules.size()] = IntervalSet.EMPTY;
		for (int i = rules.size() - 1; i >= 0; i--) {
			laterPeers[i] = laterPeers[i + 1];
			laterServices[i] = laterServices[i + 1];
			if (next >= 0 && chosen.get(next).index() == i) {
				laterPeers[i] = laterPeers[i].union(chosen.get(next).peers());
				laterServices[i] = laterServices[i].union(chosen.get(next).services());
				next--;
			}
		}
		int at = 0;
		for (int i = 0; i < rules.size(); i++) {
			SideRule rule = rules.get(i);
			if (at < chosen.size() && chosen.get(at).index() == i) {
				entries.add(false, chosen.get(at).peers(), chosen.get(at).services());
				at++;
			}
			else if (rule.isAllow() && !laterServices[i + 1].isEmpty()) {
				AddressSet peers = rule.peers().addresses().intersect(laterPeers[i + 1]);
				IntervalSet services = rule.services().intersect(laterServices[i + 1]);
				if (!peers.isEmpty() && !services.isEmpty()) {
					entries.add(true, peers, services);
				}
			}
		}
		entries.addAllowAll();
		if (entries.size() <= COMPACTED_MAX * budget) {
			entries.compact();
		}
		return entries;
	}

	/**
	 * Compaction compares entries pairwise; a list this many times the budget could never
	 * shrink to fit, so it is not compacted.
	 */
	private static final int COMPACTED_MAX = 4;

	/** The side's rules with the carried parts of the chosen denies taken out. */
	private List<SideRule> securityGroupRules(List<Candidate> chosen) {
		List<SideRule> kept = new ArrayList<>(rules.size() + chosen.size());
		int at = 0;
		for (int i = 0; i < rules.size(); i++) {
			SideRule rule = rules.get(i);
			if (at < chosen.size() && chosen.get(at).index() == i) {
				Candidate c = chosen.get(at++);
				SideRule rest = rule
					.withPeers(new PeerSet(rule.peers().addresses().subtract(c.peers()), rule.peers().labels()));
				SideRule uncovered = new SideRule(rule.rule(), rule.action(), PeerSet.of(c.peers()),
						rule.services().subtract(c.services()));
				for (SideRule part : List.of(rest, uncovered)) {
					if (!part.isEmpty()) {
						kept.add(part);
					}
				}
			}
			else {
				kept.add(rule);
			}
		}
		return kept;
	}

}
