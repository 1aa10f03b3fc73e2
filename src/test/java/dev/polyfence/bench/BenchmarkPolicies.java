package dev.polyfence.bench;

import dev.polyfence.policy.Action;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Defaults;
import dev.polyfence.policy.Direction;
import dev.polyfence.policy.Peer;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.PortRange;
import dev.polyfence.policy.Protocol;
import dev.polyfence.policy.Rule;
import dev.polyfence.policy.Service;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Large, realistic policies for the benchmark: most rules serve one or two groups, a few
 * every group; peers are groups, CIDRs of many sizes, address sets and "any"; services
 * are mostly TCP.
 */
final class BenchmarkPolicies {

	private BenchmarkPolicies() {
	}

	record Case(Policy policy, Bindings bindings) {
	}

	static Case generate(int ruleCount, int groupCount, long seed) {
		Random random = new Random(seed);
		List<String> groups = new ArrayList<>();
		Map<String, Bindings.AwsGroup> aws = new LinkedHashMap<>();
		Map<String, Bindings.AzureGroup> azure = new LinkedHashMap<>();
		Map<String, Bindings.GcpGroup> gcp = new LinkedHashMap<>();
		for (int g = 0; g < groupCount; g++) {
			String name = "g" + g;
			groups.add(name);
			List<IPAddress> cidrs = List.of(ip("10." + g + ".0.0/16"),
					ip("2001:db8:" + Integer.toHexString(g) + "::/48"));
			aws.put(name, new Bindings.AwsGroup(null, List.of(String.format("subnet-%08x", g)), cidrs));
			azure.put(name, new Bindings.AzureGroup(null, "asg-" + name, cidrs));
			gcp.put(name,
					g % 5 == 0
							? new Bindings.GcpGroup(List.of(), name + "@bench-project.iam.gserviceaccount.com", cidrs)
							: new Bindings.GcpGroup(List.of(name), null, cidrs));
		}
		Map<String, List<IPAddress>> sets = new LinkedHashMap<>();
		for (int s = 0; s < 10; s++) {
			sets.put("set" + s, List.of(ip("198.51." + s + ".0/24"), ip("2001:db8:ff" + s + "::/48")));
		}
		List<Rule> rules = new ArrayList<>();
		for (int r = 0; r < ruleCount; r++) {
			List<String> appliesTo = random.nextInt(20) == 0 ? List.of()
					: random.nextBoolean() ? List.of(groups.get(random.nextInt(groupCount)))
							: List.of(groups.get(random.nextInt(groupCount)), groups.get(random.nextInt(groupCount)))
								.stream()
								.distinct()
								.toList();
			rules.add(new Rule("r" + r, random.nextInt(5) == 0 ? Action.DENY : Action.ALLOW,
					random.nextInt(10) < 7 ? Direction.INGRESS : Direction.EGRESS, appliesTo,
					peers(random, groups, sets), services(random), false));
		}
		Policy policy = new Policy("bench", "", Defaults.STANDARD, sets, groups, rules);
		Bindings bindings = new Bindings(new Bindings.Aws("eu-west-1", "vpc-0a1b2c3d", null, null, null, aws),
				new Bindings.Azure("00000000-0000-0000-0000-000000000000", "rg", "westeurope", 100, azure),
				new Bindings.Gcp("bench-project", "net", 1000, gcp));
		return new Case(policy, bindings);
	}

	private static List<Peer> peers(Random random, List<String> groups, Map<String, List<IPAddress>> sets) {
		List<Peer> peers = new ArrayList<>();
		int n = 1 + random.nextInt(2);
		for (int i = 0; i < n; i++) {
			int kind = random.nextInt(10);
			if (kind < 4) {
				peers.add(new Peer.Group(groups.get(random.nextInt(groups.size()))));
			}
			else if (kind < 8) {
				int length = 16 + random.nextInt(13);
				IPAddress address = new IPAddressString(
						"172." + (16 + random.nextInt(16)) + "." + random.nextInt(256) + "." + random.nextInt(256))
					.getAddress();
				peers.add(new Peer.Cidr(address.toPrefixBlock(length)));
			}
			else if (kind < 9) {
				peers.add(new Peer.AddressSet("set" + random.nextInt(sets.size())));
			}
			else {
				peers.add(Peer.ANY);
			}
		}
		return peers.stream().distinct().toList();
	}

	private static List<Service> services(Random random) {
		int kind = random.nextInt(20);
		if (kind < 3) {
			return List.of();
		}
		if (kind < 15) {
			List<PortRange> ports = new ArrayList<>();
			for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
				int from = 1 + random.nextInt(9000);
				ports
					.add(random.nextInt(4) == 0 ? new PortRange(from, from + random.nextInt(100)) : PortRange.of(from));
			}
			return List.of(new Service(Protocol.TCP, ports, null, null));
		}
		if (kind < 18) {
			return List.of(Service.of(Protocol.UDP, PortRange.of(53 + random.nextInt(1000))));
		}
		return List.of(Service.icmp(Protocol.ICMP, null, null));
	}

	private static IPAddress ip(String cidr) {
		return new IPAddressString(cidr).getAddress();
	}

}
