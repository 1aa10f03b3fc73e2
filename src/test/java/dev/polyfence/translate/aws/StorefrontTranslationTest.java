package dev.polyfence.translate.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.policy.DocumentParser;
import dev.polyfence.policy.PolicyRequest;
import dev.polyfence.translate.Severity;
import dev.polyfence.translate.Target;
import dev.polyfence.translate.Translation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The storefront of issue 9 (src/test/resources/policies/storefront.yaml) is what an AWS
 * expert would write: exact, small security groups and network ACLs; and a small edit of
 * it, once applied to moto's EC2, plans a handful of changes, applies, and re-plans
 * empty.
 */
class StorefrontTranslationTest {

	private static final int SECURITY_GROUP_SIDE_MAX = 8;

	private static final int ACL_SIDE_MAX = 10;

	@Test
	void translationIsExactAndSmall() {
		PolicyRequest request = new DocumentParser().parseRequest(storefront(), true);
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
		try (InputStream in = StorefrontTranslationTest.class.getResourceAsStream("/policies/storefront.yaml")) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
