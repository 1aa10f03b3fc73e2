package dev.polyfence.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.policy.Action;
import dev.polyfence.policy.Peer;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.Rule;
import dev.polyfence.policy.Service;
import inet.ipaddr.IPAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GeneratorTest {

	@Test
	void theSameSeedGivesTheSamePolicyAndFlows() {
		PolicyGenerator.Generated a = new PolicyGenerator(42).generate();
		PolicyGenerator.Generated b = new PolicyGenerator(42).generate();
		assertThat(a).isEqualTo(b);
		Map<String, List<IPAddress>> cidrs = FlowGenerator.awsCidrs(a.bindings());
		assertThat(new FlowGenerator(a.policy(), cidrs, 42).flows(50))
			.isEqualTo(new FlowGenerator(b.policy(), cidrs, 42).flows(50));
	}

	@Test
	void policiesAreValidAndCoverEveryKindOfPeerAndService() {
		Set<String> seen = new HashSet<>();
		for (long seed = 0; seed < 300; seed++) {
			PolicyGenerator.Generated g = new PolicyGenerator(seed).generate();
			Policy policy = g.policy();
			assertThat(policy.groups()).hasSizeBetween(2, 5);
			assertThat(policy.rules()).hasSizeBetween(1, 15);
			assertThat(policy.rules().stream().map(Rule::name).distinct().count()).isEqualTo(policy.rules().size());
			assertThat(policy.name()).matches("[a-z]([-a-z0-9]*[a-z0-9])?").hasSizeLessThanOrEqualTo(30);
			for (String group : policy.groups()) {
				assertThat(g.bindings().aws().groups()).containsKey(group);
				assertThat(g.bindings().azure().groups()).containsKey(group);
				assertThat(g.bindings().gcp().groups()).containsKey(group);
				assertOneGcpSelector(g, group);
			}
			assertDisjoint(FlowGenerator.awsCidrs(g.bindings()));
			seen.add("ingress-" + policy.defaults().ingress());
			seen.add("egress-" + policy.defaults().egress());
			for (Rule rule : policy.rules()) {
				seen.add(rule.appliesToAll() ? "appliesTo-*" : "appliesTo-some");
				seen.add(rule.action() == Action.ALLOW ? "allow" : "deny");
				seen.add(rule.services().isEmpty() ? "services-omitted" : "services-given");
				for (Peer peer : rule.peers()) {
					seen.add("peer-" + peer.getClass().getSimpleName());
				}
				for (Service service : rule.services()) {
					seen.add("protocol-" + service.protocol().wire() + (service.ports().isEmpty() ? "" : "-ports")
							+ (service.icmpType() == null ? "" : "-type")
							+ (service.icmpCode() == null ? "" : "-code"));
				}
			}
		}
		assertThat(seen).contains("ingress-ALLOW", "ingress-DENY", "egress-ALLOW", "egress-DENY", "appliesTo-*",
				"appliesTo-some", "allow", "deny", "services-omitted", "services-given", "peer-Cidr", "peer-Group",
				"peer-AddressSet", "peer-Any", "protocol-tcp", "protocol-tcp-ports", "protocol-udp-ports",
				"protocol-icmp", "protocol-icmp-type", "protocol-icmp-type-code", "protocol-icmpv6-type-code",
				"protocol-47", "protocol-50", "protocol-132", "protocol-any");
	}

	private static void assertOneGcpSelector(PolicyGenerator.Generated g, String group) {
		var bound = g.bindings().gcp().groups().get(group);
		assertThat(bound.targetTags().isEmpty()).isNotEqualTo(bound.serviceAccount() == null);
	}

	private static void assertDisjoint(Map<String, List<IPAddress>> cidrs) {
		List<String> groups = List.copyOf(cidrs.keySet());
		for (int i = 0; i < groups.size(); i++) {
			for (int j = i + 1; j < groups.size(); j++) {
				for (IPAddress a : cidrs.get(groups.get(i))) {
					for (IPAddress b : cidrs.get(groups.get(j))) {
						assertThat(a.overlaps(b)).as(a + " overlaps " + b).isFalse();
					}
				}
			}
		}
	}

	@Test
	void flowsKeepTheModelAssumptions() {
		Set<String> kinds = new HashSet<>();
		for (long seed = 0; seed < 100; seed++) {
			PolicyGenerator.Generated g = new PolicyGenerator(seed).generate();
			Map<String, List<IPAddress>> cidrs = FlowGenerator.awsCidrs(g.bindings());
			for (Flow flow : new FlowGenerator(g.policy(), cidrs, seed).flows(60)) {
				for (Endpoint end : List.of(flow.source(), flow.destination())) {
					if (end instanceof Endpoint.Workload w) {
						assertThat(Addresses.anyContains(cidrs.get(w.group()), w.address())).as(w.toString()).isTrue();
					}
					else {
						cidrs.values()
							.forEach(blocks -> assertThat(Addresses.anyContains(blocks, end.address()))
								.as(end.toString())
								.isFalse());
					}
				}
				String kind = kind(flow.source()) + "->" + kind(flow.destination());
				if (flow.source() instanceof Endpoint.Workload s && flow.destination() instanceof Endpoint.Workload d) {
					kind += s.group().equals(d.group()) ? " same" : " other";
				}
				kinds.add(kind);
				kinds.add(flow.isIpv4() ? "v4" : "v6");
				kinds.add("protocol-" + flow.protocol());
			}
		}
		assertThat(kinds).contains("workload->workload same", "workload->workload other", "workload->outside",
				"outside->workload", "v4", "v6", "protocol-6", "protocol-17", "protocol-1", "protocol-58",
				"protocol-47");
	}

	private static String kind(Endpoint end) {
		return end instanceof Endpoint.Workload ? "workload" : "outside";
	}

}
