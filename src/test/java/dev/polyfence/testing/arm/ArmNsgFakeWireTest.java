package dev.polyfence.testing.arm;

import static dev.polyfence.testing.arm.ArmHttp.API;
import static dev.polyfence.testing.arm.ArmHttp.nsgPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyfence.testing.arm.ArmHttp.Reply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The fake's HTTP answers, checked on the wire: ARM shapes, validation, errors,
 * operations, faults.
 */
class ArmNsgFakeWireTest {

	static final String RG = "rg-wire";

	static ArmNsgFake fake;

	static ArmHttp http;

	@BeforeAll
	static void start() {
		fake = ArmNsgFake.start();
		http = new ArmHttp(fake);
	}

	@AfterAll
	static void stop() {
		fake.close();
	}

	@BeforeEach
	void reset() {
		fake.reset();
	}

	static String rule(String name, int priority, String direction, String extra) {
		return "{\"name\":\"" + name + "\",\"properties\":{\"protocol\":\"Tcp\",\"access\":\"Allow\",\"direction\":\""
				+ direction + "\",\"priority\":" + priority
				+ ",\"sourcePortRange\":\"*\",\"destinationPortRange\":\"443\""
				+ (extra.contains("sourceAddressPrefix") || extra.contains("sourceApplicationSecurityGroups") ? ""
						: ",\"sourceAddressPrefix\":\"*\"")
				+ (extra.contains("destinationAddressPrefix") ? "" : ",\"destinationAddressPrefix\":\"*\"")
				+ (extra.isEmpty() ? "" : "," + extra) + "}}";
	}

	static String nsg(String... rules) {
		return "{\"location\":\"westeurope\",\"tags\":{\"owner\":\"polyfence\"},\"properties\":{\"securityRules\":["
				+ String.join(",", rules) + "]}}";
	}

	static Reply putNsg(String name, String body) {
		return http.put(nsgPath(RG, name) + "?" + API, body);
	}

	static void assertError(Reply reply, int status, String code) {
		assertThat(reply.status()).as(reply.body().toString()).isEqualTo(status);
		assertThat(reply.errorCode()).isEqualTo(code);
		assertThat(reply.errorMessage()).isNotBlank();
	}

	@Test
	void putAnswersTheArmShape() {
		Reply reply = putNsg("web", nsg(rule("https", 100, "Inbound", "")));

		assertThat(reply.status()).isEqualTo(201);
		JsonNode body = reply.body();
		assertThat(body.get("id").asString()).isEqualTo(nsgPath(RG, "web"));
		assertThat(body.get("name").asString()).isEqualTo("web");
		assertThat(body.get("type").asString()).isEqualTo("Microsoft.Network/networkSecurityGroups");
		assertThat(body.get("location").asString()).isEqualTo("westeurope");
		assertThat(body.at("/tags/owner").asString()).isEqualTo("polyfence");
		assertThat(body.get("etag").asString()).startsWith("W/\"");
		assertThat(body.at("/properties/provisioningState").asString()).isEqualTo("Succeeded");
		assertThat(body.at("/properties/resourceGuid").asString()).hasSize(36);
		JsonNode rule = body.at("/properties/securityRules/0");
		assertThat(rule.get("id").asString()).isEqualTo(nsgPath(RG, "web") + "/securityRules/https");
		assertThat(rule.get("type").asString()).isEqualTo("Microsoft.Network/networkSecurityGroups/securityRules");
		assertThat(rule.get("etag").asString()).isEqualTo(body.get("etag").asString());
		assertThat(rule.at("/properties/provisioningState").asString()).isEqualTo("Succeeded");
		assertThat(rule.at("/properties/sourceAddressPrefixes")).isEmpty();
		List<String> defaults = new ArrayList<>();
		body.at("/properties/defaultSecurityRules")
			.forEach(d -> defaults.add(d.get("name").asString() + " " + d.at("/properties/priority").asInt() + " "
					+ d.get("type").asString()));
		assertThat(defaults).containsExactly(
				"AllowVnetInBound 65000 Microsoft.Network/networkSecurityGroups/defaultSecurityRules",
				"AllowAzureLoadBalancerInBound 65001 Microsoft.Network/networkSecurityGroups/defaultSecurityRules",
				"DenyAllInBound 65500 Microsoft.Network/networkSecurityGroups/defaultSecurityRules",
				"AllowVnetOutBound 65000 Microsoft.Network/networkSecurityGroups/defaultSecurityRules",
				"AllowInternetOutBound 65001 Microsoft.Network/networkSecurityGroups/defaultSecurityRules",
				"DenyAllOutBound 65500 Microsoft.Network/networkSecurityGroups/defaultSecurityRules");
	}

	@Test
	void secondPutAnswers200AndKeepsTheResourceGuid() {
		String guid = putNsg("web", nsg()).body().at("/properties/resourceGuid").asString();

		Reply again = putNsg("web", nsg(rule("https", 100, "Inbound", "")));

		assertThat(again.status()).isEqualTo(200);
		assertThat(again.body().at("/properties/resourceGuid").asString()).isEqualTo(guid);
	}

	@Test
	void apiVersionIsRequired() {
		assertError(http.get(nsgPath(RG, "web")), 400, "MissingApiVersionParameter");
		assertError(http.put(nsgPath(RG, "web"), nsg()), 400, "MissingApiVersionParameter");
	}

	@Test
	void priorityOutsideTheBandIsSecurityRuleInvalidPriority() {
		assertError(putNsg("web", nsg(rule("low", 99, "Inbound", ""))), 400, "SecurityRuleInvalidPriority");
		assertError(putNsg("web", nsg(rule("high", 4097, "Inbound", ""))), 400, "SecurityRuleInvalidPriority");
		assertThat(
				putNsg("web", nsg(rule("lowest", 100, "Inbound", ""), rule("highest", 4096, "Inbound", ""))).status())
			.isEqualTo(201);
	}

	@Test
	void samePriorityAndDirectionIsSecurityRuleConflict() {
		Reply reply = putNsg("web", nsg(rule("a", 200, "Inbound", ""), rule("b", 200, "Inbound", "")));

		assertError(reply, 400, "SecurityRuleConflict");
		assertThat(reply.errorMessage())
			.isEqualTo("Security rule b conflicts with rule a. Rules cannot have the same Priority and Direction.");
		assertThat(fake.nsg(ArmSdk.SUBSCRIPTION, RG, "web")).isEmpty();
	}

	@Test
	void ruleNamesFollowArmsPattern() {
		for (String bad : List.of("-lead", "trail-", "trail.", "sp ace", "x".repeat(81))) {
			assertError(putNsg("web", nsg(rule(bad, 100, "Inbound", ""))), 400, "InvalidResourceName");
		}
		assertThat(putNsg("web",
				nsg(rule("a", 100, "Inbound", ""), rule("ends_", 110, "Inbound", ""),
						rule("x.y-z_w", 120, "Inbound", ""), rule("x".repeat(80), 130, "Inbound", "")))
			.status()).isEqualTo(201);
	}

	@Test
	void atMostAThousandRules() {
		List<String> rules = new ArrayList<>();
		for (int i = 0; i < 1001; i++) {
			rules.add(rule("r" + i, 100 + i, "Inbound", ""));
		}

		assertError(putNsg("web", nsg(rules.toArray(String[]::new))), 400, "SecurityRuleCountLimitReached");
		assertThat(putNsg("web", nsg(rules.subList(0, 1000).toArray(String[]::new))).status()).isEqualTo(201);
	}

	@Test
	void oneRuleCannotMixAddressFamilies() {
		assertError(
				putNsg("web",
						nsg(rule("mixed", 100, "Inbound",
								"\"sourceAddressPrefixes\":[\"10.0.0.0/8\",\"2001:db8::/32\"]"))),
				400, "ResourceCannotContainAddressPrefixesFromDifferentAddressFamilies");
		assertError(
				putNsg("web",
						nsg(rule("mixed", 100, "Inbound",
								"\"sourceAddressPrefix\":\"10.0.0.0/8\",\"destinationAddressPrefix\":\"::/0\""))),
				400, "ResourceCannotContainAddressPrefixesFromDifferentAddressFamilies");
		// '*' and service tags belong to no family
		assertThat(putNsg("web",
				nsg(rule("v6", 100, "Inbound",
						"\"sourceAddressPrefix\":\"2001:db8::/32\",\"destinationAddressPrefix\":\"VirtualNetwork\"")))
			.status()).isEqualTo(201);
	}

	@Test
	void aPrefixAndAPrefixListOnOneSideAreRefused() {
		assertError(
				putNsg("web",
						nsg(rule("both", 100, "Inbound",
								"\"sourceAddressPrefix\":\"10.0.0.0/8\",\"sourceAddressPrefixes\":[\"10.1.0.0/16\"]"))),
				400, NsgRuleValidator.CODE_BOTH_GIVEN);
		// empty values count as absent, as ARM treats them
		assertThat(putNsg("web",
				nsg(rule("empty", 100, "Inbound",
						"\"sourceAddressPrefix\":\"\",\"sourceAddressPrefixes\":[\"10.1.0.0/16\"]")))
			.status()).isEqualTo(201);
	}

	@Test
	void noSourceAtAllIsSecurityRuleParametersMissing() {
		String noSource = "{\"name\":\"r\",\"properties\":{\"protocol\":\"Tcp\",\"access\":\"Allow\",\"direction\":\"Inbound\","
				+ "\"priority\":100,\"sourcePortRange\":\"*\",\"destinationPortRange\":\"*\",\"destinationAddressPrefix\":\"*\"}}";

		assertError(putNsg("web", nsg(noSource)), 400, "SecurityRuleParametersMissing");
	}

	@Test
	void unknownProtocolCannotBeParsed() {
		String gre = rule("gre", 100, "Inbound", "").replace("\"Tcp\"", "\"Gre\"");

		Reply reply = putNsg("web", nsg(gre));

		assertError(reply, 400, "InvalidRequestFormat");
		assertThat(reply.errorMessage()).contains("properties.securityRules[0].properties.protocol");
	}

	@Test
	void enumsAreReadCaseInsensitivelyAndAnsweredInArmsSpelling() {
		String lower = rule("r", 100, "inbound", "").replace("\"Tcp\"", "\"tcp\"").replace("\"Allow\"", "\"allow\"");

		JsonNode rule = putNsg("web", nsg(lower)).body().at("/properties/securityRules/0/properties");

		assertThat(rule.get("protocol").asString()).isEqualTo("Tcp");
		assertThat(rule.get("access").asString()).isEqualTo("Allow");
		assertThat(rule.get("direction").asString()).isEqualTo("Inbound");
	}

	@Test
	void badPortsAndPrefixesAreRefused() {
		assertError(putNsg("web", nsg(rule("p", 100, "Inbound", "").replace("\"443\"", "\"70000\""))), 400,
				"SecurityRuleInvalidPortRange");
		assertError(putNsg("web", nsg(rule("p", 100, "Inbound", "").replace("\"443\"", "\"443-80\""))), 400,
				"SecurityRuleInvalidPortRange");
		assertError(putNsg("web", nsg(rule("a", 100, "Inbound", "\"sourceAddressPrefix\":\"10.0.0.0/33\""))), 400,
				"SecurityRuleInvalidAddressPrefix");
	}

	@Test
	void missingNsgIsResourceNotFound() {
		assertError(http.get(nsgPath(RG, "nope") + "?" + API), 404, "ResourceNotFound");
	}

	@Test
	void missingRuleIsResourceNotFoundAndARuleOfAMissingNsgIsParentResourceNotFound() {
		putNsg("web", nsg());

		assertError(http.get(nsgPath(RG, "web") + "/securityRules/nope?" + API), 404, "ResourceNotFound");
		assertError(http.get(nsgPath(RG, "nope") + "/securityRules/r?" + API), 404, "ParentResourceNotFound");
	}

	@Test
	void deletingWhatIsNotThereAnswers204() {
		assertThat(http.delete(nsgPath(RG, "nope") + "?" + API).status()).isEqualTo(204);
	}

	@Test
	void childRulesArePutReadListedAndDeleted() {
		putNsg("web", nsg(rule("a", 100, "Inbound", "")));

		Reply created = http.put(nsgPath(RG, "web") + "/securityRules/b?" + API, rule("b", 110, "Inbound", ""));
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.body().get("id").asString()).endsWith("/securityRules/b");
		assertThat(http.get(nsgPath(RG, "web") + "/securityRules/b?" + API).body().at("/properties/priority").asInt())
			.isEqualTo(110);
		assertError(http.put(nsgPath(RG, "web") + "/securityRules/c?" + API, rule("c", 100, "Inbound", "")), 400,
				"SecurityRuleConflict");
		assertThat(http.get(nsgPath(RG, "web") + "/securityRules?" + API).body().get("value")).hasSize(2);
		assertThat(http.delete(nsgPath(RG, "web") + "/securityRules/a?" + API).status()).isEqualTo(200);
		assertThat(fake.nsg(ArmSdk.SUBSCRIPTION, RG, "web").orElseThrow().at("/properties/securityRules")).hasSize(1);
	}

	@Test
	void listPagesWithNextLink() {
		fake.pageSize(2);
		for (String n : List.of("a", "b", "c")) {
			putNsg(n, nsg());
		}

		Reply first = http.get(nsgPath(RG, "").replaceAll("/$", "") + "?" + API);
		assertThat(first.body().get("value")).hasSize(2);
		Reply second = http.get(first.body().get("nextLink").asString());

		assertThat(second.body().get("value")).hasSize(1);
		assertThat(second.body().has("nextLink")).isFalse();
	}

	@Test
	void putAsALongRunningOperationPollsInProgressThenSucceeded() {
		fake.inProgressPolls(1);

		Reply put = putNsg("web", nsg(rule("a", 100, "Inbound", "")));
		assertThat(put.status()).isEqualTo(201);
		assertThat(put.body().at("/properties/provisioningState").asString()).isEqualTo("Updating");
		assertThat(put.header("Retry-After")).isEqualTo("1");
		String status = put.header("Azure-AsyncOperation");
		assertThat(status).startsWith("http://127.0.0.1:" + fake.port() + "/subscriptions/");

		Reply poll1 = http.get(status);
		assertThat(poll1.body().get("status").asString()).isEqualTo("InProgress");
		assertThat(poll1.header("Retry-After")).isEqualTo("1");
		assertThat(
				fake.nsg(ArmSdk.SUBSCRIPTION, RG, "web").orElseThrow().at("/properties/provisioningState").asString())
			.isEqualTo("Updating");
		assertThat(http.get(status).body().get("status").asString()).isEqualTo("Succeeded");
		assertThat(http.get(nsgPath(RG, "web") + "?" + API).body().at("/properties/provisioningState").asString())
			.isEqualTo("Succeeded");
	}

	@Test
	void deleteAsALongRunningOperationAnswers202WithLocationThen204() {
		putNsg("web", nsg());
		fake.inProgressPolls(1);

		Reply delete = http.delete(nsgPath(RG, "web") + "?" + API);
		assertThat(delete.status()).isEqualTo(202);
		assertThat(delete.header("Azure-AsyncOperation")).contains("/operations/");
		String location = delete.header("Location");
		assertThat(location).contains("/operationResults/");

		assertThat(http.get(location).status()).isEqualTo(202);
		assertThat(fake.nsg(ArmSdk.SUBSCRIPTION, RG, "web")).isPresent();
		assertThat(http.get(location).status()).isEqualTo(204);
		assertThat(fake.nsg(ArmSdk.SUBSCRIPTION, RG, "web")).isEmpty();
	}

	@Test
	void injectedFaultsAnswerTheNextRequestsWithRetryAfter() {
		fake.failNext(1, 429).failNext(1, 503);

		Reply throttled = http.get(nsgPath(RG, "web") + "?" + API);
		Reply unavailable = http.get(nsgPath(RG, "web") + "?" + API);
		Reply normal = http.get(nsgPath(RG, "web") + "?" + API);

		assertError(throttled, 429, "SubscriptionRequestsThrottled");
		assertThat(throttled.header("Retry-After")).isEqualTo("1");
		assertError(unavailable, 503, "ServiceUnavailable");
		assertError(normal, 404, "ResourceNotFound");
	}

	@Test
	void stateCanBeSeededAndReadDirectly() {
		JsonNode seeded = fake.seed(ArmSdk.SUBSCRIPTION, RG, "{\"name\":\"seeded\",\"location\":\"westeurope\","
				+ "\"properties\":{\"securityRules\":[" + rule("a", 100, "Inbound", "") + "]}}");

		assertThat(seeded.at("/properties/securityRules/0/name").asString()).isEqualTo("a");
		assertThat(http.get(nsgPath(RG, "seeded") + "?" + API).status()).isEqualTo(200);
		assertThatThrownBy(() -> fake.seed(ArmSdk.SUBSCRIPTION, RG,
				"{\"name\":\"bad\",\"location\":\"westeurope\"," + "\"properties\":{\"securityRules\":["
						+ rule("a", 5000, "Inbound", "") + "]}}"))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageStartingWith("SecurityRuleInvalidPriority");
	}

	@Test
	void namesAreCaseInsensitiveAndKeepTheirFirstSpelling() {
		putNsg("Web", nsg());

		assertThat(http.get(nsgPath(RG.toUpperCase(), "WEB") + "?" + API).body().get("name").asString())
			.isEqualTo("Web");
		assertThat(putNsg("web", nsg()).status()).isEqualTo(200);
		assertThat(fake.nsgNames(ArmSdk.SUBSCRIPTION, RG)).containsExactly("Web");
	}

	@Test
	void locationIsRequiredAndCannotChange() {
		assertError(putNsg("web", "{\"properties\":{}}"), 400, "LocationRequired");
		putNsg("web", nsg());

		assertError(putNsg("web", nsg().replace("westeurope", "northeurope")), 400, "InvalidResourceLocation");
	}

	@Test
	void twoRulesWithOneNameAreDuplicateResourceName() {
		assertError(putNsg("web", nsg(rule("a", 100, "Inbound", ""), rule("A", 110, "Inbound", ""))), 400,
				"DuplicateResourceName");
	}

	@Test
	void atMost4000PrefixesOnOneSide() {
		List<String> rules = new ArrayList<>();
		for (int r = 0; r < 5; r++) {
			List<String> prefixes = new ArrayList<>();
			for (int i = 0; i < 801; i++) {
				prefixes.add("\"10." + r + "." + (i / 256) + "." + (i % 256) + "\"");
			}
			rules.add(rule("r" + r, 100 + r, "Inbound",
					"\"sourceAddressPrefixes\":[" + String.join(",", prefixes) + "]"));
		}

		assertError(putNsg("web", nsg(rules.toArray(String[]::new))), 400,
				"SecurityRuleAddressesOrPortsPerSecurityGroupLimitReached");
	}

	@Test
	void malformedJsonIsInvalidRequestContent() {
		assertError(putNsg("web", "{not json"), 400, "InvalidRequestContent");
	}

}
