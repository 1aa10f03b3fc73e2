package dev.polyfence.policy;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Port and port-range text as the documents write it: "N" or "N-M", within 0-65535, N at
 * most M.
 */
final class Ports {

	/** The shape the schema checks; the numbers are checked here. */
	static final String SHAPE = "^[0-9]+(-[0-9]+)?$";

	private static final Pattern SHAPE_PATTERN = Pattern.compile(SHAPE);

	private Ports() {
	}

	/** The range a valid text names; call only on text that {@link #problem} accepts. */
	static PortRange parse(String text) {
		int dash = text.indexOf('-');
		return dash < 0 ? PortRange.of(Integer.parseInt(text))
				: new PortRange(Integer.parseInt(text.substring(0, dash)), Integer.parseInt(text.substring(dash + 1)));
	}

	/** What is wrong with the text as a port or range, or empty when it is fine. */
	static Optional<String> problem(String text) {
		if (!SHAPE_PATTERN.matcher(text).matches()) {
			return Optional.of(shape(text));
		}
		int dash = text.indexOf('-');
		if (dash < 0) {
			return tooBig(text).map(p -> "port " + text + " is not within 0-" + PortRange.MAX);
		}
		String from = text.substring(0, dash);
		String to = text.substring(dash + 1);
		Optional<String> big = tooBig(from).or(() -> tooBig(to));
		if (big.isPresent()) {
			return Optional
				.of("port range " + text + " is not within 0-" + PortRange.MAX + ": " + big.get() + " is too big");
		}
		if (Integer.parseInt(from) > Integer.parseInt(to)) {
			return Optional.of("port range " + text + " runs backwards; did you mean " + Integer.parseInt(to) + "-"
					+ Integer.parseInt(from) + "?");
		}
		return Optional.empty();
	}

	/** The message for text that is not "N" or "N-M" at all. */
	static String shape(String text) {
		return "'" + text + "' is not a port or port range: write \"N\" or \"N-M\" with N and M in 0-" + PortRange.MAX
				+ ", such as \"443\" or \"8080-8081\"";
	}

	private static Optional<String> tooBig(String number) {
		boolean big = number.length() > 5 || Integer.parseInt(number) > PortRange.MAX;
		return big ? Optional.of(number) : Optional.empty();
	}

}
