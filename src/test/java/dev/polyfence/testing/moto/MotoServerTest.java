package dev.polyfence.testing.moto;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/**
 * The harness itself: finding moto, resetting it, and the proxy's faults and pages (with
 * raw Query calls).
 */
@WithMoto
class MotoServerTest {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	/**
	 * moto picks the service from the credential scope of the Authorization header; it
	 * checks no signature.
	 */
	private static final String EC2_AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=test/20260101/" + MotoServer.REGION
			+ "/ec2/aws4_request, SignedHeaders=host, Signature=0";

	private static HttpResponse<String> query(URI endpoint, String form) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(endpoint)
			.header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
			.header("Authorization", EC2_AUTHORIZATION)
			.POST(HttpRequest.BodyPublishers.ofString(form + "&Version=2016-11-15", StandardCharsets.UTF_8))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void resetForgetsEverything(MotoServer moto) throws Exception {
		query(moto.endpoint(), "Action=CreateVpc&CidrBlock=10.9.0.0%2F16");
		assertThat(query(moto.endpoint(), "Action=DescribeVpcs").body()).contains("10.9.0.0/16");

		moto.reset();

		assertThat(query(moto.endpoint(), "Action=DescribeVpcs").body()).doesNotContain("10.9.0.0/16");
	}

	@Test
	void theProxyAnswersWithFaultsThenForwards(URI endpoint) throws Exception {
		try (MotoProxy proxy = MotoProxy.to(endpoint).failNext(2, MotoProxy.Fault.THROTTLE)) {
			HttpResponse<String> first = query(proxy.endpoint(), "Action=DescribeVpcs");
			query(proxy.endpoint(), "Action=DescribeVpcs");
			HttpResponse<String> third = query(proxy.endpoint(), "Action=DescribeVpcs");

			assertThat(first.statusCode()).isEqualTo(503);
			assertThat(first.body()).contains("<Code>RequestLimitExceeded</Code>");
			assertThat(third.statusCode()).isEqualTo(200);
			assertThat(proxy.faultsSent()).isEqualTo(2);
			assertThat(proxy.forwarded()).isEqualTo(1);
		}
	}

	@Test
	void theProxyCutsPagesAndHandsOutTokens(URI endpoint) throws Exception {
		for (int i = 1; i <= 7; i++) {
			query(endpoint, "Action=CreateVpc&CidrBlock=10." + i + ".0.0%2F16");
		}
		try (MotoProxy proxy = MotoProxy.to(endpoint).paginate()) {
			String first = query(proxy.endpoint(), "Action=DescribeVpcs&MaxResults=5").body();
			String second = query(proxy.endpoint(), "Action=DescribeVpcs&MaxResults=5&NextToken=5").body();

			assertThat(first.split("<vpcId>", -1)).hasSize(6);
			assertThat(first).contains("<nextToken>5</nextToken>");
			// 7 VPCs and moto's default one
			assertThat(second.split("<vpcId>", -1)).hasSize(4);
			assertThat(second).doesNotContain("nextToken");
		}
	}

	@Test
	@ResourceLock(Resources.SYSTEM_PROPERTIES)
	void anExplicitCommandThatIsMissingIsReportedWithWhereItLooked() {
		String before = System.getProperty(MotoServer.COMMAND_PROPERTY);
		System.setProperty(MotoServer.COMMAND_PROPERTY, "/nonexistent/moto_server");
		try {
			List<String> tried = new ArrayList<>();
			assertThat(MotoServer.findCommand(tried)).isEmpty();
			assertThat(tried).containsExactly("/nonexistent/moto_server");
			assertThat(MotoServer.INSTALL_HINT).contains("scripts/install-moto.sh");
		}
		finally {
			if (before == null) {
				System.clearProperty(MotoServer.COMMAND_PROPERTY);
			}
			else {
				System.setProperty(MotoServer.COMMAND_PROPERTY, before);
			}
		}
	}

}
