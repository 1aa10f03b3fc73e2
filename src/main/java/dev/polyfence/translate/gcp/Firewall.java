package dev.polyfence.translate.gcp;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A Compute v1 {@code Firewall}. Exactly one of {@code allowed} and {@code denied} is
 * set; lists that do not apply are absent.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Firewall(String name, String description, String network, int priority, String direction,
		List<ProtocolPorts> allowed, List<ProtocolPorts> denied, List<String> sourceRanges,
		List<String> destinationRanges, List<String> sourceTags, List<String> sourceServiceAccounts,
		List<String> targetTags, List<String> targetServiceAccounts, LogConfig logConfig) {

	public Firewall {
		allowed = List.copyOf(allowed);
		denied = List.copyOf(denied);
		sourceRanges = List.copyOf(sourceRanges);
		destinationRanges = List.copyOf(destinationRanges);
		sourceTags = List.copyOf(sourceTags);
		sourceServiceAccounts = List.copyOf(sourceServiceAccounts);
		targetTags = List.copyOf(targetTags);
		targetServiceAccounts = List.copyOf(targetServiceAccounts);
	}

	/**
	 * One {@code allowed[]} or {@code denied[]} item; ports only for tcp, udp and sctp.
	 */
	@JsonInclude(JsonInclude.Include.NON_EMPTY)
	public record ProtocolPorts(@JsonProperty("IPProtocol") String ipProtocol, List<String> ports) {
		public ProtocolPorts {
			ports = List.copyOf(ports);
		}
	}

	public record LogConfig(boolean enable) {
	}

	@com.fasterxml.jackson.annotation.JsonIgnore
	public boolean isAllow() {
		return !allowed.isEmpty();
	}
}
