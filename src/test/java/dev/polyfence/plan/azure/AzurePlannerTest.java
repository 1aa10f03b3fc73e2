package dev.polyfence.plan.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.DocumentParser;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.Severity;
import dev.polyfence.translate.azure.AzureOutput;
import dev.polyfence.translate.azure.AzureTranslator;
import dev.polyfence.translate.azure.SecurityRule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AzurePlannerTest {

	private final DocumentParser parser = new DocumentParser();

	private final AzurePlanner planner = new AzurePlanner();

	private Policy policy;

	private Bindings bindings;

	/** NSGs by name, as a resource group holds them. */
	private final Map<String, AzureLiveState.LiveNsg> nsgs = new LinkedHashMap<>();

	@BeforeEach
	void setUp() throws IOException {
		policy = parser.parsePolicy(resource("/policies/three-tier.yaml"));
		bindings = parser.parseBindings(resource("/policies/three-tier-bindings.yaml"));
	}

	@Test
	void anEmptyResourceGroupGetsOnePutPerNsgAndThePlanAfterIsEmpty() {
		AzurePlan plan = plan(policy);

		assertThat(plan.findings()).noneMatch(f -> f.severity() == Severity.ERROR);
		assertThat(plan.operations()).hasSize(3).allMatch(c -> c instanceof AzureChange.PutNetworkSecurityGroup);
		assertThat(plan.rows()).filteredOn(r -> r.resourceType().equals("network-security-group")).hasSize(3);
		apply(plan);
		assertThat(plan(policy).operations()).isEmpty();
	}

	@Test
	void driftIsRepairedByOnePutOfTheWholeList() {
		apply(plan(policy));
		AzureLiveState.LiveNsg web = nsgs.get("shop-web");
		List<SecurityRule> drifted = new ArrayList<>(web.rules());
		SecurityRule first = drifted.get(0);
		SecurityRule.Properties p = first.properties();
		drifted.set(0,
				new SecurityRule(first.name(),
						new SecurityRule.Properties(p.description(), p.priority() + 1, p.direction(), p.access(),
								p.protocol(), p.sourceAddressPrefix(), p.sourceAddressPrefixes(),
								p.sourceApplicationSecurityGroups(), p.sourcePortRange(), p.destinationAddressPrefix(),
								p.destinationAddressPrefixes(), p.destinationApplicationSecurityGroups(),
								p.destinationPortRange(), p.destinationPortRanges())));
		drifted.add(new SecurityRule("added-by-hand", new SecurityRule.Properties(null, 3000, "Inbound", "Allow", "Tcp",
				"*", null, null, "*", "*", null, null, "22", null)));
		nsgs.put("shop-web", new AzureLiveState.LiveNsg(web.id(), web.name(), web.location(), web.tags(), drifted));

		AzurePlan repair = plan(policy);

		assertThat(repair.operations()).singleElement();
		assertThat(repair.rows()).extracting(r -> r.action() + " " + r.resource())
			.containsExactlyInAnyOrder("update shop-web: " + first.name(), "delete shop-web: added-by-hand");
		apply(repair);
		assertThat(plan(policy).operations()).isEmpty();
	}

	@Test
	void anNsgNameHeldByAnUnmanagedNsgIsAnErrorAndItIsLeftAlone() {
		nsgs.put("shop-db", new AzureLiveState.LiveNsg("/nsg/shop-db", "shop-db", "germanywestcentral",
				Map.of("team", "data"), List.of()));
		nsgs.put("legacy",
				new AzureLiveState.LiveNsg("/nsg/legacy", "legacy", "germanywestcentral", Map.of(), List.of()));

		AzurePlan plan = plan(policy);

		assertThat(plan.findings()).anyMatch(f -> f.code().equals("NAME_TAKEN") && f.message().contains("shop-db"));
		assertThat(plan.operations())
			.noneMatch(c -> ((AzureChange.PutNetworkSecurityGroup) c).name().equals("shop-db"));
		assertThat(plan.foreign()).extracting(f -> f.name()).containsExactlyInAnyOrder("shop-db", "legacy");
	}

	@Test
	void theFingerprintFollowsManagedNsgsOnly() {
		String before = plan(policy).fingerprint();
		nsgs.put("legacy", new AzureLiveState.LiveNsg("/nsg/legacy", "legacy", "x", Map.of(), List.of()));
		assertThat(plan(policy).fingerprint()).isEqualTo(before);
		apply(plan(policy));
		assertThat(plan(policy).fingerprint()).isNotEqualTo(before);
	}

	private AzurePlan plan(Policy p) {
		AzureOutput desired = new AzureTranslator().translate(p, bindings).output();
		return planner.plan(p, desired, new AzureLiveState("sub", "shop-rg", List.copyOf(nsgs.values())));
	}

	private void apply(AzurePlan plan) {
		for (AzureChange change : plan.operations()) {
			AzureChange.PutNetworkSecurityGroup put = (AzureChange.PutNetworkSecurityGroup) change;
			nsgs.put(put.name(), new AzureLiveState.LiveNsg("/nsg/" + put.name(), put.name(), put.location(),
					put.tags(), put.rules()));
		}
	}

	private static String resource(String path) throws IOException {
		try (InputStream in = AzurePlannerTest.class.getResourceAsStream(path)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
