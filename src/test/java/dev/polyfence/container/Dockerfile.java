package dev.polyfence.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The project's Dockerfile read as instructions, enough for tests to check what matters
 * without a Docker engine: continuation lines joined, comments and blank lines dropped,
 * stages split at FROM.
 */
record Dockerfile(List<Stage> stages) {

	/** One instruction: the keyword in upper case and the rest of its (joined) line. */
	record Instruction(String keyword, String arguments) {
	}

	/**
	 * One build stage: its FROM image, its name (after AS) or null, and its instructions
	 * after FROM.
	 */
	record Stage(String image, String name, List<Instruction> instructions) {

		List<Instruction> all(String keyword) {
			return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
		}

		int indexOf(Instruction instruction) {
			return instructions.indexOf(instruction);
		}

		/**
		 * Every ENV variable set in this stage, in the {@code KEY=VALUE} form, quotes
		 * removed.
		 */
		Map<String, String> env() {
			Map<String, String> env = new LinkedHashMap<>();
			for (Instruction i : all("ENV")) {
				Matcher m = ENV_PAIR.matcher(i.arguments());
				while (m.find()) {
					env.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
				}
			}
			return env;
		}
	}

	private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(?:\"([^\"]*)\"|(\\S*))");

	private static final Pattern FROM = Pattern.compile("(?i)(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?");

	static Dockerfile read(Path path) {
		try {
			return parse(Files.readString(path));
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	static Dockerfile parse(String text) {
		List<Stage> stages = new ArrayList<>();
		List<Instruction> current = null;
		StringBuilder line = new StringBuilder();
		for (String raw : text.split("\\R")) {
			String trimmed = raw.strip();
			if (trimmed.isEmpty() || trimmed.startsWith("#")) {
				continue; // Docker drops comment lines even inside a continued
							// instruction
			}
			if (trimmed.endsWith("\\")) {
				line.append(trimmed, 0, trimmed.length() - 1).append(' ');
				continue;
			}
			line.append(trimmed);
			String joined = line.toString().strip();
			line.setLength(0);
			int space = joined.indexOf(' ');
			String keyword = (space < 0 ? joined : joined.substring(0, space)).toUpperCase(Locale.ROOT);
			String arguments = space < 0 ? "" : joined.substring(space + 1).strip();
			if (keyword.equals("FROM")) {
				Matcher m = FROM.matcher(arguments);
				if (!m.matches()) {
					throw new IllegalArgumentException("cannot read FROM " + arguments);
				}
				current = new ArrayList<>();
				stages.add(new Stage(m.group(1), m.group(2), current));
			}
			else if (current == null) {
				throw new IllegalArgumentException(keyword + " before the first FROM");
			}
			else {
				current.add(new Instruction(keyword, arguments));
			}
		}
		return new Dockerfile(List.copyOf(stages));
	}

	Stage last() {
		return stages.get(stages.size() - 1);
	}

	Stage stage(String name) {
		return stages.stream()
			.filter(s -> name.equals(s.name()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no stage named " + name));
	}
}
