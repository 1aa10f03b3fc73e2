package dev.polyfence.verify;

import dev.polyfence.policy.Action;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Short builders for hand-written policies in the evaluator tests. */
final class Fixtures {

	private Fixtures() {
	}

	static IPAddress ip(String text) {
		IPAddress address = new IPAddressString(text).getAddress();
		if (address == null) {
			throw new IllegalArgumentException(text);
		}
		return address;
	}

	static Peer cidr(String text) {
		return new Peer.Cidr(ip(text));
	}

	static Peer group(String name) {
		return new Peer.Group(name);
	}

	static Peer set(String name) {
		return new Peer.AddressSet(name);
	}

	static Peer any() {
		return Peer.ANY;
	}

	static Service tcp(String... ports) {
		return new Service(Protocol.TCP, ranges(ports), null, null);
	}

	static Service udp(String... ports) {
		return new Service(Protocol.UDP, ranges(ports), null, null);
	}

	static Service icmp(Integer type, Integer code) {
		return Service.icmp(Protocol.ICMP, type, code);
	}

	static Service icmpv6(Integer type, Integer code) {
		return Service.icmp(Protocol.ICMPV6, type, code);
	}

	static Service protocol(int number) {
		return Service.of(new Protocol(number));
	}

	static Service anyProtocol() {
		return Service.ALL_TRAFFIC;
	}

	private static List<PortRange> ranges(String... ports) {
		List<PortRange> ranges = new ArrayList<>();
		for (String p : ports) {
			int dash = p.indexOf('-');
			ranges.add(dash < 0 ? PortRange.of(Integer.parseInt(p))
					: new PortRange(Integer.parseInt(p.substring(0, dash)), Integer.parseInt(p.substring(dash + 1))));
		}
		return ranges;
	}

	/** A rule; {@code appliesTo} "*" for every group; no services means all traffic. */
	static Rule rule(String name, Action action, Direction direction, String appliesTo, List<Peer> peers,
			Service... services) {
		List<String> groups = appliesTo.equals("*") ? List.of() : Arrays.asList(appliesTo.split(","));
		return new Rule(name, action, direction, groups, peers, List.of(services), false);
	}

	static Rule allowIn(String name, String appliesTo, List<Peer> peers, Service... services) {
		return rule(name, Action.ALLOW, Direction.INGRESS, appliesTo, peers, services);
	}

	static Rule denyIn(String name, String appliesTo, List<Peer> peers, Service... services) {
		return rule(name, Action.DENY, Direction.INGRESS, appliesTo, peers, services);
	}

	static Rule allowOut(String name, String appliesTo, List<Peer> peers, Service... services) {
		return rule(name, Action.ALLOW, Direction.EGRESS, appliesTo, peers, services);
	}

	static Rule denyOut(String name, String appliesTo, List<Peer> peers, Service... services) {
		return rule(name, Action.DENY, Direction.EGRESS, appliesTo, peers, services);
	}

	static Policy policy(String name, Defaults defaults, Map<String, List<String>> addressSets, List<String> groups,
			Rule... rules) {
		Map<String, List<IPAddress>> sets = new LinkedHashMap<>();
		addressSets.forEach((k, v) -> sets.put(k, v.stream().map(Fixtures::ip).toList()));
		return new Policy(name, "", defaults, sets, groups, List.of(rules));
	}

	static Defaults defaults(Action ingress, Action egress) {
		return new Defaults(ingress, egress);
	}

	static Endpoint.Workload workload(String group, String address) {
		return Endpoint.workload(group, address);
	}

	static Endpoint.Outside outside(String address) {
		return Endpoint.outside(address);
	}

}
