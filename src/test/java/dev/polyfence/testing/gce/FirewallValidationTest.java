package dev.polyfence.testing.gce;

import static dev.polyfence.testing.gce.GceClients.allowTcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.api.gax.rpc.InvalidArgumentException;
import com.google.cloud.compute.v1.Allowed;
import com.google.cloud.compute.v1.Denied;
import com.google.cloud.compute.v1.Firewall;
import com.google.cloud.compute.v1.FirewallLogConfig;
import com.google.cloud.compute.v1.Operation;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Each check the fake makes before it accepts a firewall, through the real client: a 400
 * that the client raises as InvalidArgumentException, with the Compute error shape, and
 * nothing stored.
 */
class FirewallValidationTest extends ComputeFakeTest {

	@Test
	void nameMustMatchThePattern() {
		for (String bad : new String[] { "Web", "1web", "web-", "web_https", "-web" }) {
			refused(allowTcp(bad, "10.0.0.0/8", "22"), "invalid", "resource.name");
		}
	}

	@Test
	void nameOf63CharactersIsAcceptedAnd64Refused() throws Exception {
		String name63 = "a" + "b".repeat(62);
		assertThat(insert(allowTcp(name63, "10.0.0.0/8", "22")).getStatus()).isEqualTo(Operation.Status.DONE);
		refused(allowTcp(name63 + "c", "10.0.0.0/8", "22"), "invalid", "resource.name");
	}

	@Test
	void nameIsRequired() {
		refused(allowTcp("x", "10.0.0.0/8", "22").clearName(), "required", "resource.name");
	}

	@Test
	void priorityMustBeBetween0And65535() throws Exception {
		refused(allowTcp("p-high", "10.0.0.0/8", "22").setPriority(65536), "invalid", "resource.priority");
		refused(allowTcp("p-low", "10.0.0.0/8", "22").setPriority(-1), "invalid", "resource.priority");
		insert(allowTcp("p-zero", "10.0.0.0/8", "22").setPriority(0));
		insert(allowTcp("p-max", "10.0.0.0/8", "22").setPriority(65535));
		assertThat(client.get(PROJECT, "p-zero").getPriority()).isZero();
		assertThat(client.get(PROJECT, "p-max").getPriority()).isEqualTo(65535);
	}

	@Test
	void allowedAndDeniedTogetherAreRefused() {
		refused(allowTcp("both", "10.0.0.0/8", "22").addDenied(Denied.newBuilder().setIPProtocol("udp")), "badRequest",
				"Exactly one of 'allowed' or 'denied'");
	}

	@Test
	void neitherAllowedNorDeniedIsRefused() {
		refused(Firewall.newBuilder().setName("none").addSourceRanges("10.0.0.0/8"), "badRequest",
				"Exactly one of 'allowed' or 'denied'");
	}

	@Test
	void sourceTagsOnEgressAreRefused() {
		refused(Firewall.newBuilder()
			.setName("egress-tags")
			.setDirection("EGRESS")
			.addSourceTags("web")
			.addDestinationRanges("10.0.0.0/8")
			.addAllowed(Allowed.newBuilder().setIPProtocol("tcp")), "badRequest", "egress direction");
	}

	@Test
	void sourceServiceAccountsWithSourceTagsAreRefused() {
		refused(allowTcp("sa-tags", "10.0.0.0/8", "22").addSourceServiceAccounts("a@p.iam.gserviceaccount.com")
			.addSourceTags("web"), "badRequest", "sourceServiceAccounts");
	}

	@Test
	void sourceServiceAccountsWithTargetTagsAreRefused() {
		refused(allowTcp("sa-ttags", "10.0.0.0/8", "22").addSourceServiceAccounts("a@p.iam.gserviceaccount.com")
			.addTargetTags("db"), "badRequest", "sourceServiceAccounts");
	}

	@Test
	void targetServiceAccountsWithTargetTagsAreRefused() {
		refused(allowTcp("tsa-ttags", "10.0.0.0/8", "22").addTargetServiceAccounts("a@p.iam.gserviceaccount.com")
			.addTargetTags("db"), "badRequest", "targetServiceAccounts");
	}

	@Test
	void targetServiceAccountsWithSourceTagsAreRefused() {
		refused(allowTcp("tsa-stags", "10.0.0.0/8", "22").addTargetServiceAccounts("a@p.iam.gserviceaccount.com")
			.addSourceTags("web"), "badRequest", "targetServiceAccounts");
	}

	@Test
	void serviceAccountsOnBothEndsAreAccepted() throws Exception {
		insert(Firewall.newBuilder()
			.setName("sa-both")
			.addSourceServiceAccounts("a@p.iam.gserviceaccount.com")
			.addTargetServiceAccounts("b@p.iam.gserviceaccount.com")
			.addAllowed(Allowed.newBuilder().setIPProtocol("tcp")));
		assertThat(fake.firewallNames(PROJECT)).containsExactly("sa-both");
	}

	@Test
	void ipv4AndIpv6RangesInOneRuleAreRefused() {
		refused(allowTcp("mixed", "10.0.0.0/8", "22").addSourceRanges("2001:db8::/32"), "badRequest", "IPv4 and IPv6");
	}

	@Test
	void ipv6RangesAloneAreAccepted() throws Exception {
		insert(allowTcp("v6", "2001:db8::/32", "22"));
		assertThat(client.get(PROJECT, "v6").getSourceRangesList()).containsExactly("2001:db8::/32");
	}

	@Test
	void aRangeThatIsNotACidrIsRefused() {
		refused(allowTcp("bad-cidr", "10.0.0.0/33", "22"), "invalid", "resource.sourceRanges");
	}

	@Test
	void ingressNeedsASource() {
		refused(Firewall.newBuilder()
			.setName("no-source")
			.addTargetTags("web")
			.addAllowed(Allowed.newBuilder().setIPProtocol("tcp")), "badRequest", "INGRESS");
	}

	@Test
	void egressNeedsNoSource() throws Exception {
		insert(Firewall.newBuilder()
			.setName("egress-any")
			.setDirection("EGRESS")
			.addDestinationRanges("0.0.0.0/0")
			.addDenied(Denied.newBuilder().setIPProtocol("all")));
		assertThat(client.get(PROJECT, "egress-any").getDirection()).isEqualTo("EGRESS");
	}

	@Test
	void portsOnlyForTcpUdpAndSctp() throws Exception {
		refused(Firewall.newBuilder()
			.setName("icmp-ports")
			.addSourceRanges("10.0.0.0/8")
			.addAllowed(Allowed.newBuilder().setIPProtocol("icmp").addPorts("8")), "invalid", "ports");
		insert(Firewall.newBuilder()
			.setName("sctp-ports")
			.addSourceRanges("10.0.0.0/8")
			.addAllowed(Allowed.newBuilder().setIPProtocol("sctp").addPorts("9000-9010")));
	}

	@Test
	void portsMustBeNumbersOrRangesUpTo65535() {
		refused(allowTcp("port-high", "10.0.0.0/8", "65536"), "invalid", "ports");
		refused(allowTcp("port-backwards", "10.0.0.0/8", "90-80"), "invalid", "ports");
		refused(allowTcp("port-text", "10.0.0.0/8", "http"), "invalid", "ports");
	}

	@Test
	void anUnknownProtocolIsRefused() {
		refused(Firewall.newBuilder()
			.setName("gre-typo")
			.addSourceRanges("10.0.0.0/8")
			.addAllowed(Allowed.newBuilder().setIPProtocol("tcpp")), "invalid", "IPProtocol");
	}

	@Test
	void directionMustBeIngressOrEgress() {
		refused(allowTcp("sideways", "10.0.0.0/8", "22").setDirection("SIDEWAYS"), "invalid", "resource.direction");
	}

	@Test
	void atMostTenServiceAccountsPerSide() {
		Firewall.Builder b = allowTcp("many-sa", "10.0.0.0/8", "22").clearSourceRanges();
		for (int i = 0; i < 11; i++) {
			b.addSourceServiceAccounts("sa" + i + "@p.iam.gserviceaccount.com");
		}
		refused(b, "invalid", "resource.sourceServiceAccounts");
	}

	@Test
	void logMetadataOnlyWithLoggingEnabled() throws Exception {
		refused(allowTcp("log-off-meta", "10.0.0.0/8", "22").setLogConfig(
				FirewallLogConfig.newBuilder().setMetadata("INCLUDE_ALL_METADATA")), "invalid", "logConfig.metadata");
		refused(allowTcp("log-bad-meta", "10.0.0.0/8", "22")
			.setLogConfig(FirewallLogConfig.newBuilder().setEnable(true).setMetadata("SOME_METADATA")), "invalid",
				"logConfig.metadata");
		insert(allowTcp("log-on-meta", "10.0.0.0/8", "22")
			.setLogConfig(FirewallLogConfig.newBuilder().setEnable(true).setMetadata("EXCLUDE_ALL_METADATA")));
		assertThat(client.get(PROJECT, "log-on-meta").getLogConfig().getMetadata()).isEqualTo("EXCLUDE_ALL_METADATA");
	}

	@Test
	void patchResultIsCheckedAsAWhole() {
		fake.seed(PROJECT, FirewallsClientTest.json(allowTcp("ssh", "10.0.0.0/8", "22").build()));

		ExecutionException thrown = assertThrows(ExecutionException.class,
				() -> client
					.patchAsync(PROJECT, "ssh", Firewall.newBuilder().addDestinationRanges("2001:db8::/32").build())
					.get());

		// the patch alone is valid; merged into the IPv4 rule it mixes families
		assertThat(thrown.getCause()).isInstanceOf(InvalidArgumentException.class);
		assertThat(GceClients.errorBody(thrown).get("error").get("message").asString()).contains("IPv4 and IPv6");
		assertThat(fake.firewall(PROJECT, "ssh").orElseThrow().has("destinationRanges")).isFalse();
	}

	private static Operation insert(Firewall.Builder firewall) throws Exception {
		return client.insertAsync(PROJECT, firewall.build()).get();
	}

	private static void refused(Firewall.Builder firewall, String reason, String messagePart) {
		ExecutionException thrown = assertThrows(ExecutionException.class,
				() -> client.insertAsync(PROJECT, firewall.build()).get(), firewall.getName());
		assertThat(thrown.getCause()).as(firewall.getName()).isInstanceOf(InvalidArgumentException.class);
		JsonNode error = GceClients.errorBody(thrown).get("error");
		assertThat(error.get("code").asInt()).isEqualTo(400);
		JsonNode item = error.get("errors").get(0);
		assertThat(item.get("reason").asString()).as(firewall.getName()).isEqualTo(reason);
		assertThat(item.get("domain").asString()).isEqualTo("global");
		assertThat(error.get("message").asString()).as(firewall.getName()).contains(messagePart);
		assertThat(fake.firewallNames(PROJECT)).as("nothing stored").doesNotContain(firewall.getName());
	}

}
