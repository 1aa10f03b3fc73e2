package dev.polyfence.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A token's rights are the union of the rights of every rule whose claims all match. */
class ClaimRulesTest {

	private final ClaimRules rules = new ClaimRules(List.of(
			new SecuritySettings.Rule(Map.of("repository", "acme/network", "ref", "refs/heads/main"), List.of("apply")),
			new SecuritySettings.Rule(Map.of("repository", "acme/*"), List.of("plan")),
			new SecuritySettings.Rule(Map.of("environment", "production", "ref_protected", "true"), List.of("apply"))));

	@Test
	void rightsAreTheUnionOfTheMatchingRules() {
		assertThat(rules.rightsOf(Map.of("repository", "acme/network", "ref", "refs/heads/main")))
			.containsExactly(Right.PLAN, Right.APPLY);
		assertThat(rules.rightsOf(Map.of("repository", "acme/network", "ref", "refs/heads/feature")))
			.containsExactly(Right.PLAN);
	}

	@Test
	void everyClaimOfARuleMustMatch() {
		assertThat(rules.rightsOf(Map.of("environment", "production"))).isEmpty();
		assertThat(rules.rightsOf(Map.of("environment", "production", "ref_protected", "true")))
			.containsExactly(Right.APPLY);
	}

	@Test
	void aTrailingStarMatchesAnySuffixAndNothingElse() {
		assertThat(ClaimRules.matches("acme/anything", "acme/*")).isTrue();
		assertThat(ClaimRules.matches("acme/", "acme/*")).isTrue();
		assertThat(ClaimRules.matches("acmex/network", "acme/*")).isFalse();
		assertThat(ClaimRules.matches("evil/acme/network", "acme/*")).isFalse();
		assertThat(ClaimRules.matches("acme/network", "acme/net")).isFalse();
		assertThat(ClaimRules.matches("ACME/network", "acme/network")).isFalse();
	}

	@Test
	void scalarsAreComparedAsTextAndListsByAnyElement() {
		assertThat(ClaimRules.matches(true, "true")).isTrue();
		assertThat(ClaimRules.matches(42, "42")).isTrue();
		assertThat(ClaimRules.matches(List.of("a", "acme/x"), "acme/*")).isTrue();
		assertThat(ClaimRules.matches(List.of("a", "b"), "acme/*")).isFalse();
		assertThat(ClaimRules.matches(Map.of("acme", "x"), "*acme")).isFalse();
		assertThat(ClaimRules.matches(null, "x")).isFalse();
	}

	@Test
	void aTokenWithoutTheClaimsGetsNothing() {
		assertThat(rules.rightsOf(Map.of("sub", "repo:acme/network:ref:refs/heads/main"))).isEmpty();
	}

}
