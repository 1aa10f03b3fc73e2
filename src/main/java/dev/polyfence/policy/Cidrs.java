package dev.polyfence.policy;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * CIDR blocks as the documents write them: "address/prefix-length", IPv4 or IPv6, with no
 * host bits set. Explains what is wrong with a bad one in words a platform engineer can
 * act on.
 */
final class Cidrs {

	/**
	 * The shape the schemas check (so an editor flags a missing prefix length); the rest
	 * is checked here.
	 */
	static final String SHAPE = "^[0-9A-Fa-f:.]+/[0-9]+$";

	private static final Pattern SHAPE_PATTERN = Pattern.compile(SHAPE);

	/**
	 * For the address part alone (the prefix length is checked here): plain
	 * dotted-decimal IPv4 and colon-hex IPv6 only, no inet_aton forms, leading zeros in
	 * IPv4, wildcards, ranges, masks or zones.
	 */
	private static final IPAddressStringParameters STRICT = new IPAddressStringParameters.Builder().allowEmpty(false)
		.allowAll(false)
		.allowSingleSegment(false)
		.allowMask(false)
		.allowPrefixOnly(false)
		.allowWildcardedSeparator(false)
		.allow_inet_aton(false)
		.getIPv4AddressParametersBuilder()
		.allowLeadingZeros(false)
		.setRangeOptions(RangeParameters.NO_RANGE)
		.getParentBuilder()
		.getIPv6AddressParametersBuilder()
		.allowZone(false)
		.setRangeOptions(RangeParameters.NO_RANGE)
		.getParentBuilder()
		.toParams();

	private Cidrs() {
	}

	/** The block a valid text names; call only on text that {@link #problem} accepts. */
	static IPAddress parse(String text) {
		int slash = text.indexOf('/');
		IPAddress address = slash < 0 ? null : address(text.substring(0, slash));
		if (address == null) {
			throw new IllegalArgumentException(text + " is not a CIDR block");
		}
		return address.toPrefixBlock(Integer.parseInt(text.substring(slash + 1)));
	}

	/**
	 * What is wrong with the text as a CIDR block, or empty when it is a canonical one.
	 */
	static Optional<String> problem(String text) {
		return Optional.ofNullable(check(text).problem());
	}

	/**
	 * The block a text names when it is a canonical CIDR block, else what is wrong with
	 * it: one parse serves the check and the model.
	 */
	record Checked(IPAddress block, String problem) {

		static Checked wrong(String problem) {
			return new Checked(null, problem);
		}

	}

	static Checked check(String text) {
		int slash = text.indexOf('/');
		if (slash < 0) {
			return Checked.wrong(withoutPrefix(text));
		}
		if (!SHAPE_PATTERN.matcher(text).matches()) {
			return Checked.wrong(text + " is not a CIDR block: write an IPv4 or IPv6 address, '/', and a prefix length,"
					+ " such as 10.0.0.0/8 or 2001:db8::/32");
		}
		String address = text.substring(0, slash);
		IPAddress plain = address(address);
		if (plain == null) {
			return Checked.wrong(text + " is not a CIDR block: " + address + " is not an IPv4 or IPv6 address");
		}
		String prefixText = text.substring(slash + 1);
		int max = plain.getBitCount();
		if (prefixText.length() > 3 || Integer.parseInt(prefixText) > max) {
			return Checked.wrong(text + " is not a CIDR block: the prefix length " + prefixText + " is more than " + max
					+ ", the most an " + (plain.isIPv4() ? "IPv4" : "IPv6") + " address has");
		}
		if (prefixText.length() > 1 && prefixText.charAt(0) == '0') {
			return Checked.wrong(text + " is not a CIDR block: write the prefix length without leading zeros");
		}
		int prefix = Integer.parseInt(prefixText);
		IPAddress block = plain.toPrefixBlock(prefix);
		// The host bits are zero (isZeroHost says false for a prefix of every bit, which
		// has no host bits).
		if (prefix < max && !plain.isZeroHost(prefix)) {
			return Checked.wrong(text + " is not a canonical CIDR block: its host bits are set; did you mean "
					+ block.toCanonicalString() + "?");
		}
		return new Checked(block, null);
	}

	private static String withoutPrefix(String text) {
		IPAddress plain = address(text);
		if (plain == null) {
			return "'" + text + "' is not a CIDR block: write an IPv4 or IPv6 address, '/', and a prefix length,"
					+ " such as 10.0.0.0/8 or 2001:db8::/32";
		}
		return text + " is not a CIDR block: it has no prefix length; did you mean " + text + "/" + plain.getBitCount()
				+ " for the single address?";
	}

	private static IPAddress address(String text) {
		try {
			IPAddressString string = new IPAddressString(text, STRICT);
			return string.isPrefixed() ? null : string.toAddress();
		}
		catch (AddressStringException e) {
			return null;
		}
	}

}
