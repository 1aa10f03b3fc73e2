package dev.polyfence.cloud.aws;

import java.util.List;
import java.util.Optional;

/**
 * What one executed change produced, for the apply record.
 *
 * @param createdId the security group or network ACL id created, or the new association
 * id after a subnet moved; null when the change creates nothing with an id
 * @param ruleIds the security group rule ids ({@code sgr-…}) authorized or revoked, as
 * AWS reported them
 */
public record ChangeResult(String createdId, List<String> ruleIds) {

	public ChangeResult {
		ruleIds = List.copyOf(ruleIds);
	}

	static ChangeResult none() {
		return new ChangeResult(null, List.of());
	}

	static ChangeResult created(String id) {
		return new ChangeResult(id, List.of());
	}

	static ChangeResult rules(List<String> ruleIds) {
		return new ChangeResult(null, ruleIds);
	}

	public Optional<String> created() {
		return Optional.ofNullable(createdId);
	}
}
