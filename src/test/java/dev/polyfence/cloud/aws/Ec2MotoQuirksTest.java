package dev.polyfence.cloud.aws;

import static dev.polyfence.cloud.aws.Permissions.cidrs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyfence.cloud.aws.Ec2OperationException.Kind;
import dev.polyfence.plan.aws.AwsChange;
import dev.polyfence.plan.aws.AwsLiveState.LiveRule;
import dev.polyfence.testing.moto.MotoServer;
import dev.polyfence.testing.moto.WithMoto;
import dev.polyfence.translate.aws.NetworkAclEntry;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Where moto (5.2.x) differs from AWS, pinned down so that a moto upgrade that fixes one
 * shows up here, and so that nobody relies on moto for these. What AWS does instead is in
 * each name.
 */
@WithMoto
class Ec2MotoQuirksTest {

	private Ec2Client ec2;

	private TestVpc vpc;

	private Ec2ChangeExecutor executor;

	@BeforeEach
	void start(MotoServer moto) {
		ec2 = Ec2Clients.create(Ec2AdapterMotoTest.motoSettings(moto));
		vpc = TestVpc.create(ec2);
		executor = new Ec2ChangeExecutor(ec2, vpc.vpcId(), Map.of(), Map.of(), Map.of());
	}

	@AfterEach
	void stop() {
		ec2.close();
	}

	private List<LiveRule> ingress(String groupName) {
		return new Ec2LiveStateReader(ec2).read(vpc.vpcId())
			.securityGroupNamed(groupName)
			.orElseThrow()
			.rules()
			.stream()
			.filter(r -> !r.egress())
			.toList();
	}

	@Test
	void theDefaultGroupHasNoSelfReferencingIngressRuleWhereAwsHasOne() {
		assertThat(ingress("default")).isEmpty();
	}

	@Test
	void aFailedAuthorizeKeepsThePermissionsBeforeTheFailingOneWhereAwsAddsNone() {
		executor.execute(new AwsChange.CreateSecurityGroup("web", "shop-web", "web", Map.of()));
		executor.execute(new AwsChange.AuthorizeRules("web", false, List.of(cidrs("tcp", 443, 443, "10.1.0.0/16"))));

		assertThatThrownBy(() -> executor.execute(new AwsChange.AuthorizeRules("web", false,
				List.of(cidrs("tcp", 80, 80, "10.1.0.0/16"), cidrs("tcp", 443, 443, "10.1.0.0/16")))))
			.isInstanceOfSatisfying(Ec2OperationException.class, e -> assertThat(e.kind()).isEqualTo(Kind.DUPLICATE));
		assertThat(ingress("shop-web")).extracting(LiveRule::fromPort).containsExactlyInAnyOrder(443, 80);
	}

	@Test
	void theRuleLimitIsCheckedAfterAddingWhereAwsRefusesTheWholeCall() {
		executor.execute(new AwsChange.CreateSecurityGroup("web", "shop-web", "web", Map.of()));

		assertThatThrownBy(() -> executor.execute(new AwsChange.AuthorizeRules("web", false,
				IntStream.rangeClosed(1, 61).mapToObj(p -> cidrs("tcp", p, p, "10.1.0.0/16")).toList())))
			.isInstanceOfSatisfying(Ec2OperationException.class,
					e -> assertThat(e.kind()).isEqualTo(Kind.LIMIT_EXCEEDED));
		assertThat(ingress("shop-web")).hasSize(60);
	}

	@Test
	void aNonCanonicalCidrIsANewRuleWhereAwsCallsItADuplicate() {
		executor.execute(new AwsChange.CreateSecurityGroup("web", "shop-web", "web", Map.of()));
		executor.execute(new AwsChange.AuthorizeRules("web", false, List.of(cidrs("tcp", 443, 443, "10.1.0.0/16"))));

		executor.execute(new AwsChange.AuthorizeRules("web", false, List.of(cidrs("tcp", 443, 443, "10.1.0.7/16"))));

		assertThat(ingress("shop-web")).extracting(LiveRule::cidrIpv4)
			.containsExactlyInAnyOrder("10.1.0.0/16", "10.1.0.7/16");
	}

	@Test
	void authorizeReportsOnlyTheLastRuleItCreatedWhereAwsReportsAll() {
		executor.execute(new AwsChange.CreateSecurityGroup("web", "shop-web", "web", Map.of()));

		ChangeResult result = executor.execute(new AwsChange.AuthorizeRules("web", false,
				List.of(cidrs("tcp", 443, 443, "10.1.0.0/16", "10.2.0.0/16"), cidrs("tcp", 80, 80, "10.1.0.0/16"))));

		assertThat(ingress("shop-web")).hasSize(3);
		assertThat(result.ruleIds()).hasSize(1);
	}

	/**
	 * Why the executor checks that an entry exists before replacing or deleting it (it
	 * refuses such a call itself, as not found).
	 */
	@Test
	void replacingOrDeletingAMissingNetworkAclEntryIsHttp500WhereAwsSaysNotFound() {
		String aclId = executor.execute(new AwsChange.CreateNetworkAcl("web", Map.of())).createdId();
		NetworkAclEntry missing = Permissions.all(999, false, "allow", "0.0.0.0/0");

		assertThatThrownBy(() -> ec2.deleteNetworkAclEntry(r -> r.networkAclId(aclId).ruleNumber(999).egress(false)))
			.isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
		assertThatThrownBy(() -> ec2.replaceNetworkAclEntry(Ec2Requests.replaceEntry(aclId, missing)))
			.isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
	}

}
