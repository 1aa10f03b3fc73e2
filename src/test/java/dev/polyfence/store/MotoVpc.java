package dev.polyfence.store;

import dev.polyfence.cloud.aws.Ec2ClientSettings;
import dev.polyfence.cloud.aws.Ec2Clients;
import dev.polyfence.testing.moto.MotoServer;
import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * A VPC with three subnets in moto, and a plan request for it, for tests that run whole
 * replicas.
 */
record MotoVpc(String vpcId, List<String> subnets) {

	static final String POLICY = """
			apiVersion: polyfence.dev/v1
			kind: NetworkPolicy
			metadata: {name: shop}
			spec:
			  defaults: {ingress: deny, egress: allow}
			  groups: [{name: web}, {name: app}, {name: db}]
			  rules:
			    - {name: https, action: allow, direction: ingress, appliesTo: [web], peers: [{any: true}],
			       services: [{protocol: tcp, ports: ["443"]}]}
			    - {name: web-to-app, action: allow, direction: ingress, appliesTo: [app], peers: [{group: web}],
			       services: [{protocol: tcp, ports: ["8080"]}]}
			    - {name: app-to-db, action: allow, direction: ingress, appliesTo: [db], peers: [{group: app}],
			       services: [{protocol: tcp, ports: ["5432"]}]}
			""";

	static MotoVpc create() {
		try (Ec2Client ec2 = Ec2Clients.create(
				Ec2ClientSettings.forRegion(MotoServer.REGION).withEndpointOverride(MotoServer.shared().endpoint()))) {
			String vpc = ec2.createVpc(v -> v.cidrBlock("10.0.0.0/16")).vpc().vpcId();
			List<String> subnets = List.of("10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24")
				.stream()
				.map(cidr -> ec2.createSubnet(s -> s.vpcId(vpc).cidrBlock(cidr)).subnet().subnetId())
				.toList();
			return new MotoVpc(vpc, subnets);
		}
	}

	/**
	 * The plan request, as YAML; {@code extraRule} (YAML flow mapping) is added when not
	 * null.
	 */
	String request(String extraRule) {
		String policy = extraRule == null ? POLICY : POLICY + "    - " + extraRule + "\n";
		return "policy:\n" + indent(policy) + """
				bindings:
				  aws:
				    region: %s
				    vpcId: %s
				    groups:
				      web: {subnetIds: [%s], cidrs: [10.0.1.0/24]}
				      app: {subnetIds: [%s], cidrs: [10.0.2.0/24]}
				      db: {subnetIds: [%s], cidrs: [10.0.3.0/24]}
				targets: [aws]
				""".formatted(MotoServer.REGION, vpcId, subnets.get(0), subnets.get(1), subnets.get(2));
	}

	/** The settings that point a replica's AWS adapter at moto. */
	static String awsEndpoint() {
		return "polyfence.aws.endpoint=" + MotoServer.shared().endpoint();
	}

	private static String indent(String yaml) {
		return yaml.lines().map(l -> "  " + l + "\n").reduce("", String::concat);
	}
}
