package dev.polyfence.policy;

import inet.ipaddr.IPAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CIDR blocks of one document: the checks parse each text once and keep the valid
 * blocks, and the model assembly takes them from here instead of parsing the text again.
 * One per document; not thread-safe.
 */
final class CidrBlocks {

	private final Map<String, IPAddress> valid = new HashMap<>();

	/**
	 * What is wrong with the text as a CIDR block, or empty when it is a canonical one.
	 */
	Optional<String> problem(String text) {
		if (valid.containsKey(text)) {
			return Optional.empty();
		}
		Cidrs.Checked checked = Cidrs.check(text);
		if (checked.block() != null) {
			valid.put(text, checked.block());
		}
		return Optional.ofNullable(checked.problem());
	}

	/** The block a valid text names. */
	IPAddress block(String text) {
		IPAddress block = valid.get(text);
		return block != null ? block : Cidrs.parse(text);
	}

}
