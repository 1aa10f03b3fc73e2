package dev.polyfence.verify;

import dev.polyfence.policy.Action;
import dev.polyfence.policy.Defaults;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.Rule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** A changed version of a generated policy, for the apply step-safety tests. */
final class PolicyChanges {

	private PolicyChanges() {
	}

	/**
	 * The same groups and bindings with some rules dropped, swapped or flipped, and
	 * sometimes the defaults.
	 */
	static Policy changed(Policy policy, Random random) {
		List<Rule> rules = new ArrayList<>(policy.rules());
		if (!rules.isEmpty() && random.nextBoolean()) {
			rules.remove(random.nextInt(rules.size()));
		}
		if (rules.size() > 1) {
			int i = random.nextInt(rules.size() - 1);
			Collections.swap(rules, i, i + 1);
		}
		for (int i = 0; i < rules.size(); i++) {
			if (random.nextInt(4) == 0) {
				Rule r = rules.get(i);
				rules.set(i, new Rule(r.name(), r.action() == Action.ALLOW ? Action.DENY : Action.ALLOW, r.direction(),
						r.appliesTo(), r.peers(), r.services(), r.log()));
			}
		}
		Defaults defaults = random.nextInt(4) == 0
				? new Defaults(policy.defaults().egress(), policy.defaults().ingress()) : policy.defaults();
		return new Policy(policy.name(), policy.description(), defaults, policy.addressSets(), policy.groups(), rules);
	}

}
