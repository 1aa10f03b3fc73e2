package dev.polyfence.policy;

import static dev.polyfence.policy.Fixtures.invalidPolicy;
import static dev.polyfence.policy.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A document full of mistakes: every one is reported at once, in pointer order, each
 * once.
 */
class ManyMistakesTest {

	@Test
	void everyMistakeIsReportedAtOnceInPointerOrder() {
		InvalidDocumentException e = invalidPolicy(read("invalid/many-mistakes.yaml"));

		assertThat(e.kind()).isEqualTo(InvalidDocumentException.Kind.INVALID);
		assertThat(e.problems()).extracting(Problem::pointer, Problem::message)
			.containsExactly(
					problem("/metadata/name",
							"'Payments' is not a valid policy name: use lower-case letters, digits and '-',"
									+ " start with a letter and end with a letter or digit"),
					problem("/spec/addressSets/partners/0",
							"198.51.100.7/24 is not a canonical CIDR block: its host bits are set; did you mean 198.51.100.0/24?"),
					problem("/spec/defaults/egress", "'alow' is not one of allow, deny"),
					problem("/spec/groups/2/name", "group name 'web' is used twice (also at /spec/groups/0/name)"),
					problem("/spec/rules/0/appliesTo/0", "group 'cache' is not declared in /spec/groups"),
					problem("/spec/rules/0/peers", "peers must not be empty: say {any: true} for every address"),
					problem("/spec/rules/1/appliesTo",
							"appliesTo mixes '*' with group names: say [\"*\"] for every group, or list the groups"),
					problem("/spec/rules/1/name", "rule name 'r0' is used twice (also at /spec/rules/0/name)"),
					problem("/spec/rules/1/peers/0/addressSet",
							"address set 'vendors' is not declared in /spec/addressSets"),
					problem("/spec/rules/1/services/0/ports", "ports are only for tcp and udp, not icmp"),
					problem("/spec/rules/2/direction", "'sideways' is not one of ingress, egress"),
					problem("/spec/rules/2/peers/0/group", "group 'db' is not declared in /spec/groups"),
					problem("/spec/rules/2/peers/1/any",
							"{any: false} is not a peer: write {any: true} for every address, or remove this peer"),
					problem("/spec/rules/2/services/0/ports/0", "port 65536 is not within 0-65535"),
					problem("/spec/rules/2/services/0/prots", "unknown field 'prots'; did you mean 'ports'?"),
					problem("/spec/rules/2/services/1/icmpCode", "icmpCode is only for icmp and icmpv6, not udp"),
					problem("/spec/rules/2/services/1/icmpCode",
							"icmpCode needs icmpType: say which ICMP type the code belongs to"),
					problem("/spec/rules/3/peers/0/cidr",
							"2001:db8::1/32 is not a canonical CIDR block: its host bits are set; did you mean 2001:db8::/32?"),
					problem("/spec/rules/10/log", "expected true or false, found the number 1"));
	}

	@Test
	void theExceptionMessageSummarisesEveryProblem() {
		InvalidDocumentException e = invalidPolicy(read("invalid/many-mistakes.yaml"));

		assertThat(e.getMessage()).startsWith("the document is invalid: /metadata/name: 'Payments'")
			.contains("/spec/rules/10/log: expected true or false");
	}

	@Test
	void problemsAreSortedByPointerThenMessageWithoutRepeats() {
		ProblemList list = new ProblemList();
		list.add("/spec/rules/10/name", "b");
		list.add("/spec/rules/2/name", "b");
		list.add("/spec/rules/2/name", "a");
		list.add("/spec/rules/2/name", "b");
		list.add("", "whole");
		list.add("/spec/rules/2", "z");

		assertThat(list.sorted()).containsExactly(new Problem("", "whole"), new Problem("/spec/rules/2", "z"),
				new Problem("/spec/rules/2/name", "a"), new Problem("/spec/rules/2/name", "b"),
				new Problem("/spec/rules/10/name", "b"));
	}

	private static org.assertj.core.groups.Tuple problem(String pointer, String message) {
		return org.assertj.core.groups.Tuple.tuple(pointer, message);
	}

}
