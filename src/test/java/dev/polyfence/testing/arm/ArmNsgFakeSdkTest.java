package dev.polyfence.testing.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.management.Region;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.network.models.NetworkSecurityGroup;
import com.azure.resourcemanager.network.models.NetworkSecurityRule;
import com.azure.resourcemanager.network.models.SecurityRuleAccess;
import com.azure.resourcemanager.network.models.SecurityRuleDirection;
import com.azure.resourcemanager.network.models.SecurityRuleProtocol;
import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.network.fluent.SecurityRulesClient;
import com.azure.resourcemanager.network.fluent.models.SecurityRuleInner;
import java.util.HashSet;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real Azure SDK's fluent NSG API against the fake. */
class ArmNsgFakeSdkTest {

	static final String RG = "rg-polyfence";

	static ArmNsgFake fake;

	static NetworkManager network;

	@BeforeAll
	static void start() {
		fake = ArmNsgFake.start();
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

	static NetworkSecurityGroup createWeb() {
		return network.networkSecurityGroups()
			.define("web")
			.withRegion(Region.EUROPE_WEST)
			.withExistingResourceGroup(RG)
			.defineRule("allow-https")
			.allowInbound()
			.fromAddress("10.0.0.0/24")
			.fromAnyPort()
			.toAnyAddress()
			.toPort(443)
			.withProtocol(SecurityRuleProtocol.TCP)
			.withPriority(110)
			.attach()
			.defineRule("deny-scanners")
			.denyInbound()
			.fromAddresses("203.0.113.0/24", "198.51.100.0/24")
			.fromAnyPort()
			.toAnyAddress()
			.toAnyPort()
			.withAnyProtocol()
			.withPriority(100)
			.attach()
			.create();
	}

	@Test
	void createsAnNsgWithRules() {
		NetworkSecurityGroup nsg = createWeb();

		assertThat(nsg.name()).isEqualTo("web");
		assertThat(nsg.regionName()).isEqualTo("westeurope");
		assertThat(nsg.securityRules()).containsOnlyKeys("allow-https", "deny-scanners");
		assertThat(fake.nsgNames(ArmSdk.SUBSCRIPTION, RG)).containsExactly("web");
	}

	@Test
	void readsRulesAndTheSixDefaultRulesBack() {
		createWeb();

		NetworkSecurityGroup nsg = network.networkSecurityGroups().getByResourceGroup(RG, "web");

		NetworkSecurityRule https = nsg.securityRules().get("allow-https");
		assertThat(https.direction()).isEqualTo(SecurityRuleDirection.INBOUND);
		assertThat(https.access()).isEqualTo(SecurityRuleAccess.ALLOW);
		assertThat(https.protocol()).isEqualTo(SecurityRuleProtocol.TCP);
		assertThat(https.sourceAddressPrefix()).isEqualTo("10.0.0.0/24");
		assertThat(https.destinationAddressPrefix()).isEqualTo("*");
		assertThat(https.destinationPortRange()).isEqualTo("443");
		assertThat(https.priority()).isEqualTo(110);
		NetworkSecurityRule scanners = nsg.securityRules().get("deny-scanners");
		assertThat(scanners.sourceAddressPrefixes()).containsExactly("203.0.113.0/24", "198.51.100.0/24");
		assertThat(scanners.access()).isEqualTo(SecurityRuleAccess.DENY);
		assertThat(scanners.protocol()).isEqualTo(SecurityRuleProtocol.ASTERISK);

		Map<String, String> defaults = nsg.defaultSecurityRules()
			.values()
			.stream()
			.collect(Collectors.toMap(NetworkSecurityRule::name, r -> r.direction() + " " + r.priority() + " "
					+ r.access() + " " + r.sourceAddressPrefix() + " -> " + r.destinationAddressPrefix()));
		assertThat(defaults).containsOnly(
				Map.entry("AllowVnetInBound", "Inbound 65000 Allow VirtualNetwork -> VirtualNetwork"),
				Map.entry("AllowAzureLoadBalancerInBound", "Inbound 65001 Allow AzureLoadBalancer -> *"),
				Map.entry("DenyAllInBound", "Inbound 65500 Deny * -> *"),
				Map.entry("AllowVnetOutBound", "Outbound 65000 Allow VirtualNetwork -> VirtualNetwork"),
				Map.entry("AllowInternetOutBound", "Outbound 65001 Allow * -> Internet"),
				Map.entry("DenyAllOutBound", "Outbound 65500 Deny * -> *"));
	}

	@Test
	void updatesAddRemoveAndReprioritiseRules() {
		NetworkSecurityGroup nsg = createWeb();

		nsg.update()
			.withoutRule("deny-scanners")
			.updateRule("allow-https")
			.withPriority(120)
			.parent()
			.defineRule("allow-dns-out")
			.allowOutbound()
			.fromAnyAddress()
			.fromAnyPort()
			.toAddress("10.0.0.53")
			.toPort(53)
			.withProtocol(SecurityRuleProtocol.UDP)
			.withPriority(100)
			.attach()
			.apply();

		NetworkSecurityGroup read = network.networkSecurityGroups().getByResourceGroup(RG, "web");
		assertThat(read.securityRules()).containsOnlyKeys("allow-https", "allow-dns-out");
		assertThat(read.securityRules().get("allow-https").priority()).isEqualTo(120);
		assertThat(read.securityRules().get("allow-dns-out").direction()).isEqualTo(SecurityRuleDirection.OUTBOUND);
		// the fake's own state agrees with what the SDK read
		assertThat(fake.nsg(ArmSdk.SUBSCRIPTION, RG, "web").orElseThrow().at("/properties/securityRules")).hasSize(2);
	}

	@Test
	void listsTheResourceGroupsNsgsAcrossPages() {
		fake.pageSize(2);
		for (String name : List.of("a", "b", "c", "d", "e")) {
			network.networkSecurityGroups()
				.define(name)
				.withRegion(Region.EUROPE_WEST)
				.withExistingResourceGroup(RG)
				.create();
		}
		network.networkSecurityGroups()
			.define("elsewhere")
			.withRegion(Region.EUROPE_WEST)
			.withExistingResourceGroup("other-rg")
			.create();

		List<String> names = network.networkSecurityGroups()
			.listByResourceGroup(RG)
			.stream()
			.map(NetworkSecurityGroup::name)
			.toList();

		assertThat(names).containsExactly("a", "b", "c", "d", "e");
		assertThat(fake.requests()).filteredOn(r -> r.method().equals("GET") && r.query().containsKey("$skipToken"))
			.hasSize(2);
	}

	@Test
	void deletesAnNsg() {
		createWeb();

		network.networkSecurityGroups().deleteByResourceGroup(RG, "web");

		assertThat(fake.nsg(ArmSdk.SUBSCRIPTION, RG, "web")).isEmpty();
		assertThat(network.networkSecurityGroups().listByResourceGroup(RG).stream().count()).isZero();
	}

	@Test
	void getOfAMissingNsgIsResourceNotFound() {
		assertThatThrownBy(() -> network.networkSecurityGroups().getByResourceGroup(RG, "missing"))
			.isInstanceOfSatisfying(ManagementException.class, e -> {
				assertThat(e.getResponse().getStatusCode()).isEqualTo(404);
				assertThat(e.getValue().getCode()).isEqualTo("ResourceNotFound");
			});
	}

	@Test
	void samePriorityAndDirectionIsSecurityRuleConflict() {
		// defineRule without withPriority gives every rule priority 100
		assertThatThrownBy(() -> network.networkSecurityGroups()
			.define("clash")
			.withRegion(Region.EUROPE_WEST)
			.withExistingResourceGroup(RG)
			.defineRule("first")
			.allowInbound()
			.fromAnyAddress()
			.fromAnyPort()
			.toAnyAddress()
			.toPort(80)
			.withProtocol(SecurityRuleProtocol.TCP)
			.attach()
			.defineRule("second")
			.allowInbound()
			.fromAnyAddress()
			.fromAnyPort()
			.toAnyAddress()
			.toPort(81)
			.withProtocol(SecurityRuleProtocol.TCP)
			.attach()
			.create()).isInstanceOfSatisfying(ManagementException.class, e -> {
				assertThat(e.getResponse().getStatusCode()).isEqualTo(400);
				assertThat(e.getValue().getCode()).isEqualTo("SecurityRuleConflict");
				assertThat(e.getValue().getMessage()).isEqualTo(
						"Security rule second conflicts with rule first. Rules cannot have the same Priority and Direction.");
			});
		assertThat(fake.nsg(ArmSdk.SUBSCRIPTION, RG, "clash")).isEmpty();
	}

	@Test
	void samePriorityInOtherDirectionsIsAllowed() {
		NetworkSecurityGroup nsg = network.networkSecurityGroups()
			.define("both-ways")
			.withRegion(Region.EUROPE_WEST)
			.withExistingResourceGroup(RG)
			.defineRule("in")
			.allowInbound()
			.fromAnyAddress()
			.fromAnyPort()
			.toAnyAddress()
			.toPort(80)
			.withProtocol(SecurityRuleProtocol.TCP)
			.withPriority(200)
			.attach()
			.defineRule("out")
			.allowOutbound()
			.fromAnyAddress()
			.fromAnyPort()
			.toAnyAddress()
			.toPort(80)
			.withProtocol(SecurityRuleProtocol.TCP)
			.withPriority(200)
			.attach()
			.create();

		assertThat(nsg.securityRules()).containsOnlyKeys("in", "out");
	}

	@Test
	void theSdkRefusesPrioritiesOutsideTheBandBeforeSending() {
		int before = fake.requestCount();

		assertThatThrownBy(() -> network.networkSecurityGroups()
			.define("low")
			.withRegion(Region.EUROPE_WEST)
			.withExistingResourceGroup(RG)
			.defineRule("r")
			.allowInbound()
			.fromAnyAddress()
			.fromAnyPort()
			.toAnyAddress()
			.toPort(80)
			.withProtocol(SecurityRuleProtocol.TCP)
			.withPriority(99)
			.attach()
			.create()).isInstanceOf(IllegalArgumentException.class);
		assertThat(fake.requestCount()).isEqualTo(before);
	}

	@Test
	void longRunningCreateAndDeleteCompleteThroughPolling() {
		fake.inProgressPolls(1);

		NetworkSecurityGroup nsg = createWeb();
		assertThat(nsg.innerModel().provisioningState().toString()).isEqualTo("Succeeded");
		network.networkSecurityGroups().deleteByResourceGroup(RG, "web");

		assertThat(fake.nsg(ArmSdk.SUBSCRIPTION, RG, "web")).isEmpty();
		List<String> polls = fake.requests()
			.stream()
			.filter(r -> r.path().contains("/operations/"))
			.map(r -> r.method())
			.toList();
		// one InProgress and one Succeeded answer for each of the two operations
		assertThat(polls).hasSize(4);
		// the delete's final result comes from its Location URL, as ARM's protocol has it
		assertThat(fake.requests()).filteredOn(r -> r.path().contains("/operationResults/")).hasSize(1);
	}

	@Test
	void throttlingIsRetriedByTheSdk() {
		fake.failNext(1, 429);

		NetworkSecurityGroup nsg = createWeb();

		assertThat(nsg.securityRules()).hasSize(2);
		assertThat(fake.requests()).filteredOn(r -> r.method().equals("PUT")).hasSize(2);
	}

	@Test
	void serviceUnavailableIsRetriedByTheSdk() {
		createWeb();
		fake.failNext(1, 503);

		assertThat(network.networkSecurityGroups().getByResourceGroup(RG, "web").name()).isEqualTo("web");
		assertThat(fake.requests()).filteredOn(r -> r.method().equals("GET")).hasSize(2);
	}

	@Test
	void childRulesThroughTheSdksSecurityRulesClient() {
		createWeb();
		SecurityRulesClient rules = network.serviceClient().getSecurityRules();

		SecurityRuleInner created = rules.createOrUpdate(RG, "web", "allow-ssh",
				new SecurityRuleInner().withProtocol(SecurityRuleProtocol.TCP)
					.withAccess(SecurityRuleAccess.ALLOW)
					.withDirection(SecurityRuleDirection.INBOUND)
					.withPriority(130)
					.withSourceAddressPrefix("10.9.0.0/16")
					.withSourcePortRange("*")
					.withDestinationAddressPrefix("*")
					.withDestinationPortRange("22"));

		assertThat(created.id()).endsWith("/networkSecurityGroups/web/securityRules/allow-ssh");
		assertThat(created.provisioningState().toString()).isEqualTo("Succeeded");
		assertThat(rules.get(RG, "web", "allow-ssh").destinationPortRange()).isEqualTo("22");
		assertThat(rules.list(RG, "web").stream().map(SecurityRuleInner::name)).containsExactly("allow-https",
				"deny-scanners", "allow-ssh");
		assertThatThrownBy(() -> rules.createOrUpdate(RG, "web", "clash",
				new SecurityRuleInner().withProtocol(SecurityRuleProtocol.TCP)
					.withAccess(SecurityRuleAccess.ALLOW)
					.withDirection(SecurityRuleDirection.INBOUND)
					.withPriority(130)
					.withSourceAddressPrefix("*")
					.withSourcePortRange("*")
					.withDestinationAddressPrefix("*")
					.withDestinationPortRange("23")))
			.isInstanceOfSatisfying(ManagementException.class,
					e -> assertThat(e.getValue().getCode()).isEqualTo("SecurityRuleConflict"));
		rules.delete(RG, "web", "allow-ssh");
		assertThat(network.networkSecurityGroups().getByResourceGroup(RG, "web").securityRules())
			.containsOnlyKeys("allow-https", "deny-scanners");
	}

	@Test
	void theFluentSdkSendsOnlySwaggerRuleFields() {
		createWeb();

		JsonNode body = ArmHttp.JSON
			.readTree(fake.requests().stream().filter(r -> r.method().equals("PUT")).findFirst().orElseThrow().body());

		assertThat(body.at("/properties/securityRules")).hasSize(2);
		for (JsonNode rule : body.at("/properties/securityRules")) {
			Set<String> fields = new HashSet<>(rule.get("properties").propertyNames());
			assertThat(fields).isSubsetOf(TranslatorOutputOnArmFakeTest.SWAGGER_RULE_FIELDS)
				.containsAll(TranslatorOutputOnArmFakeTest.SWAGGER_RULE_REQUIRED);
		}
	}

	@Test
	void tagsArePatchedThroughUpdateTags() {
		createWeb();

		network.serviceClient()
			.getNetworkSecurityGroups()
			.updateTags(RG, "web",
					new com.azure.resourcemanager.network.models.TagsObject().withTags(Map.of("env", "test")));

		assertThat(network.networkSecurityGroups().getByResourceGroup(RG, "web").tags())
			.containsExactly(Map.entry("env", "test"));
		assertThat(fake.requests()).filteredOn(r -> r.method().equals("PATCH")).hasSize(1);
	}

	@Test
	void listsTheSubscriptionsNsgsAcrossResourceGroups() {
		createWeb();
		network.networkSecurityGroups()
			.define("other")
			.withRegion(Region.EUROPE_WEST)
			.withExistingResourceGroup("rg-2")
			.create();

		assertThat(network.networkSecurityGroups().list().stream().map(NetworkSecurityGroup::name))
			.containsExactlyInAnyOrder("web", "other");
	}

}
