package dev.polyfence.verify;

import dev.polyfence.policy.Direction;
import dev.polyfence.policy.Peer;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.Rule;
import dev.polyfence.policy.Service;
import dev.polyfence.translate.aws.AwsOutput;
import dev.polyfence.translate.aws.IpPermission;
import dev.polyfence.translate.aws.SecurityGroup;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A few flows that stand for what each rule is about: for every rule, every group it
 * applies to, every peer and every service, one flow between a workload of the group and
 * that peer (its first address; a workload when a group's addresses hold it), in the
 * rule's direction. A plan evaluates them before and after to say which flows it opens
 * and which it closes.
 */
public final class RepresentativeFlows {

	/**
	 * Stand-ins for "every address" (RFC 2544 benchmarking and RFC 3849 documentation
	 * space).
	 */
	private static final IPAddress ANY_V4 = new IPAddressString("198.18.0.1").getAddress();

	private static final IPAddress ANY_V6 = new IPAddressString("2001:db8:ffff::1").getAddress();

	private RepresentativeFlows() {
	}

	/**
	 * @param groupCidrs where each group's workloads live in the cloud at hand; groups
	 * without addresses there are left out (a flow needs an address)
	 * @param limit the most flows to return
	 */
	public static List<Flow> of(Policy policy, Map<String, List<IPAddress>> groupCidrs, int limit) {
		Set<Flow> flows = new LinkedHashSet<>();
		for (Rule rule : policy.rules()) {
			List<String> groups = rule.appliesToAll() ? policy.groups() : rule.appliesTo();
			for (String group : groups) {
				for (Peer peer : rule.peers()) {
					for (Endpoint other : endpoints(policy, peer, groupCidrs)) {
						Endpoint workload = workload(group, other.address().isIPv4(), groupCidrs);
						if (workload == null) {
							continue;
						}
						boolean ingress = rule.direction() == Direction.INGRESS;
						for (Service service : rule.effectiveServices()) {
							Flow flow = flow(ingress ? other : workload, ingress ? workload : other, service);
							if (flow != null) {
								flows.add(flow);
								if (flows.size() >= limit) {
									return List.copyOf(flows);
								}
							}
						}
					}
				}
			}
		}
		return List.copyOf(flows);
	}

	/**
	 * Flows that stand for what AWS security groups allow now: for every permission of
	 * every group's security group, one flow per peer and family, with the permission's
	 * first port or ICMP type. With {@link #of}, a plan sees both what it adds and what
	 * it takes away.
	 */
	public static List<Flow> of(AwsOutput output, Map<String, List<IPAddress>> groupCidrs, int limit) {
		Map<String, String> groupBySecurityGroup = new java.util.HashMap<>();
		output.securityGroups().forEach(sg -> groupBySecurityGroup.put(sg.groupName(), sg.group()));
		Set<Flow> flows = new LinkedHashSet<>();
		for (SecurityGroup sg : output.securityGroups()) {
			for (boolean egress : new boolean[] { false, true }) {
				for (IpPermission p : egress ? sg.ipPermissionsEgress() : sg.ipPermissions()) {
					List<Endpoint> peers = new ArrayList<>();
					p.ipRanges().forEach(r -> peers.add(owner(first(r.cidrIp()), groupCidrs)));
					p.ipv6Ranges().forEach(r -> peers.add(owner(first(r.cidrIpv6()), groupCidrs)));
					for (IpPermission.UserIdGroupPair pair : p.userIdGroupPairs()) {
						String group = groupBySecurityGroup.get(pair.groupName());
						for (boolean v4 : new boolean[] { true, false }) {
							Endpoint w = group == null ? null : workload(group, v4, groupCidrs);
							if (w != null) {
								peers.add(w);
							}
						}
					}
					for (Endpoint peer : peers) {
						Endpoint self = workload(sg.group(), peer.address().isIPv4(), groupCidrs);
						Flow flow = self == null ? null : awsFlow(egress ? self : peer, egress ? peer : self, p);
						if (flow != null) {
							flows.add(flow);
							if (flows.size() >= limit) {
								return List.copyOf(flows);
							}
						}
					}
				}
			}
		}
		return List.copyOf(flows);
	}

	private static Flow awsFlow(Endpoint source, Endpoint destination, IpPermission p) {
		boolean v4 = source.address().isIPv4();
		switch (p.ipProtocol()) {
			case "-1":
				return Flow.tcp(source, destination, 443);
			case "tcp", "6":
				return Flow.tcp(source, destination, p.fromPort() == null || p.fromPort() < 0 ? 443 : p.fromPort());
			case "udp", "17":
				return Flow.udp(source, destination, p.fromPort() == null || p.fromPort() < 0 ? 53 : p.fromPort());
			case "icmp", "1", "icmpv6", "58":
				if (("icmp".equals(p.ipProtocol()) || "1".equals(p.ipProtocol())) != v4) {
					return null;
				}
				int type = p.fromPort() == null || p.fromPort() < 0 ? (v4 ? 8 : 128) : p.fromPort();
				int code = p.toPort() == null || p.toPort() < 0 ? 0 : p.toPort();
				return Flow.icmp(source, destination, type, code);
			default:
				return Flow.other(source, destination, Integer.parseInt(p.ipProtocol()));
		}
	}

	private static IPAddress first(String cidr) {
		return new IPAddressString(cidr).getAddress().getLower().withoutPrefixLength();
	}

	private static List<Endpoint> endpoints(Policy policy, Peer peer, Map<String, List<IPAddress>> groupCidrs) {
		List<Endpoint> endpoints = new ArrayList<>();
		if (peer instanceof Peer.Group g) {
			for (boolean v4 : new boolean[] { true, false }) {
				Endpoint w = workload(g.name(), v4, groupCidrs);
				if (w != null) {
					endpoints.add(w);
				}
			}
			return endpoints;
		}
		List<IPAddress> addresses = new ArrayList<>();
		if (peer instanceof Peer.Any) {
			addresses.add(ANY_V4);
			addresses.add(ANY_V6);
		}
		else {
			policy.blocksOf(peer).forEach(b -> addresses.add(b.getLower().withoutPrefixLength()));
		}
		for (IPAddress address : addresses) {
			endpoints.add(owner(address, groupCidrs));
		}
		return endpoints;
	}

	/** A workload when a group's addresses hold the address, else an outside address. */
	private static Endpoint owner(IPAddress address, Map<String, List<IPAddress>> groupCidrs) {
		for (Map.Entry<String, List<IPAddress>> e : groupCidrs.entrySet()) {
			for (IPAddress block : e.getValue()) {
				if (block.contains(address)) {
					return new Endpoint.Workload(e.getKey(), address);
				}
			}
		}
		return new Endpoint.Outside(address);
	}

	private static Endpoint workload(String group, boolean v4, Map<String, List<IPAddress>> groupCidrs) {
		for (IPAddress block : groupCidrs.getOrDefault(group, List.of())) {
			if (block.isIPv4() == v4) {
				return new Endpoint.Workload(group, block.getLower().withoutPrefixLength());
			}
		}
		return null;
	}

	private static Flow flow(Endpoint source, Endpoint destination, Service service) {
		int protocol = service.protocol().number();
		boolean v4 = source.address().isIPv4();
		if (service.protocol().isAny()) {
			return Flow.tcp(source, destination, 443);
		}
		if (service.protocol().hasPorts()) {
			int port = service.ports().isEmpty() ? 443 : service.ports().get(0).from();
			return protocol == 6 ? Flow.tcp(source, destination, port) : Flow.udp(source, destination, port);
		}
		if (service.protocol().isIcmp()) {
			if ((protocol == 1) != v4) {
				return null;
			}
			int type = service.icmpType() != null ? service.icmpType() : v4 ? 8 : 128;
			int code = service.icmpCode() != null ? service.icmpCode() : 0;
			return Flow.icmp(source, destination, type, code);
		}
		return Flow.other(source, destination, protocol);
	}

	/**
	 * A short service text for reports: "tcp/443", "icmp type 8 code 0", "protocol 47".
	 */
	public static String service(Flow flow) {
		if (flow.hasPort()) {
			return (flow.protocol() == Flow.TCP ? "tcp/" : "udp/") + flow.port();
		}
		if (flow.isIcmp()) {
			return (flow.protocol() == Flow.ICMP ? "icmp" : "icmpv6") + " type " + flow.icmpType() + " code "
					+ flow.icmpCode();
		}
		return "protocol " + flow.protocol();
	}

}
