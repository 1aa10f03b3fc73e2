package dev.polyfence.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.polyfence.app.AwsEnvironment;
import dev.polyfence.app.CloudAccessException;
import dev.polyfence.plan.aws.AwsLiveState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code polyfence.translations}, {@code polyfence.plans} and {@code polyfence.applies}
 * through the whole Spring MVC stack: one sample per call, tagged with what the caller
 * got, ok or the short name of the problem type. AWS is a stub of the port whose live
 * state the test changes, so that a stale plan and an unreachable cloud can be produced
 * on purpose.
 */
@SpringBootTest
@AutoConfigureMockMvc
class UseCaseMetricsTest {

	/**
	 * A VPC with only its default network ACL (associated with the bound subnet), or
	 * whatever the test puts there; reads fail while {@code unreachable} is set.
	 */
	static final class StubAws implements AwsEnvironment {

		static final AwsLiveState.LiveNetworkAcl DEFAULT_ACL = new AwsLiveState.LiveNetworkAcl("acl-1", true, Map.of(),
				List.of(), List.of(new AwsLiveState.Association("aclassoc-1", "subnet-1")));

		final AtomicReference<AwsLiveState> live = new AtomicReference<>();

		volatile boolean unreachable;

		@Override
		public AwsLiveState read(String region, String vpcId) {
			if (unreachable) {
				throw new CloudAccessException("reading VPC " + vpcId + " failed: stub is unreachable", null);
			}
			AwsLiveState state = live.get();
			return state == null ? new AwsLiveState(vpcId, List.of(), List.of(DEFAULT_ACL)) : state;
		}

		@Override
		public ChangeRunner runner(String region, String vpcId, String policyName, AwsLiveState seen) {
			return change -> "created";
		}

	}

	@TestConfiguration
	static class Stubs {

		@Bean
		@Primary
		StubAws stubAws() {
			return new StubAws();
		}

	}

	private static final String BOUND_AWS_JSON = Documents.MINIMAL_AWS_JSON.replace("\"targets\": [\"aws\"]",
			"""
					"bindings": {"aws": {"region": "eu-west-1", "vpcId": "vpc-1",
					    "groups": {"web": {"securityGroupName": "shop-web", "subnetIds": ["subnet-1"], "cidrs": ["10.0.1.0/24"]}}}},
					  "targets": ["aws"]""");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MeterRegistry registry;

	@Autowired
	private StubAws aws;

	private Map<String, Long> before;

	@BeforeEach
	void snapshot() {
		aws.live.set(null);
		aws.unreachable = false;
		before = samples();
	}

	@Test
	void translationsCountSuccessesAndEachKindOfRefusal() throws Exception {
		translate(MediaType.APPLICATION_JSON_VALUE, Documents.MINIMAL_AWS_JSON, 200);
		translate(MediaType.APPLICATION_JSON_VALUE, Documents.INVALID_JSON, 422);
		translate(MediaType.APPLICATION_JSON_VALUE, Documents.SYNTAX_ERROR_JSON, 400);

		assertThat(added()).isEqualTo(Map.of("polyfence.translations ok", 1L, "polyfence.translations invalid-document",
				1L, "polyfence.translations malformed-document", 1L));
	}

	@Test
	void aRequestNoHandlerTakesIsNoUseCaseCall() throws Exception {
		translate(MediaType.TEXT_PLAIN_VALUE, "hello", 415);
		mvc.perform(get("/v1/translations").with(TestCallers.apiToken())).andExpect(status().isMethodNotAllowed());

		assertThat(added()).isEmpty();
	}

	@Test
	void aPlanAndItsApplyAreCounted() throws Exception {
		String id = plan(201);

		apply(id, 200);

		assertThat(added()).isEqualTo(Map.of("polyfence.plans ok", 1L, "polyfence.applies ok", 1L));
	}

	@Test
	void anApplyOfAPlanWhoseVpcChangedIsStalePlan() throws Exception {
		String id = plan(201);
		aws.live.set(new AwsLiveState("vpc-1",
				List.of(new AwsLiveState.LiveSecurityGroup("sg-1", "shop-web", "made by hand", Map.of(), List.of())),
				List.of(StubAws.DEFAULT_ACL)));

		apply(id, 409);

		assertThat(added()).isEqualTo(Map.of("polyfence.plans ok", 1L, "polyfence.applies stale-plan", 1L));
	}

	@Test
	void refusedAppliesAndPlansCarryTheirProblemType() throws Exception {
		String unbound = JSON.readTree(mvc
			.perform(post("/v1/plans").with(TestCallers.apiToken())
				.contentType(MediaType.APPLICATION_JSON)
				.content(Documents.MINIMAL_AWS_JSON))
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString()).get("id").asString();
		apply(unbound, 422);
		apply("no-such-plan", 404);
		String id = plan(201);
		aws.unreachable = true;
		apply(id, 503);

		assertThat(added()).isEqualTo(Map.of("polyfence.plans ok", 2L, "polyfence.applies plan-has-errors", 1L,
				"polyfence.applies not-found", 1L, "polyfence.applies cloud-unavailable", 1L));
	}

	@Test
	void theTimersAreServedToPrometheus() throws Exception {
		translate(MediaType.APPLICATION_JSON_VALUE, Documents.MINIMAL_AWS_JSON, 200);

		mvc.perform(get("/actuator/prometheus"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("polyfence_translations_seconds_count{outcome=\"ok\"")));
	}

	private void translate(String contentType, String body, int status) throws Exception {
		mvc.perform(post("/v1/translations").with(TestCallers.apiToken()).contentType(contentType).content(body))
			.andExpect(status().is(status));
	}

	private String plan(int status) throws Exception {
		String body = mvc
			.perform(post("/v1/plans").with(TestCallers.apiToken())
				.contentType(MediaType.APPLICATION_JSON)
				.content(BOUND_AWS_JSON))
			.andExpect(status().is(status))
			.andReturn()
			.getResponse()
			.getContentAsString();
		return status == 201 ? JSON.readTree(body).get("id").asString() : null;
	}

	private void apply(String id, int status) throws Exception {
		mvc.perform(post("/v1/plans/" + id + "/apply").with(TestCallers.apiToken()))
			.andExpect(status().is(status))
			.andExpect(status == 200 ? jsonPath("$.status").value("succeeded") : jsonPath("$.type").exists());
	}

	/** Samples of the three use-case timers by "name outcome". */
	private Map<String, Long> samples() {
		Map<String, Long> counts = new TreeMap<>();
		for (String name : List.of(UseCaseMetrics.TRANSLATIONS, UseCaseMetrics.PLANS, UseCaseMetrics.APPLIES)) {
			for (Timer timer : registry.find(name).timers()) {
				counts.merge(name + " " + timer.getId().getTag("outcome"), timer.count(), Long::sum);
			}
		}
		return counts;
	}

	private Map<String, Long> added() {
		Map<String, Long> added = new TreeMap<>();
		samples().forEach((key, count) -> {
			long delta = count - before.getOrDefault(key, 0L);
			if (delta != 0) {
				added.put(key, delta);
			}
		});
		return added;
	}

}
