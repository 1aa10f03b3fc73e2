package dev.polyfence.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyfence.plan.aws.AwsLiveState;
import dev.polyfence.plan.aws.SimulatedVpc;
import dev.polyfence.policy.DocumentParser;
import dev.polyfence.testing.db.Stores;
import dev.polyfence.translate.WorkCancelledException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A plan cancelled before it stores (over its time budget, its client gone) leaves
 * nothing behind: no plan, no audit entry claiming it was made.
 */
class PlanCancellationTest {

	private final DocumentParser parser = new DocumentParser();

	private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);

	private final SimulatedVpc vpc = new SimulatedVpc("vpc-05a4b3c2",
			List.of("subnet-05a4b301", "subnet-05a4b311", "subnet-05a4b302", "subnet-05a4b303"));

	private Stores stores;

	private RequestDocument request;

	@BeforeEach
	void setUp() {
		stores = Stores.h2(clock);
		request = ThreeTierRequest.aws();
	}

	@AfterEach
	void tearDown() {
		stores.locks().close();
		Thread.interrupted();
	}

	@Test
	void theCheckpointsHearThePolicyAndTheStoringOfAPlanThatRunsToItsEnd() {
		Recording checkpoints = new Recording(false);

		Plan plan = service(new ReadingAws()).plan(request, "alice", checkpoints);

		assertThat(checkpoints.heard).containsExactly("policy shop", "storing");
		assertThat(stores.plans().find(plan.id())).isPresent();
	}

	@Test
	void aPlanCancelledBeforeItStoresLeavesNoPlanAndNoAuditEntry() {
		assertThatThrownBy(() -> service(new ReadingAws()).plan(request, "alice", new Recording(true)))
			.isInstanceOf(WorkCancelledException.class);

		assertThat(plansStored()).isZero();
		assertThat(stores.audit().latest(10)).isEmpty();
	}

	/**
	 * An SDK interrupted in the middle of a call fails it like any other (the adapter
	 * wraps it as {@link CloudAccessException}); that is a cancellation, not a cloud that
	 * could not be read.
	 */
	@Test
	void aCloudReadFailedByTheInterruptCancelsThePlanInsteadOfBecomingAFinding() {
		AwsEnvironment interrupted = new ReadingAws() {
			@Override
			public AwsLiveState read(String region, String vpcId) {
				Thread.currentThread().interrupt();
				throw new CloudAccessException("reading VPC " + vpcId + " failed: Thread was interrupted", null);
			}
		};

		assertThatThrownBy(() -> service(interrupted).plan(request, "alice", Checkpoints.NONE))
			.isInstanceOf(WorkCancelledException.class);
		assertThat(plansStored()).isZero();
		assertThat(stores.audit().latest(10)).isEmpty();
	}

	private PlanService service(AwsEnvironment aws) {
		return new PlanService(parser, new TranslationService(), Clouds.aws(aws), stores.plans(), stores.audit(), clock,
				Duration.ofHours(1));
	}

	private int plansStored() {
		try (var connection = stores.dataSource().getConnection();
				var rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM plans")) {
			rows.next();
			return rows.getInt(1);
		}
		catch (java.sql.SQLException e) {
			throw new IllegalStateException(e);
		}
	}

	/** Notes what it hears; refuses the storing when told to, as a cancelled job does. */
	private static final class Recording implements Checkpoints {

		final List<String> heard = new ArrayList<>();

		final boolean cancelled;

		Recording(boolean cancelled) {
			this.cancelled = cancelled;
		}

		@Override
		public void policy(String name) {
			heard.add("policy " + name);
		}

		@Override
		public void storing() {
			heard.add("storing");
			if (cancelled) {
				throw new WorkCancelledException();
			}
		}

	}

	private class ReadingAws implements AwsEnvironment {

		@Override
		public AwsLiveState read(String region, String vpcId) {
			return vpc.state();
		}

		@Override
		public ChangeRunner runner(String region, String vpcId, String policyName, AwsLiveState seen) {
			throw new UnsupportedOperationException("no apply here");
		}

	}

}
