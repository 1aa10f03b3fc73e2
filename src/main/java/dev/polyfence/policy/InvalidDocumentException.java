package dev.polyfence.policy;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A policy, bindings or request document that cannot be used. {@link Kind#SYNTAX}: the
 * text is not YAML or JSON, or it breaks a size, depth or alias limit; there is one
 * problem, at pointer "". {@link Kind#INVALID}: the text parses but breaks the schema or
 * the semantic rules; every problem is listed, sorted by pointer (array indices in
 * numeric order) and then by message, without repeats.
 */
public class InvalidDocumentException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** Whether the text could not be read at all, or was read and found wrong. */
	public enum Kind {

		SYNTAX, INVALID

	}

	private final Kind kind;

	private final transient List<Problem> problems;

	public InvalidDocumentException(Kind kind, List<Problem> problems) {
		super(summary(kind, problems));
		this.kind = Objects.requireNonNull(kind, "kind");
		this.problems = List.copyOf(problems);
		if (this.problems.isEmpty()) {
			throw new IllegalArgumentException("an invalid document has at least one problem");
		}
	}

	static InvalidDocumentException syntax(String message) {
		return new InvalidDocumentException(Kind.SYNTAX, List.of(new Problem("", message)));
	}

	public Kind kind() {
		return kind;
	}

	public boolean isSyntax() {
		return kind == Kind.SYNTAX;
	}

	public List<Problem> problems() {
		return problems;
	}

	private static String summary(Kind kind, List<Problem> problems) {
		String head = kind == Kind.SYNTAX ? "the document cannot be read" : "the document is invalid";
		return head + ": " + problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
	}

}
