package dev.polyfence.testing.arm;

import static dev.polyfence.testing.arm.ArmHttp.API;
import static dev.polyfence.testing.arm.ArmHttp.JSON;
import static dev.polyfence.testing.arm.ArmHttp.nsgPath;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.json.JsonWriter;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.network.fluent.models.NetworkSecurityGroupInner;
import com.azure.resourcemanager.network.models.NetworkSecurityRule;
import dev.polyfence.policy.Bindings;
import dev.polyfence.testing.arm.ArmHttp.Reply;
import dev.polyfence.translate.Examples;
import dev.polyfence.translate.Translation;
import dev.polyfence.translate.azure.AzureOutput;
import dev.polyfence.translate.azure.AzureTranslator;
import dev.polyfence.translate.azure.NetworkSecurityGroup;
import dev.polyfence.translate.azure.SecurityRule;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@link AzureTranslator} emits for the spec example (three tiers) is what ARM
 * takes: the fake accepts every NSG as a raw PUT and reads it back unchanged, the SDK
 * reads the same values, and every rule field is one the ARM swagger defines.
 */
class TranslatorOutputOnArmFakeTest {

	/**
	 * Writable fields of {@code SecurityRulePropertiesFormat} in the ARM swagger
	 * (specification/network/resource-manager/Microsoft.Network/stable/2024-05-01/networkSecurityGroup.json);
	 * {@code provisioningState} is read-only.
	 */
	static final Set<String> SWAGGER_RULE_FIELDS = Set.of("description", "protocol", "sourcePortRange",
			"destinationPortRange", "sourceAddressPrefix", "sourceAddressPrefixes", "sourceApplicationSecurityGroups",
			"destinationAddressPrefix", "destinationAddressPrefixes", "destinationApplicationSecurityGroups",
			"sourcePortRanges", "destinationPortRanges", "access", "priority", "direction");

	/** Required by the same definition. */
	static final Set<String> SWAGGER_RULE_REQUIRED = Set.of("protocol", "access", "priority", "direction");

	static ArmNsgFake fake;

	static ArmHttp http;

	static NetworkManager network;

	static Bindings.Azure bindings = Examples.threeTierBindings().azure();

	@BeforeAll
	static void start() {
		fake = ArmNsgFake.start();
		http = new ArmHttp(fake);
		network = ArmSdk.networkManager(fake);
	}

	@AfterAll
	static void stop() {
		fake.close();
	}

	@BeforeEach
	void reset() {
		fake.reset();
	}

	static List<NetworkSecurityGroup> translated() {
		Translation<AzureOutput> t = new AzureTranslator().translate(Examples.threeTier(),
				Examples.threeTierBindings());
		assertThat(t.hasErrors()).as(t.findings().toString()).isFalse();
		assertThat(bindings.subscriptionId()).isEqualTo(ArmSdk.SUBSCRIPTION);
		return t.output().networkSecurityGroups();
	}

	static Reply put(NetworkSecurityGroup nsg) {
		return http.put(nsgPath(bindings.resourceGroup(), nsg.name()) + "?" + API, JSON.writeValueAsString(nsg));
	}

	/**
	 * A rule's properties as ARM answers them, less what ARM adds: provisioningState and
	 * unused [] lists.
	 */
	static JsonNode asSent(JsonNode answered) {
		ObjectNode p = (ObjectNode) answered.deepCopy();
		p.remove("provisioningState");
		List<String> empty = new ArrayList<>();
		p.properties().forEach(e -> {
			if (e.getValue().isArray() && e.getValue().isEmpty()) {
				empty.add(e.getKey());
			}
		});
		p.remove(empty);
		return p;
	}

	@Test
	void everyNsgOfTheSpecExampleIsAcceptedAndReadBackEqual() {
		List<NetworkSecurityGroup> nsgs = translated();
		assertThat(nsgs).hasSize(3);
		for (NetworkSecurityGroup nsg : nsgs) {
			Reply created = put(nsg);
			assertThat(created.status()).as(nsg.name() + ": " + created.body()).isEqualTo(201);

			JsonNode read = http.get(nsgPath(bindings.resourceGroup(), nsg.name()) + "?" + API).body();
			assertThat(read.get("location").asString()).isEqualTo(nsg.location());
			JsonNode rules = read.at("/properties/securityRules");
			assertThat(rules).hasSize(nsg.properties().securityRules().size());
			for (int i = 0; i < rules.size(); i++) {
				SecurityRule sent = nsg.properties().securityRules().get(i);
				assertThat(rules.get(i).get("name").asString()).isEqualTo(sent.name());
				assertThat(asSent(rules.get(i).get("properties"))).as(sent.name())
					.isEqualTo(JSON.valueToTree(sent.properties()));
			}
		}
		assertThat(fake.nsgNames(ArmSdk.SUBSCRIPTION, bindings.resourceGroup())).containsExactly("payments-web",
				"payments-app", "payments-db");
	}

	@Test
	void theSdkReadsTheTranslatedRulesBackWithTheSameValues() {
		for (NetworkSecurityGroup nsg : translated()) {
			put(nsg);
			com.azure.resourcemanager.network.models.NetworkSecurityGroup read = network.networkSecurityGroups()
				.getByResourceGroup(bindings.resourceGroup(), nsg.name());
			assertThat(read.securityRules()).hasSameSizeAs(nsg.properties().securityRules());
			for (SecurityRule sent : nsg.properties().securityRules()) {
				NetworkSecurityRule got = read.securityRules().get(sent.name());
				SecurityRule.Properties p = sent.properties();
				assertThat(got.priority()).isEqualTo(p.priority());
				assertThat(got.direction().toString()).isEqualTo(p.direction());
				assertThat(got.access().toString()).isEqualTo(p.access());
				assertThat(got.protocol().toString()).isEqualTo(p.protocol());
				assertThat(got.description()).isEqualTo(p.description());
				assertThat(got.sourceAddressPrefix()).isEqualTo(p.sourceAddressPrefix());
				assertThat(got.destinationAddressPrefix()).isEqualTo(p.destinationAddressPrefix());
				assertThat(got.sourceAddressPrefixes())
					.isEqualTo(p.sourceAddressPrefixes() == null ? List.of() : p.sourceAddressPrefixes());
				assertThat(got.destinationAddressPrefixes())
					.isEqualTo(p.destinationAddressPrefixes() == null ? List.of() : p.destinationAddressPrefixes());
				assertThat(got.destinationPortRange()).isEqualTo(p.destinationPortRange());
				assertThat(got.destinationPortRanges())
					.isEqualTo(p.destinationPortRanges() == null ? List.of() : p.destinationPortRanges());
				assertThat(got.sourceApplicationSecurityGroupIds())
					.isEqualTo(asgIds(p.sourceApplicationSecurityGroups()));
				assertThat(got.destinationApplicationSecurityGroupIds())
					.isEqualTo(asgIds(p.destinationApplicationSecurityGroups()));
			}
		}
	}

	static Set<String> asgIds(List<SecurityRule.ApplicationSecurityGroupRef> refs) {
		Set<String> ids = new HashSet<>();
		if (refs != null) {
			refs.forEach(r -> ids.add(r.id()));
		}
		return ids;
	}

	@Test
	void everyTranslatedRuleFieldIsInTheArmSwagger() {
		for (NetworkSecurityGroup nsg : translated()) {
			for (SecurityRule rule : nsg.properties().securityRules()) {
				Set<String> fields = new HashSet<>(JSON.valueToTree(rule.properties()).propertyNames());
				assertThat(fields).as(rule.name()).isSubsetOf(SWAGGER_RULE_FIELDS).containsAll(SWAGGER_RULE_REQUIRED);
			}
		}
	}

	@Test
	void theSdksSwaggerModelKeepsEveryTranslatedField() throws IOException {
		for (NetworkSecurityGroup nsg : translated()) {
			String sent = JSON.writeValueAsString(nsg);
			NetworkSecurityGroupInner inner;
			try (JsonReader reader = JsonProviders.createReader(sent)) {
				inner = NetworkSecurityGroupInner.fromJson(reader);
			}
			StringWriter out = new StringWriter();
			try (JsonWriter writer = JsonProviders.createWriter(out)) {
				inner.toJson(writer);
			}
			JsonNode roundTrip = JSON.readTree(out.toString());
			assertThat(roundTrip.at("/properties/securityRules")).as(nsg.name())
				.isEqualTo(JSON.valueToTree(nsg).at("/properties/securityRules"));
		}
	}

}
