package dev.polyfence.plan;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyfence.plan.aws.AwsLiveState;
import dev.polyfence.plan.aws.AwsPlanner;
import dev.polyfence.plan.azure.AzureLiveState;
import dev.polyfence.plan.azure.AzurePlanner;
import dev.polyfence.plan.gcp.GcpLiveState;
import dev.polyfence.plan.gcp.GcpPlanner;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.Examples;
import dev.polyfence.translate.WorkCancelledException;
import dev.polyfence.translate.aws.AwsOutput;
import dev.polyfence.translate.aws.AwsTranslator;
import dev.polyfence.translate.azure.AzureOutput;
import dev.polyfence.translate.azure.AzureTranslator;
import dev.polyfence.translate.gcp.GcpOutput;
import dev.polyfence.translate.gcp.GcpTranslator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The planners' loops check for cancellation: on an interrupted thread a plan stops
 * instead of running to its end.
 */
class PlannerCancellationTest {

	private final Policy policy = Examples.threeTier();

	private final Bindings bindings = Examples.threeTierBindings();

	@AfterEach
	void clearInterrupt() {
		Thread.interrupted();
	}

	@Test
	void aws() {
		AwsOutput desired = new AwsTranslator().translate(policy, bindings).output();
		Thread.currentThread().interrupt();

		assertThatThrownBy(() -> new AwsPlanner().plan(policy, bindings.aws(), desired,
				new AwsLiveState("vpc-1", List.of(), List.of())))
			.isInstanceOf(WorkCancelledException.class);
	}

	@Test
	void azure() {
		AzureOutput desired = new AzureTranslator().translate(policy, bindings).output();
		Thread.currentThread().interrupt();

		assertThatThrownBy(() -> new AzurePlanner().plan(policy, desired, new AzureLiveState("sub", "rg", List.of())))
			.isInstanceOf(WorkCancelledException.class);
	}

	@Test
	void gcp() {
		GcpOutput desired = new GcpTranslator().translate(policy, bindings).output();
		Thread.currentThread().interrupt();

		assertThatThrownBy(() -> new GcpPlanner().plan(policy, desired, new GcpLiveState("project", "vpc", List.of())))
			.isInstanceOf(WorkCancelledException.class);
	}

}
