package dev.polyfence.translate;

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
import java.util.List;
import java.util.Map;

/** Hand-built policies for translator unit tests (the parser is tested on its own). */
public final class Examples {

	private Examples() {
	}

	public static IPAddress ip(String cidr) {
		return new IPAddressString(cidr).getAddress();
	}

	/** The spec's example: web, app, db; a blocked scanner range; partners into db. */
	public static Policy threeTier() {
		return new Policy("payments", "Three-tier payments service", Defaults.STANDARD,
				Map.of("partners", List.of(ip("198.51.100.0/24"), ip("2001:db8:1::/48"))), List.of("web", "app", "db"),
				List.of(new Rule("block-scanners", Action.DENY, Direction.INGRESS, List.of(),
						List.of(new Peer.Cidr(ip("203.0.113.0/24"))), List.of(), false),
						new Rule("https-from-internet", Action.ALLOW, Direction.INGRESS, List.of("web"),
								List.of(Peer.ANY), List.of(Service.of(Protocol.TCP, PortRange.of(443))), false),
						new Rule("web-to-app", Action.ALLOW, Direction.INGRESS, List.of("app"),
								List.of(new Peer.Group("web")),
								List.of(Service.of(Protocol.TCP, new PortRange(8080, 8081))), false),
						new Rule("partners-to-db", Action.ALLOW, Direction.INGRESS, List.of("db"),
								List.of(new Peer.AddressSet("partners"), new Peer.Group("app")),
								List.of(Service.of(Protocol.TCP, PortRange.of(5432)),
										Service.icmp(Protocol.ICMP, 8, null)),
								true)));
	}

	public static Bindings threeTierBindings() {
		return new Bindings(new Bindings.Aws("eu-west-1", "vpc-0a1b2c3d", null, null, null,
				Map.of("web", new Bindings.AwsGroup("payments-web", List.of("subnet-1"), List.of(ip("10.0.1.0/24"))),
						"app", new Bindings.AwsGroup(null, List.of("subnet-2"), List.of(ip("10.0.2.0/24"))), "db",
						new Bindings.AwsGroup(null, List.of("subnet-3"), List.of(ip("10.0.3.0/24"))))),
				new Bindings.Azure("00000000-0000-0000-0000-000000000000", "payments-rg", "westeurope", 100,
						Map.of("web",
								new Bindings.AzureGroup("payments-web", "payments-web-asg", List.of(ip("10.1.1.0/24"))),
								"app", new Bindings.AzureGroup(null, "payments-app-asg", List.of(ip("10.1.2.0/24"))),
								"db", new Bindings.AzureGroup(null, null, List.of(ip("10.1.3.0/24"))))),
				new Bindings.Gcp("payments-prod", "prod-vpc", 1000,
						Map.of("web", new Bindings.GcpGroup(List.of("web"), null, List.of(ip("10.2.1.0/24"))), "app",
								new Bindings.GcpGroup(List.of("app"), null, List.of(ip("10.2.2.0/24"))), "db",
								new Bindings.GcpGroup(List.of(), "db@payments-prod.iam.gserviceaccount.com",
										List.of(ip("10.2.3.0/24"))))));
	}

}
