package dev.polyfence.testing.arm;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.management.Region;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.network.models.NetworkSecurityGroup;
import com.azure.resourcemanager.network.models.NetworkSecurityRule;
import com.azure.resourcemanager.network.models.SecurityRuleAccess;
import com.azure.resourcemanager.network.models.SecurityRuleDirection;
import com.azure.resourcemanager.network.models.SecurityRuleProtocol;
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
}
