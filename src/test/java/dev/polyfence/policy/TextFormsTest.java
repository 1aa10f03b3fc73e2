package dev.polyfence.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The CIDR and port texts on their own, and JSON Pointer ordering. */
class TextFormsTest {

	@ParameterizedTest
	@ValueSource(strings = { "10.0.0.0/8", "0.0.0.0/0", "192.0.2.1/32", "2001:db8::/32", "::/0", "2001:DB8:1::/48",
			"fe80::1/128" })
	void canonicalCidrsAreAccepted(String text) {
		assertThat(Cidrs.problem(text)).isEmpty();
		assertThat(Cidrs.parse(text).isPrefixBlock()).isTrue();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "10.0.0.1/8|did you mean 10.0.0.0/8?", "192.168.1.1/16|did you mean 192.168.0.0/16?",
					"2001:db8::1/32|did you mean 2001:db8::/32?", "10.0.0.0/33|the prefix length 33 is more than 32",
					"2001:db8::/129|the prefix length 129 is more than 128", "10.0.0.0|did you mean 10.0.0.0/32",
					"2001:db8::1|did you mean 2001:db8::1/128", "256.0.0.0/8|256.0.0.0 is not an IPv4 or IPv6 address",
					"10.1/16|10.1 is not an IPv4 or IPv6 address", "010.0.0.0/8|is not an IPv4 or IPv6 address",
					"10.0.0.0/08|without leading zeros", "10.0.0.*/24|is not a CIDR block",
					"10.0.0.0-10.0.0.9/24|is not a CIDR block", "fe80::1%eth0/64|is not a CIDR block",
					"hello|is not a CIDR block: write an IPv4" })
	void badCidrsAreExplained(String text, String fragment) {
		Optional<String> problem = Cidrs.problem(text);

		assertThat(problem).hasValueSatisfying(message -> assertThat(message).contains(fragment));
	}

	@Test
	void canonicalFormOfParsedBlocks() {
		assertThat(Cidrs.parse("2001:DB8:1:0::/48").toCanonicalString()).isEqualTo("2001:db8:1::/48");
		assertThat(Cidrs.parse("10.0.0.0/8")).isEqualTo(Fixtures.cidr("10.0.0.0/8"));
	}

	@ParameterizedTest
	@CsvSource({ "0,0,0", "443,443,443", "8080-8081,8080,8081", "0-65535,0,65535", "65535,65535,65535" })
	void goodPorts(String text, int from, int to) {
		assertThat(Ports.problem(text)).isEmpty();
		assertThat(Ports.parse(text)).isEqualTo(new PortRange(from, to));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "65536|port 65536 is not within 0-65535", "99999999999|is not within 0-65535",
					"80-70|runs backwards; did you mean 70-80?", "1-70000|port range 1-70000 is not within 0-65535",
					"-1|is not a port or port range", "80-|is not a port or port range",
					"http|is not a port or port range", "1,2|is not a port or port range" })
	void badPortsAreExplained(String text, String fragment) {
		assertThat(Ports.problem(text)).hasValueSatisfying(message -> assertThat(message).contains(fragment));
	}

	@Test
	void pointersEscapeAndOrderNumerically() {
		assertThat(Pointers.child("/a", "b/c~d")).isEqualTo("/a/b~1c~0d");
		assertThat(Pointers.child("", 3)).isEqualTo("/3");
		assertThat(Pointers.ORDER.compare("/rules/2", "/rules/10")).isNegative();
		assertThat(Pointers.ORDER.compare("/rules/10", "/rules/2/name")).isPositive();
		assertThat(Pointers.ORDER.compare("", "/a")).isNegative();
		assertThat(Pointers.ORDER.compare("/a/b", "/a")).isPositive();
		assertThat(Pointers.ORDER.compare("/groups/web", "/groups/app")).isPositive();
	}

}
