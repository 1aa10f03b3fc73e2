package dev.polyfence.testing.gce;

import com.google.cloud.compute.v1.FirewallsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test class against one fake for the class, with the real client, reset before each
 * test.
 */
abstract class ComputeFakeTest {

	static final String PROJECT = "polyfence-test";

	static ComputeFirewallFake fake;

	static FirewallsClient client;

	@BeforeAll
	static void start() {
		fake = ComputeFirewallFake.start();
		client = GceClients.client(fake);
	}

	@AfterAll
	static void stop() {
		client.close();
		fake.close();
	}

	@BeforeEach
	void reset() {
		fake.reset();
	}

}
