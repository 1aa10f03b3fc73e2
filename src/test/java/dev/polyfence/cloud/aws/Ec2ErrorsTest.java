package dev.polyfence.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.cloud.aws.Ec2OperationException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

class Ec2ErrorsTest {

	@ParameterizedTest
	@CsvSource({ "InvalidPermission.Duplicate, 400, DUPLICATE", "InvalidGroup.Duplicate, 400, DUPLICATE",
			"NetworkAclEntryAlreadyExists, 400, DUPLICATE", "InvalidPermission.NotFound, 400, NOT_FOUND",
			"InvalidSecurityGroupRuleId.NotFound, 400, NOT_FOUND", "InvalidNetworkAclEntry.NotFound, 400, NOT_FOUND",
			"InvalidGroup.NotFound, 400, NOT_FOUND", "RulesPerSecurityGroupLimitExceeded, 400, LIMIT_EXCEEDED",
			"NetworkAclEntryLimitExceeded, 400, LIMIT_EXCEEDED", "RequestLimitExceeded, 503, THROTTLED",
			"InvalidParameterValue, 400, INVALID_REQUEST", "InvalidGroupId.Malformed, 400, INVALID_REQUEST",
			"UnauthorizedOperation, 403, ACCESS_DENIED", "InternalError, 500, SERVICE_ERROR",
			"SomethingNew, 400, OTHER" })
	void classifiesErrorCodes(String code, int status, Kind kind) {
		assertThat(Ec2Errors.kindOf(code, status, false)).isEqualTo(kind);
	}

	@Test
	void classifiesByStatusWhenThereIsNoCode() {
		assertThat(Ec2Errors.kindOf(null, 429, false)).isEqualTo(Kind.THROTTLED);
		assertThat(Ec2Errors.kindOf(null, 502, false)).isEqualTo(Kind.SERVICE_ERROR);
		assertThat(Ec2Errors.kindOf(null, 403, false)).isEqualTo(Kind.ACCESS_DENIED);
		assertThat(Ec2Errors.kindOf(null, 400, false)).isEqualTo(Kind.INVALID_REQUEST);
		assertThat(Ec2Errors.kindOf("Whatever", 400, true)).isEqualTo(Kind.THROTTLED);
	}

	@Test
	void saysWhatWasBeingDoneToWhichResourceAndKeepsTheCode() {
		AwsServiceException sdk = AwsServiceException.builder()
			.statusCode(400)
			.requestId("req-1")
			.awsErrorDetails(AwsErrorDetails.builder()
				.errorCode(Ec2ErrorCodes.INVALID_PERMISSION_DUPLICATE)
				.errorMessage("the specified rule already exists")
				.build())
			.build();

		Ec2OperationException e = Ec2Errors.wrap("authorizing 2 ingress permissions on security group sg-1 (group web)",
				"sg-1", sdk);

		assertThat(e.kind()).isEqualTo(Kind.DUPLICATE);
		assertThat(e.errorCode()).contains("InvalidPermission.Duplicate");
		assertThat(e.resource()).isEqualTo("sg-1");
		assertThat(e.getCause()).isSameAs(sdk);
		assertThat(e.getMessage())
			.isEqualTo("Authorizing 2 ingress permissions on security group sg-1 (group web) failed: "
					+ "InvalidPermission.Duplicate: the specified rule already exists (HTTP 400, request req-1)");
	}

	@Test
	void aClientSideFailureHasNoCode() {
		Ec2OperationException e = Ec2Errors.wrap("describing VPC vpc-1", "vpc-1",
				SdkClientException.create("Unable to execute HTTP request: Connection refused"));

		assertThat(e.kind()).isEqualTo(Kind.CLIENT_ERROR);
		assertThat(e.errorCode()).isEmpty();
		assertThat(e.getMessage())
			.isEqualTo("Describing VPC vpc-1 failed: Unable to execute HTTP request: Connection refused");
	}

}
