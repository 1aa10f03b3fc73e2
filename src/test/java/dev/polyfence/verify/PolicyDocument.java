package dev.polyfence.verify;

import dev.polyfence.app.RequestDocument;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Cloud;
import dev.polyfence.policy.Peer;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.PolicyRequest;
import dev.polyfence.policy.PortRange;
import dev.polyfence.policy.Rule;
import dev.polyfence.policy.Service;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * A policy and its bindings written back as a request document: to check the generator
 * against the parser, and for tests that make policies as objects but must send documents
 * (plans keep theirs).
 */
public final class PolicyDocument {

	private PolicyDocument() {
	}

	public static String request(Policy policy, Bindings bindings) {
		return request(policy, bindings, Set.of());
	}

	/** The request as JSON; {@code targets} empty leaves them out (every bound cloud). */
	public static String request(Policy policy, Bindings bindings, Set<Cloud> targets) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("policy", policy(policy));
		body.put("bindings", bindings(bindings));
		if (!targets.isEmpty()) {
			body.put("targets", targets.stream().map(Cloud::wire).toList());
		}
		return JsonMapper.builder().build().writeValueAsString(body);
	}

	/** The request as a document the plan service takes. */
	public static RequestDocument document(PolicyRequest request) {
		return document(request.policy(), request.bindings(), request.targets());
	}

	/** The request as a document the plan service takes. */
	public static RequestDocument document(Policy policy, Bindings bindings, Set<Cloud> targets) {
		return new RequestDocument(request(policy, bindings, targets), false);
	}

	private static Map<String, Object> policy(Policy policy) {
		Map<String, Object> spec = new LinkedHashMap<>();
		spec.put("defaults",
				Map.of("ingress", policy.defaults().ingress().wire(), "egress", policy.defaults().egress().wire()));
		if (!policy.addressSets().isEmpty()) {
			Map<String, Object> sets = new LinkedHashMap<>();
			policy.addressSets().forEach((name, blocks) -> sets.put(name, texts(blocks)));
			spec.put("addressSets", sets);
		}
		spec.put("groups", policy.groups().stream().map(g -> Map.of("name", g)).toList());
		List<Object> rules = new ArrayList<>();
		for (Rule rule : policy.rules()) {
			Map<String, Object> r = new LinkedHashMap<>();
			r.put("name", rule.name());
			r.put("action", rule.action().wire());
			r.put("direction", rule.direction().wire());
			r.put("appliesTo", rule.appliesToAll() ? List.of("*") : rule.appliesTo());
			r.put("peers", rule.peers().stream().map(PolicyDocument::peer).toList());
			if (!rule.services().isEmpty()) {
				r.put("services", rule.services().stream().map(PolicyDocument::service).toList());
			}
			if (rule.log()) {
				r.put("log", true);
			}
			rules.add(r);
		}
		spec.put("rules", rules);
		Map<String, Object> metadata = new LinkedHashMap<>();
		metadata.put("name", policy.name());
		metadata.put("description", policy.description());
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("apiVersion", "polyfence.dev/v1");
		document.put("kind", "NetworkPolicy");
		document.put("metadata", metadata);
		document.put("spec", spec);
		return document;
	}

	private static Object peer(Peer peer) {
		if (peer instanceof Peer.Cidr c) {
			return Map.of("cidr", c.block().toCanonicalString());
		}
		if (peer instanceof Peer.Group g) {
			return Map.of("group", g.name());
		}
		if (peer instanceof Peer.AddressSet s) {
			return Map.of("addressSet", s.name());
		}
		return Map.of("any", true);
	}

	private static Object service(Service service) {
		Map<String, Object> s = new LinkedHashMap<>();
		int number = service.protocol().number();
		s.put("protocol", service.protocol().isAny() || number == 6 || number == 17 || number == 1 || number == 58
				? service.protocol().wire() : (Object) number);
		if (!service.ports().isEmpty()) {
			s.put("ports", service.ports().stream().map(PortRange::toString).toList());
		}
		if (service.icmpType() != null) {
			s.put("icmpType", service.icmpType());
		}
		if (service.icmpCode() != null) {
			s.put("icmpCode", service.icmpCode());
		}
		return s;
	}

	private static Map<String, Object> bindings(Bindings bindings) {
		Map<String, Object> out = new LinkedHashMap<>();
		if (bindings.aws() != null) {
			out.put("aws", aws(bindings));
		}
		if (bindings.azure() != null) {
			out.put("azure", azure(bindings));
		}
		if (bindings.gcp() != null) {
			out.put("gcp", gcp(bindings));
		}
		return out;
	}

	private static Map<String, Object> aws(Bindings bindings) {
		Map<String, Object> aws = new LinkedHashMap<>();
		aws.put("region", bindings.aws().region());
		aws.put("vpcId", bindings.aws().vpcId());
		aws.put("ephemeralPorts", bindings.aws().ephemeralPorts().toString());
		if (bindings.aws().securityGroupRuleQuota() != null) {
			aws.put("securityGroupRuleQuota", bindings.aws().securityGroupRuleQuota());
		}
		if (bindings.aws().networkAclEntryQuota() != null) {
			aws.put("networkAclEntryQuota", bindings.aws().networkAclEntryQuota());
		}
		Map<String, Object> awsGroups = new LinkedHashMap<>();
		bindings.aws().groups().forEach((g, b) -> {
			Map<String, Object> group = new LinkedHashMap<>();
			if (b.securityGroupName() != null) {
				group.put("securityGroupName", b.securityGroupName());
			}
			if (!b.subnetIds().isEmpty()) {
				group.put("subnetIds", b.subnetIds());
			}
			group.put("cidrs", texts(b.cidrs()));
			awsGroups.put(g, group);
		});
		aws.put("groups", awsGroups);
		return aws;
	}

	private static Map<String, Object> azure(Bindings bindings) {
		Map<String, Object> azure = new LinkedHashMap<>();
		azure.put("subscriptionId", bindings.azure().subscriptionId());
		azure.put("resourceGroup", bindings.azure().resourceGroup());
		azure.put("location", bindings.azure().location());
		azure.put("priorityBase", bindings.azure().priorityBase());
		Map<String, Object> azureGroups = new LinkedHashMap<>();
		bindings.azure().groups().forEach((g, b) -> {
			Map<String, Object> group = new LinkedHashMap<>();
			if (b.networkSecurityGroupName() != null) {
				group.put("networkSecurityGroupName", b.networkSecurityGroupName());
			}
			if (b.applicationSecurityGroupName() != null) {
				group.put("applicationSecurityGroupName", b.applicationSecurityGroupName());
			}
			group.put("cidrs", texts(b.cidrs()));
			azureGroups.put(g, group);
		});
		azure.put("groups", azureGroups);
		return azure;
	}

	private static Map<String, Object> gcp(Bindings bindings) {
		Map<String, Object> gcp = new LinkedHashMap<>();
		gcp.put("project", bindings.gcp().project());
		gcp.put("network", bindings.gcp().network());
		gcp.put("priorityBase", bindings.gcp().priorityBase());
		Map<String, Object> gcpGroups = new LinkedHashMap<>();
		bindings.gcp().groups().forEach((g, b) -> {
			Map<String, Object> group = new LinkedHashMap<>();
			if (!b.targetTags().isEmpty()) {
				group.put("targetTags", b.targetTags());
			}
			if (b.serviceAccount() != null) {
				group.put("serviceAccount", b.serviceAccount());
			}
			group.put("cidrs", texts(b.cidrs()));
			gcpGroups.put(g, group);
		});
		gcp.put("groups", gcpGroups);
		return gcp;
	}

	private static List<String> texts(List<IPAddress> blocks) {
		return blocks.stream().map(IPAddress::toCanonicalString).toList();
	}

}
