package dev.polyfence.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.app.ApplyRecord;
import dev.polyfence.app.ApplyService;
import dev.polyfence.app.Clouds;
import dev.polyfence.app.Plan;
import dev.polyfence.app.PlanService;
import dev.polyfence.app.TranslationService;
import dev.polyfence.policy.DocumentParser;
import dev.polyfence.policy.PolicyRequest;
import dev.polyfence.testing.db.Stores;
import dev.polyfence.testing.moto.MotoServer;
import dev.polyfence.testing.moto.WithMoto;
import dev.polyfence.translate.Severity;
import dev.polyfence.translate.Target;
import dev.polyfence.translate.Translation;
import dev.polyfence.translate.aws.AwsOutput;
import dev.polyfence.translate.aws.AwsTranslator;
import dev.polyfence.translate.aws.IpPermission;
import dev.polyfence.translate.aws.NetworkAcl;
import dev.polyfence.translate.aws.NetworkAclEntry;
import dev.polyfence.translate.aws.SecurityGroup;
import dev.polyfence.verify.PolicyDocument;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The storefront of issue 9 (src/test/resources/policies/storefront.yaml) is what an AWS
 * expert would write: exact, small security groups and network ACLs; and a small edit of
 * it, once applied to moto's EC2, plans a handful of changes, applies, and re-plans
 * empty.
 */
@WithMoto
class StorefrontMotoTest {

	private static final int SECURITY_GROUP_SIDE_MAX = 8;

	private static final int ACL_SIDE_MAX = 10;

	private static final int EDIT_CHANGES_MAX = 10;

	private Ec2Client ec2;

	private Stores stores;

	private PlanService plans;

	private ApplyService applies;

	private String vpcId;

	private List<String> subnets;

	@BeforeEach
	void setUp() {
		Ec2ClientSettings settings = Ec2AdapterMotoTest.motoSettings(MotoServer.shared());
		ec2 = Ec2Clients.create(settings);
		vpcId = ec2.createVpc(v -> v.cidrBlock("10.40.0.0/16")).vpc().vpcId();
		subnets = List
			.of("10.40.1.0/24", "10.40.2.0/24", "10.40.11.0/24", "10.40.12.0/24", "10.40.21.0/24", "10.40.22.0/24")
			.stream()
			.map(cidr -> ec2.createSubnet(s -> s.vpcId(vpcId).cidrBlock(cidr)).subnet().subnetId())
			.toList();
		stores = Stores.h2(Clock.systemUTC());
		DocumentParser parser = new DocumentParser();
		Clouds clouds = Clouds.aws(new Ec2AwsEnvironment(region -> settings));
		plans = new PlanService(parser, new TranslationService(), clouds, stores.plans(), stores.audit(),
				Clock.systemUTC(), Duration.ofHours(1));
		applies = new ApplyService(parser, new TranslationService(), clouds, stores.plans(), stores.locks(),
				stores.audit(), Clock.systemUTC(), "test");
	}

	@AfterEach
	void tearDown() {
		stores.locks().close();
		ec2.close();
	}

	@Test
	void translationIsExactAndSmall() {
		PolicyRequest request = request(storefront());
		Translation<AwsOutput> translation = new AwsTranslator().translate(request.policy(), request.bindings());

		assertThat(translation.findings()).filteredOn(f -> f.target() == Target.AWS)
			.noneMatch(f -> f.severity() != Severity.INFO);
		for (SecurityGroup sg : translation.output().securityGroups()) {
			for (List<IpPermission> side : List.of(sg.ipPermissions(), sg.ipPermissionsEgress())) {
				assertThat(count(side, true)).as("%s IPv4: %s", sg.group(), side)
					.isLessThanOrEqualTo(SECURITY_GROUP_SIDE_MAX);
				assertThat(count(side, false)).as("%s IPv6: %s", sg.group(), side)
					.isLessThanOrEqualTo(SECURITY_GROUP_SIDE_MAX);
			}
		}
		assertThat(translation.output().networkAcls()).hasSize(3);
		for (NetworkAcl acl : translation.output().networkAcls()) {
			for (boolean egress : new boolean[] { false, true }) {
				for (boolean v6 : new boolean[] { false, true }) {
					List<NetworkAclEntry> side = acl.entries()
						.stream()
						.filter(e -> e.egress() == egress && e.isIpv6() == v6)
						.toList();
					assertThat(side.size() + 1).as("%s: %s", acl.group(), side).isLessThanOrEqualTo(ACL_SIDE_MAX);
				}
			}
		}
	}

	private static long count(List<IpPermission> side, boolean ipv4) {
		return side.stream()
			.mapToLong(p -> (ipv4 ? p.ipRanges().size() : p.ipv6Ranges().size()) + p.userIdGroupPairs().size())
			.sum();
	}

	private static String storefront() {
		try (InputStream in = StorefrontMotoTest.class.getResourceAsStream("/policies/storefront.yaml")) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The storefront for AWS only, in this test's VPC and subnets. */
	private PolicyRequest request(String text) {
		String aws = text.substring(0, text.indexOf("  azure:"))
			.replace("eu-west-1", MotoServer.REGION)
			.replace("vpc-0f5e7a1b2c3d4e5f6", vpcId);
		String[] ids = { "subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60011",
				"subnet-0a1b2c3d4e5f60012", "subnet-0a1b2c3d4e5f60021", "subnet-0a1b2c3d4e5f60022" };
		for (int i = 0; i < ids.length; i++) {
			aws = aws.replace(ids[i], subnets.get(i));
		}
		return new DocumentParser().parseRequest(aws + "targets: [aws]\n", true);
	}

}
