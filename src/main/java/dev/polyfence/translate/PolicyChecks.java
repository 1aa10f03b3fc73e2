package dev.polyfence.translate;

import dev.polyfence.policy.Action;
import dev.polyfence.policy.Direction;
import dev.polyfence.policy.Peer;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Findings about the policy itself, the same for every cloud (target {@code policy}). */
public final class PolicyChecks {

	/**
	 * Administrative ports that should not face every address: a reviewer should see such
	 * a rule.
	 */
	private static final Map<Integer, String> ADMIN_PORTS = Map.of(22, "SSH", 23, "Telnet", 3389, "RDP", 445, "SMB",
			5985, "WinRM", 5986, "WinRM over TLS");

	private PolicyChecks() {
	}

	public static List<Finding> findings(Policy policy) {
		List<Finding> findings = new ArrayList<>();
		for (Rule rule : policy.rules()) {
			if (rule.action() != Action.ALLOW || rule.direction() != Direction.INGRESS
					|| !fromEverywhere(policy, rule)) {
				continue;
			}
			IntervalSet services = ServiceSpace.of(rule.services());
			List<String> opened = new ArrayList<>();
			ADMIN_PORTS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
				if (services.contains(6 * ServiceSpace.BLOCK + e.getKey())) {
					opened.add(e.getValue() + " (tcp/" + e.getKey() + ")");
				}
			});
			if (!opened.isEmpty()) {
				findings.add(Finding.of(FindingCode.RISKY_RULE, Target.POLICY, rule.name(),
						"rule " + rule.name() + " allows " + String.join(", ", opened) + " from every address"));
			}
		}
		return findings;
	}

	/** Whether the rule's peers hold every IPv4 or every IPv6 address. */
	private static boolean fromEverywhere(Policy policy, Rule rule) {
		AddressSet peers = AddressSet.EMPTY;
		for (Peer peer : rule.peers()) {
			if (peer instanceof Peer.Any) {
				return true;
			}
			peers = peers.union(AddressSet.of(policy.blocksOf(peer)));
		}
		return peers.containsAll(AddressSet.ALL_V4) || peers.containsAll(AddressSet.ALL_V6);
	}

}
