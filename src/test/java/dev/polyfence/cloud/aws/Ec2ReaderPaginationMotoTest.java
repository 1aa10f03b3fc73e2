package dev.polyfence.cloud.aws;

import static dev.polyfence.cloud.aws.Permissions.cidrs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.plan.aws.AwsChange;
import dev.polyfence.plan.aws.AwsLiveState;
import dev.polyfence.testing.moto.MotoProxy;
import dev.polyfence.testing.moto.MotoServer;
import dev.polyfence.testing.moto.WithMoto;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The reader follows NextToken through every page. moto ignores MaxResults, so a proxy in
 * front of it cuts its answers into pages of the size asked for.
 */
@WithMoto
class Ec2ReaderPaginationMotoTest {

	private static final int PAGE_SIZE = Ec2LiveStateReader.MIN_PAGE_SIZE;

	@Test
	void readsEveryPageOfGroupsRulesAndAcls(MotoServer moto) {
		try (Ec2Client direct = Ec2Clients.create(Ec2AdapterMotoTest.motoSettings(moto));
				MotoProxy proxy = MotoProxy.to(moto.endpoint()).paginate();
				Ec2Client paged = Ec2Clients
					.create(Ec2AdapterMotoTest.motoSettings(moto).withEndpointOverride(proxy.endpoint()))) {
			TestVpc vpc = TestVpc.create(direct);
			Ec2ChangeExecutor executor = new Ec2ChangeExecutor(direct, vpc.vpcId(), Map.of(), Map.of(), Map.of());
			for (int g = 0; g < 6; g++) {
				String group = "g" + g;
				executor.execute(new AwsChange.CreateSecurityGroup(group, "shop-" + group, "group " + g, Map.of()));
				executor.execute(new AwsChange.AuthorizeRules(group, false,
						IntStream.rangeClosed(1, 7).mapToObj(p -> cidrs("tcp", p, p, "10.1.0.0/16")).toList()));
				executor.execute(new AwsChange.CreateNetworkAcl(group, Map.of("n", group)));
			}

			Ec2LiveStateReader pagedReader = new Ec2LiveStateReader(paged, PAGE_SIZE);
			AwsLiveState viaPages = pagedReader.read(vpc.vpcId());
			AwsLiveState whole = new Ec2LiveStateReader(direct).read(vpc.vpcId());

			assertThat(viaPages).isEqualTo(whole);
			assertThat(viaPages.securityGroups()).hasSize(7);
			assertThat(viaPages.securityGroups().stream().mapToInt(g -> g.rules().size()).sum()).isEqualTo(6 * 8 + 1);
			assertThat(viaPages.networkAcls()).hasSize(7);
			// 1 DescribeVpcs + 2 pages of 7 groups + 10 pages of 49 rules + 2 pages of 7
			// ACLs
			assertThat(pagedReader.apiCalls()).isEqualTo(1 + 2 + 10 + 2);
			assertThat(proxy.pagesCut()).isEqualTo(2 + 10 + 2);
		}
	}

	@Test
	void refusesPageSizesTheApiRefuses() {
		List.of(4, 1001)
			.forEach(size -> org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
				.isThrownBy(() -> new Ec2LiveStateReader(null, size)));
	}

}
