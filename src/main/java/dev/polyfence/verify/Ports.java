package dev.polyfence.verify;

import dev.polyfence.policy.PortRange;

/** Port texts of the clouds: "N" or "N-M", and "*" for all where the cloud has it. */
final class Ports {

	private Ports() {
	}

	/**
	 * @param allowStar whether "*" (all ports) is accepted
	 * @throws IllegalArgumentException naming {@code where} when the text is not a port
	 * range
	 */
	static PortRange parse(String text, boolean allowStar, String where) {
		if (text == null) {
			throw new IllegalArgumentException(where + ": port range is missing");
		}
		String t = text.trim();
		if (allowStar && t.equals("*")) {
			return PortRange.ALL;
		}
		int dash = t.indexOf('-');
		try {
			if (dash < 0) {
				return PortRange.of(number(t));
			}
			return new PortRange(number(t.substring(0, dash)), number(t.substring(dash + 1)));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(where + ": \"" + text + "\" is not a port or port range", ex);
		}
	}

	private static int number(String digits) {
		if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || digits.length() > 5) {
			throw new IllegalArgumentException("not a port number: " + digits);
		}
		return Integer.parseInt(digits);
	}

}
