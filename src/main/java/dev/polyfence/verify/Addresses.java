package dev.polyfence.verify;

import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import java.util.Collection;
import java.util.Objects;

/**
 * Address parsing and containment for the evaluators, on the IPAddress library directly.
 */
final class Addresses {

	/**
	 * Plain dotted or colon notation with an optional prefix length: no inet_aton forms,
	 * masks or wildcards.
	 */
	private static final IPAddressStringParameters STRICT = new IPAddressStringParameters.Builder().allowEmpty(false)
		.allowAll(false)
		.allowSingleSegment(false)
		.allowMask(false)
		.allowPrefixOnly(false)
		.allowWildcardedSeparator(false)
		.setRangeOptions(RangeParameters.NO_RANGE)
		.allow_inet_aton(false)
		.toParams();

	private Addresses() {
	}

	/**
	 * A CIDR block ("10.0.0.0/8") or a single address ("10.0.0.1"), as the block it
	 * covers. Host bits are dropped, as the clouds canonicalise them.
	 * @throws IllegalArgumentException naming {@code where} when the text is not an
	 * address
	 */
	static IPAddress block(String text, String where) {
		if (text == null) {
			throw new IllegalArgumentException(where + ": address is missing");
		}
		IPAddress address = new IPAddressString(text.trim(), STRICT).getAddress();
		if (address == null) {
			throw new IllegalArgumentException(where + ": \"" + text + "\" is not an IP address or CIDR block");
		}
		return address.getNetworkPrefixLength() == null ? address : address.toPrefixBlock();
	}

	/** One address, without a prefix length. */
	static IPAddress single(IPAddress address) {
		Objects.requireNonNull(address, "address");
		if (address.isMultiple()) {
			throw new IllegalArgumentException(address + " is a block, not one address");
		}
		return address.withoutPrefixLength();
	}

	/** One address parsed from text. */
	static IPAddress single(String text) {
		IPAddress address = new IPAddressString(text, STRICT).getAddress();
		if (address == null) {
			throw new IllegalArgumentException("\"" + text + "\" is not an IP address");
		}
		return single(address);
	}

	/** Whether a block holds an address; blocks of the other family hold nothing. */
	static boolean contains(IPAddress block, IPAddress address) {
		return block.getIPVersion() == address.getIPVersion() && block.contains(address);
	}

	static boolean anyContains(Collection<IPAddress> blocks, IPAddress address) {
		for (IPAddress block : blocks) {
			if (contains(block, address)) {
				return true;
			}
		}
		return false;
	}

}
