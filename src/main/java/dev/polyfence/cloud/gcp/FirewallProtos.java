package dev.polyfence.cloud.gcp;

import com.google.cloud.compute.v1.Allowed;
import com.google.cloud.compute.v1.Denied;
import com.google.cloud.compute.v1.Firewall;
import com.google.cloud.compute.v1.FirewallLogConfig;
import java.util.List;

/**
 * Between the translator's firewall record and the Compute client's proto. Reading drops
 * what the API adds (id, selfLink, creation time, {@code disabled: false},
 * {@code logConfig.enable: false}) and writes the network as the translator does
 * ({@code projects/P/global/networks/N}), so live and desired compare equal when they
 * are.
 */
public final class FirewallProtos {

	private static final String NETWORKS = "/global/networks/";

	private FirewallProtos() {
	}

	public static Firewall toProto(dev.polyfence.translate.gcp.Firewall f) {
		Firewall.Builder b = Firewall.newBuilder()
			.setName(f.name())
			.setPriority(f.priority())
			.setDirection(f.direction());
		if (f.description() != null) {
			b.setDescription(f.description());
		}
		if (f.network() != null) {
			b.setNetwork(f.network());
		}
		for (dev.polyfence.translate.gcp.Firewall.ProtocolPorts p : f.allowed()) {
			b.addAllowed(Allowed.newBuilder().setIPProtocol(p.ipProtocol()).addAllPorts(p.ports()));
		}
		for (dev.polyfence.translate.gcp.Firewall.ProtocolPorts p : f.denied()) {
			b.addDenied(Denied.newBuilder().setIPProtocol(p.ipProtocol()).addAllPorts(p.ports()));
		}
		b.addAllSourceRanges(f.sourceRanges())
			.addAllDestinationRanges(f.destinationRanges())
			.addAllSourceTags(f.sourceTags())
			.addAllSourceServiceAccounts(f.sourceServiceAccounts())
			.addAllTargetTags(f.targetTags())
			.addAllTargetServiceAccounts(f.targetServiceAccounts());
		if (f.logConfig() != null) {
			b.setLogConfig(FirewallLogConfig.newBuilder().setEnable(f.logConfig().enable()));
		}
		return b.build();
	}

	public static dev.polyfence.translate.gcp.Firewall fromProto(Firewall f) {
		List<dev.polyfence.translate.gcp.Firewall.ProtocolPorts> allowed = f.getAllowedList()
			.stream()
			.map(a -> new dev.polyfence.translate.gcp.Firewall.ProtocolPorts(a.getIPProtocol(), a.getPortsList()))
			.toList();
		List<dev.polyfence.translate.gcp.Firewall.ProtocolPorts> denied = f.getDeniedList()
			.stream()
			.map(d -> new dev.polyfence.translate.gcp.Firewall.ProtocolPorts(d.getIPProtocol(), d.getPortsList()))
			.toList();
		boolean logging = f.hasLogConfig() && f.getLogConfig().getEnable();
		return new dev.polyfence.translate.gcp.Firewall(f.getName(), f.hasDescription() ? f.getDescription() : null,
				network(f.getNetwork()), f.getPriority(), f.getDirection(), allowed, denied, f.getSourceRangesList(),
				f.getDestinationRangesList(), f.getSourceTagsList(), f.getSourceServiceAccountsList(),
				f.getTargetTagsList(), f.getTargetServiceAccountsList(),
				logging ? new dev.polyfence.translate.gcp.Firewall.LogConfig(true) : null);
	}

	/** {@code projects/P/global/networks/N} from a full or partial network URL. */
	static String network(String url) {
		int at = url.indexOf("projects/");
		return at < 0 ? url : url.substring(at);
	}

	/** The network name at the end of a network URL. */
	static String networkName(String url) {
		int at = url.lastIndexOf(NETWORKS);
		return at < 0 ? url : url.substring(at + NETWORKS.length());
	}

}
