package dev.polyfence.verify;

import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Peer;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.Rule;
import dev.polyfence.policy.Service;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A policy and its bindings as compact YAML-like text, for failure messages. */
final class PolicyDump {

	private PolicyDump() {
	}

	static String of(Policy policy, Bindings bindings) {
		StringBuilder out = new StringBuilder();
		out.append("policy ")
			.append(policy.name())
			.append(": defaults ingress=")
			.append(policy.defaults().ingress().wire())
			.append(" egress=")
			.append(policy.defaults().egress().wire())
			.append("\n  groups: ")
			.append(policy.groups())
			.append('\n');
		policy.addressSets()
			.forEach((name,
					blocks) -> out.append("  addressSet ").append(name).append(": ").append(blocks).append('\n'));
		for (Rule rule : policy.rules()) {
			out.append("  - ")
				.append(rule.name())
				.append(": ")
				.append(rule.action().wire())
				.append(' ')
				.append(rule.direction().wire())
				.append(" appliesTo=")
				.append(rule.appliesToAll() ? "[*]" : rule.appliesTo().toString())
				.append(" peers=")
				.append(rule.peers().stream().map(PolicyDump::peer).collect(Collectors.joining(", ", "[", "]")))
				.append(" services=")
				.append(rule.services().isEmpty() ? "(all)"
						: rule.services().stream().map(PolicyDump::service).collect(Collectors.joining(", ", "[", "]")))
				.append('\n');
		}
		if (bindings != null) {
			if (bindings.aws() != null) {
				out.append("  aws: ephemeral=").append(bindings.aws().ephemeralPorts());
				bindings.aws()
					.groups()
					.entrySet()
					.stream()
					.sorted(Map.Entry.comparingByKey())
					.forEach(e -> out.append(" | ")
						.append(e.getKey())
						.append(" sg=")
						.append(e.getValue().securityGroupName())
						.append(" subnets=")
						.append(e.getValue().subnetIds())
						.append(" cidrs=")
						.append(e.getValue().cidrs()));
				out.append('\n');
			}
			if (bindings.azure() != null) {
				out.append("  azure: priorityBase=").append(bindings.azure().priorityBase());
				bindings.azure()
					.groups()
					.entrySet()
					.stream()
					.sorted(Map.Entry.comparingByKey())
					.forEach(e -> out.append(" | ")
						.append(e.getKey())
						.append(" nsg=")
						.append(e.getValue().networkSecurityGroupName())
						.append(" asg=")
						.append(e.getValue().applicationSecurityGroupName()));
				out.append('\n');
			}
			if (bindings.gcp() != null) {
				out.append("  gcp: priorityBase=").append(bindings.gcp().priorityBase());
				bindings.gcp()
					.groups()
					.entrySet()
					.stream()
					.sorted(Map.Entry.comparingByKey())
					.forEach(e -> out.append(" | ")
						.append(e.getKey())
						.append(" tags=")
						.append(e.getValue().targetTags())
						.append(" sa=")
						.append(e.getValue().serviceAccount()));
				out.append('\n');
			}
		}
		return out.toString();
	}

	private static String peer(Peer peer) {
		if (peer instanceof Peer.Any) {
			return "any";
		}
		if (peer instanceof Peer.Group g) {
			return "group:" + g.name();
		}
		if (peer instanceof Peer.AddressSet s) {
			return "addressSet:" + s.name();
		}
		return "cidr:" + peer;
	}

	private static String service(Service service) {
		StringBuilder text = new StringBuilder(service.protocol().wire());
		if (!service.ports().isEmpty()) {
			List<String> ports = service.ports().stream().map(Object::toString).toList();
			text.append(ports);
		}
		if (service.icmpType() != null) {
			text.append(" type ").append(service.icmpType());
		}
		if (service.icmpCode() != null) {
			text.append(" code ").append(service.icmpCode());
		}
		return text.toString();
	}

}
