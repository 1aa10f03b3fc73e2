package dev.polyfence.verify;

import static dev.polyfence.verify.Fixtures.any;
import static dev.polyfence.verify.Fixtures.allowIn;
import static dev.polyfence.verify.Fixtures.allowOut;
import static dev.polyfence.verify.Fixtures.cidr;
import static dev.polyfence.verify.Fixtures.denyIn;
import static dev.polyfence.verify.Fixtures.denyOut;
import static dev.polyfence.verify.Fixtures.group;
import static dev.polyfence.verify.Fixtures.icmp;
import static dev.polyfence.verify.Fixtures.icmpv6;
import static dev.polyfence.verify.Fixtures.outside;
import static dev.polyfence.verify.Fixtures.protocol;
import static dev.polyfence.verify.Fixtures.set;
import static dev.polyfence.verify.Fixtures.tcp;
import static dev.polyfence.verify.Fixtures.udp;
import static dev.polyfence.verify.Fixtures.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyfence.policy.Action;
import dev.polyfence.policy.Defaults;
import dev.polyfence.policy.Policy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyEvaluatorTest {

	private static final Policy PAYMENTS = Fixtures.policy("payments", Defaults.STANDARD,
			Map.of("partners", List.of("198.51.100.0/24", "2001:db8:1::/48")), List.of("web", "app", "db"),
			denyIn("block-scanners", "*", List.of(cidr("203.0.113.0/24"))),
			allowIn("https-from-internet", "web", List.of(any()), tcp("443")),
			allowIn("web-to-app", "app", List.of(group("web")), tcp("8080-8081")),
			allowIn("partners-to-db", "db", List.of(set("partners"), group("app")), tcp("5432"), icmp(8, null)),
			denyOut("db-stays-home", "db", List.of(any())));

	private final PolicyEvaluator evaluator = new PolicyEvaluator(PAYMENTS);

	private final Endpoint.Workload web = workload("web", "10.0.1.10");

	private final Endpoint.Workload app = workload("app", "10.0.2.10");

	private final Endpoint.Workload db = workload("db", "10.0.3.10");

	@Test
	void anOutsideFlowNeedsOnlyTheWorkloadsDecision() {
		assertThat(evaluator.decide(Flow.tcp(outside("192.0.2.1"), web, 443)))
			.isEqualTo(new Decision(true, "https-from-internet", null));
		assertThat(evaluator.decide(Flow.tcp(web, outside("192.0.2.1"), 443)))
			.isEqualTo(new Decision(true, null, null));
	}

	@Test
	void theFirstMatchingRuleDecides() {
		assertThat(evaluator.decide(Flow.tcp(outside("203.0.113.7"), web, 443)))
			.isEqualTo(new Decision(false, "block-scanners", null));
	}

	@Test
	void withoutAMatchingRuleTheDefaultDecides() {
		assertThat(evaluator.decide(Flow.tcp(outside("192.0.2.1"), web, 444)))
			.isEqualTo(new Decision(false, null, null));
		assertThat(evaluator.decide(Flow.tcp(web, app, 8082))).isEqualTo(new Decision(false, null, null));
	}

	@Test
	void groupPeersMatchWorkloadsOfThatGroupOnly() {
		assertThat(evaluator.decide(Flow.tcp(web, app, 8081))).isEqualTo(new Decision(true, "web-to-app", null));
		assertThat(evaluator.decide(Flow.tcp(db, app, 8080)).allowed()).isFalse();
		assertThat(evaluator.decide(Flow.tcp(outside("10.0.1.11"), app, 8080)).allowed()).isFalse();
	}

	@Test
	void bothWorkloadEndsMustAllow() {
		Decision decision = evaluator.decide(Flow.tcp(db, web, 443));
		assertThat(decision).isEqualTo(new Decision(false, "https-from-internet", "db-stays-home"));
	}

	@Test
	void icmpTypeWithoutCodeMatchesEveryCodeOfThatType() {
		assertThat(evaluator.decide(Flow.icmp(app, db, 8, 0)).allowed()).isTrue();
		assertThat(evaluator.decide(Flow.icmp(app, db, 8, 7)).allowed()).isTrue();
		assertThat(evaluator.decide(Flow.icmp(app, db, 0, 0)).allowed()).isFalse();
	}

	@Test
	void addressSetsHoldBothFamilies() {
		Endpoint.Workload db6 = workload("db", "2001:db8:20::10");
		assertThat(evaluator.decide(Flow.tcp(outside("2001:db8:1:ffff::1"), db6, 5432)).allowed()).isTrue();
		assertThat(evaluator.decide(Flow.tcp(outside("2001:db8:2::1"), db6, 5432)).allowed()).isFalse();
		assertThat(evaluator.decide(Flow.tcp(outside("198.51.100.255"), db, 5432)).ingressRule())
			.isEqualTo("partners-to-db");
		// icmp (protocol 1) is not icmpv6 (58)
		assertThat(evaluator.decide(Flow.icmp(outside("2001:db8:1::1"), db6, 8, 0)).allowed()).isFalse();
	}

	@Test
	void cidrPeersMatchWorkloadsByTheirAddress() {
		Policy policy = Fixtures.policy("p", Defaults.STANDARD, Map.of(), List.of("a", "b"),
				allowIn("from-ten", "b", List.of(cidr("10.0.0.0/8"))));
		PolicyEvaluator eval = new PolicyEvaluator(policy);
		assertThat(eval.decide(Flow.udp(workload("a", "10.20.0.1"), workload("b", "10.20.1.1"), 53)).allowed())
			.isTrue();
		assertThat(eval.decide(Flow.udp(workload("a", "11.0.0.1"), workload("b", "10.20.1.1"), 53)).allowed())
			.isFalse();
	}

	@Test
	void servicesOfEveryKind() {
		Policy policy = Fixtures.policy("p", Fixtures.defaults(Action.DENY, Action.DENY), Map.of(), List.of("a"),
				allowOut("gre", "a", List.of(any()), protocol(47)), allowOut("dns", "a", List.of(any()), udp()),
				allowOut("unreachable", "a", List.of(any()), icmp(3, 4)),
				allowOut("v6-echo", "a", List.of(any()), icmpv6(128, null)));
		PolicyEvaluator eval = new PolicyEvaluator(policy);
		Endpoint.Workload a = workload("a", "10.0.0.1");
		Endpoint.Workload a6 = workload("a", "2001:db8::1");
		assertThat(eval.decide(Flow.other(a, outside("1.1.1.1"), 47)).egressRule()).isEqualTo("gre");
		assertThat(eval.decide(Flow.other(a, outside("1.1.1.1"), 50)).allowed()).isFalse();
		assertThat(eval.decide(Flow.udp(a, outside("1.1.1.1"), 0)).egressRule()).isEqualTo("dns");
		assertThat(eval.decide(Flow.udp(a, outside("1.1.1.1"), 65535)).egressRule()).isEqualTo("dns");
		assertThat(eval.decide(Flow.tcp(a, outside("1.1.1.1"), 53)).allowed()).isFalse();
		assertThat(eval.decide(Flow.icmp(a, outside("1.1.1.1"), 3, 4)).allowed()).isTrue();
		assertThat(eval.decide(Flow.icmp(a, outside("1.1.1.1"), 3, 3)).allowed()).isFalse();
		assertThat(eval.decide(Flow.icmp(a6, outside("2001:db8:ff::1"), 128, 9)).egressRule()).isEqualTo("v6-echo");
		assertThat(eval.decide(Flow.icmp(a6, outside("2001:db8:ff::1"), 129, 0)).allowed()).isFalse();
	}

	@Test
	void aFlowBetweenTwoOutsideAddressesIsNotJudged() {
		assertThatThrownBy(() -> evaluator.decide(Flow.tcp(outside("1.1.1.1"), outside("2.2.2.2"), 80)))
			.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void flowsMustBeWellFormed() {
		assertThatThrownBy(() -> Flow.tcp(web, outside("2001:db8::1"), 80))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> new Flow(web, app, 58, -1, 128, 0)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> new Flow(web, app, 6, -1, -1, -1)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> new Flow(web, app, 47, 80, -1, -1)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> new Endpoint.Outside(Fixtures.ip("10.0.0.0/8")))
			.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void explainsEachSide() {
		assertThat(evaluator.explain(Flow.tcp(db, web, 443)))
			.isEqualTo("egress of db: rule db-stays-home -> deny; ingress of web: rule https-from-internet -> allow");
		assertThat(evaluator.explain(Flow.tcp(outside("192.0.2.1"), web, 80)))
			.isEqualTo("egress not judged (outside); ingress of web: default -> deny");
	}

}
