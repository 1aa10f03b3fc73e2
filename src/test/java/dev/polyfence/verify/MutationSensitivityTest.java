package dev.polyfence.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.Target;
import dev.polyfence.translate.aws.AwsOutput;
import dev.polyfence.translate.aws.AwsTranslator;
import dev.polyfence.translate.aws.NetworkAcl;
import dev.polyfence.translate.aws.SecurityGroup;
import dev.polyfence.translate.azure.AzureOutput;
import dev.polyfence.translate.azure.AzureTranslator;
import dev.polyfence.translate.azure.NetworkSecurityGroup;
import dev.polyfence.translate.azure.SecurityRule;
import dev.polyfence.translate.gcp.Firewall;
import dev.polyfence.translate.gcp.GcpOutput;
import dev.polyfence.translate.gcp.GcpTranslator;
import dev.polyfence.translate.Translation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The property tests have teeth: real translations, each broken in one small way, are
 * caught on a good share of seeds. (A mutation can be harmless for one policy, or touch a
 * rule that the flows of that seed happen to miss, so not every seed need catch it.)
 */
class MutationSensitivityTest {

	private static final int SEEDS = 40;

	private static final int FLOWS = 200;

	@Test
	void flippingTheFirstGcpFirewallIsCaught() {
		UnaryOperator<GcpOutput> flip = out -> {
			List<Firewall> firewalls = new ArrayList<>(out.firewalls());
			Firewall f = firewalls.get(0);
			firewalls.set(0,
					new Firewall(f.name(), f.description(), f.network(), f.priority(), f.direction(), f.denied(),
							f.allowed(), f.sourceRanges(), f.destinationRanges(), f.sourceTags(),
							f.sourceServiceAccounts(), f.targetTags(), f.targetServiceAccounts(), f.logConfig()));
			return new GcpOutput(firewalls);
		};
		assertThat(caught(Target.GCP, (p, b) -> new GcpTranslator().translate(p, b), flip, GcpEvaluator::new))
			.isGreaterThanOrEqualTo(SEEDS / 4);
	}

	@Test
	void flippingTheFirstRuleOfEveryNsgIsCaught() {
		UnaryOperator<AzureOutput> flip = out -> new AzureOutput(out.networkSecurityGroups().stream().map(nsg -> {
			List<SecurityRule> rules = new ArrayList<>(nsg.properties().securityRules());
			SecurityRule r = rules.get(0);
			SecurityRule.Properties p = r.properties();
			rules.set(0, new SecurityRule(r.name(), new SecurityRule.Properties(p.description(), p.priority(),
					p.direction(), p.access().equals("Allow") ? "Deny" : "Allow", p.protocol(), p.sourceAddressPrefix(),
					p.sourceAddressPrefixes(), p.sourceApplicationSecurityGroups(), p.sourcePortRange(),
					p.destinationAddressPrefix(), p.destinationAddressPrefixes(),
					p.destinationApplicationSecurityGroups(), p.destinationPortRange(), p.destinationPortRanges())));
			return new NetworkSecurityGroup(nsg.group(), nsg.name(), nsg.location(),
					new NetworkSecurityGroup.Properties(rules));
		}).toList());
		assertThat(caught(Target.AZURE, (p, b) -> new AzureTranslator().translate(p, b), flip, AzureEvaluator::new))
			.isGreaterThanOrEqualTo(SEEDS / 4);
	}

	@Test
	void droppingTheFirstIngressPermissionOrAclEntryIsCaught() {
		UnaryOperator<AwsOutput> drop = out -> new AwsOutput(
				out.securityGroups()
					.stream()
					.map(sg -> new SecurityGroup(sg.group(), sg.groupName(), sg.description(), sg.vpcId(),
							sg.ipPermissions().isEmpty() ? sg.ipPermissions()
									: sg.ipPermissions().subList(1, sg.ipPermissions().size()),
							sg.ipPermissionsEgress()))
					.toList(),
				out.networkAcls()
					.stream()
					.map(acl -> new NetworkAcl(acl.group(), acl.vpcId(), acl.subnetIds(),
							acl.entries().isEmpty() ? acl.entries() : acl.entries().subList(1, acl.entries().size())))
					.toList());
		assertThat(caught(Target.AWS, (p, b) -> new AwsTranslator().translate(p, b), drop, AwsEvaluator::new))
			.isGreaterThanOrEqualTo(SEEDS / 4);
	}

	/**
	 * On how many seeds the mutated translation disagrees with the policy on some flow.
	 */
	private static <T> int caught(Target target, BiFunction<Policy, Bindings, Translation<T>> translator,
			UnaryOperator<T> mutation, Equivalence.EvaluatorFactory<T> factory) {
		int caught = 0;
		for (long seed = 500; seed < 500 + SEEDS; seed++) {
			PolicyGenerator.Generated g = new PolicyGenerator(seed).generate();
			Translation<T> translation = translator.apply(g.policy(), g.bindings());
			CloudEvaluator evaluator = factory.create(g.policy(), g.bindings(), mutation.apply(translation.output()));
			List<Flow> flows = new FlowGenerator(g.policy(), FlowGenerator.awsCidrs(g.bindings()), seed).flows(FLOWS);
			if (!Equivalence.compare(g.policy(), target, translation.findings(), evaluator, flows)
				.mismatches()
				.isEmpty()) {
				caught++;
			}
		}
		return caught;
	}

}
