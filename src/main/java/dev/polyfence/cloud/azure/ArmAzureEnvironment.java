package dev.polyfence.cloud.azure;

import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.network.fluent.NetworkSecurityGroupsClient;
import com.azure.resourcemanager.network.fluent.models.ApplicationSecurityGroupInner;
import com.azure.resourcemanager.network.fluent.models.NetworkSecurityGroupInner;
import com.azure.resourcemanager.network.fluent.models.SecurityRuleInner;
import com.azure.resourcemanager.network.models.SecurityRuleAccess;
import com.azure.resourcemanager.network.models.SecurityRuleDirection;
import com.azure.resourcemanager.network.models.SecurityRuleProtocol;
import dev.polyfence.app.AzureEnvironment;
import dev.polyfence.app.CloudAccessException;
import dev.polyfence.app.ScopeNotFoundException;
import dev.polyfence.plan.azure.AzureChange;
import dev.polyfence.plan.azure.AzureLiveState;
import dev.polyfence.translate.azure.SecurityRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The {@link AzureEnvironment} port over azure-resourcemanager-network: NSGs are read and
 * written whole through the service client, so a change is one PUT of the NSG with its
 * full rule list (atomic in ARM). Rules are carried in the translator's shape, with what
 * ARM adds dropped and empty lists read as absent, so that live and desired compare equal
 * when they are.
 */
public final class ArmAzureEnvironment implements AzureEnvironment {

	/** The {@code cloud} tag of Resource Manager calls. */
	static final String CLOUD = "azure";

	/** ARM's error code for a resource group that does not exist. */
	static final String RESOURCE_GROUP_NOT_FOUND = "ResourceGroupNotFound";

	private final Function<String, NetworkManager> managers;

	private final Map<String, NetworkManager> bySubscription = new ConcurrentHashMap<>();

	/**
	 * @param managers a network manager for a subscription, authenticated from
	 * configuration
	 */
	public ArmAzureEnvironment(Function<String, NetworkManager> managers) {
		this.managers = managers;
	}

	@Override
	public AzureLiveState read(String subscriptionId, String resourceGroup) {
		try {
			List<AzureLiveState.LiveNsg> nsgs = new ArrayList<>();
			for (NetworkSecurityGroupInner nsg : client(subscriptionId).listByResourceGroup(resourceGroup)) {
				List<SecurityRule> rules = new ArrayList<>();
				if (nsg.securityRules() != null) {
					nsg.securityRules().forEach(r -> rules.add(rule(r)));
				}
				nsgs.add(new AzureLiveState.LiveNsg(nsg.id(), nsg.name(), nsg.location(),
						nsg.tags() == null ? Map.of() : nsg.tags(), rules));
			}
			return new AzureLiveState(subscriptionId, resourceGroup, nsgs);
		}
		catch (ManagementException e) {
			if (e.getValue() != null && RESOURCE_GROUP_NOT_FOUND.equals(e.getValue().getCode())) {
				throw new ScopeNotFoundException(
						"resource group " + resourceGroup + " does not exist in subscription " + subscriptionId);
			}
			throw new CloudAccessException(
					"reading the NSGs of resource group " + resourceGroup + " failed: " + e.getMessage(), e);
		}
		catch (RuntimeException e) {
			throw new CloudAccessException(
					"reading the NSGs of resource group " + resourceGroup + " failed: " + e.getMessage(), e);
		}
	}

	@Override
	public ChangeRunner runner(String subscriptionId, String resourceGroup) {
		NetworkSecurityGroupsClient client = client(subscriptionId);
		return change -> {
			AzureChange.PutNetworkSecurityGroup put = (AzureChange.PutNetworkSecurityGroup) change;
			NetworkSecurityGroupInner nsg = new NetworkSecurityGroupInner().withLocation(put.location())
				.withTags(put.tags())
				.withSecurityRules(put.rules().stream().map(ArmAzureEnvironment::inner).toList());
			try {
				return client.createOrUpdate(resourceGroup, put.name(), nsg).id();
			}
			catch (ManagementException e) {
				String code = e.getValue() == null ? "" : e.getValue().getCode() + ": ";
				throw new IllegalStateException("putting NSG " + put.name() + " in resource group " + resourceGroup
						+ " failed: " + code + e.getMessage(), e);
			}
		};
	}

	private NetworkSecurityGroupsClient client(String subscriptionId) {
		return bySubscription.computeIfAbsent(subscriptionId, managers).serviceClient().getNetworkSecurityGroups();
	}

	/** ARM's rule in the translator's shape. */
	static SecurityRule rule(SecurityRuleInner r) {
		return new SecurityRule(r.name(),
				new SecurityRule.Properties(r.description(), r.priority() == null ? 0 : r.priority(),
						string(r.direction()), string(r.access()), string(r.protocol()),
						blankToNull(r.sourceAddressPrefix()), emptyToNull(r.sourceAddressPrefixes()),
						refs(r.sourceApplicationSecurityGroups()), r.sourcePortRange(),
						blankToNull(r.destinationAddressPrefix()), emptyToNull(r.destinationAddressPrefixes()),
						refs(r.destinationApplicationSecurityGroups()), blankToNull(r.destinationPortRange()),
						emptyToNull(r.destinationPortRanges())));
	}

	/** The translator's rule as ARM's request model. */
	static SecurityRuleInner inner(SecurityRule rule) {
		SecurityRule.Properties p = rule.properties();
		return new SecurityRuleInner().withName(rule.name())
			.withDescription(p.description())
			.withPriority(p.priority())
			.withDirection(SecurityRuleDirection.fromString(p.direction()))
			.withAccess(SecurityRuleAccess.fromString(p.access()))
			.withProtocol(SecurityRuleProtocol.fromString(p.protocol()))
			.withSourceAddressPrefix(p.sourceAddressPrefix())
			.withSourceAddressPrefixes(p.sourceAddressPrefixes())
			.withSourceApplicationSecurityGroups(asgs(p.sourceApplicationSecurityGroups()))
			.withSourcePortRange(p.sourcePortRange())
			.withDestinationAddressPrefix(p.destinationAddressPrefix())
			.withDestinationAddressPrefixes(p.destinationAddressPrefixes())
			.withDestinationApplicationSecurityGroups(asgs(p.destinationApplicationSecurityGroups()))
			.withDestinationPortRange(p.destinationPortRange())
			.withDestinationPortRanges(p.destinationPortRanges());
	}

	private static List<ApplicationSecurityGroupInner> asgs(List<SecurityRule.ApplicationSecurityGroupRef> refs) {
		return refs == null ? null
				: refs.stream()
					.map(r -> (ApplicationSecurityGroupInner) new ApplicationSecurityGroupInner().withId(r.id()))
					.toList();
	}

	private static List<SecurityRule.ApplicationSecurityGroupRef> refs(List<ApplicationSecurityGroupInner> asgs) {
		return asgs == null || asgs.isEmpty() ? null
				: asgs.stream().map(a -> new SecurityRule.ApplicationSecurityGroupRef(a.id())).toList();
	}

	private static String string(Object value) {
		return value == null ? null : value.toString();
	}

	private static String blankToNull(String value) {
		return value == null || value.isEmpty() ? null : value;
	}

	private static <T> List<T> emptyToNull(List<T> list) {
		return list == null || list.isEmpty() ? null : list;
	}

}
