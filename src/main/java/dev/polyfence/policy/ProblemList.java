package dev.polyfence.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects the problems of one document; hands them out sorted by pointer, then message,
 * without repeats.
 */
final class ProblemList {

	private static final Comparator<Problem> ORDER = Comparator.comparing(Problem::pointer, Pointers.ORDER)
		.thenComparing(Problem::message);

	private final Set<Problem> problems = new LinkedHashSet<>();

	private final Set<String> pointers = new HashSet<>();

	void add(String pointer, String message) {
		problems.add(new Problem(pointer, message));
		pointers.add(pointer);
	}

	void addAll(ProblemList other) {
		other.problems.forEach(p -> add(p.pointer(), p.message()));
	}

	/**
	 * Adds the problems of a later, more specific check, except where an earlier one
	 * already found the value wrong.
	 */
	void addWhereClean(ProblemList other) {
		other.problems.stream()
			.filter(p -> !pointers.contains(p.pointer()))
			.toList()
			.forEach(p -> add(p.pointer(), p.message()));
	}

	boolean isEmpty() {
		return problems.isEmpty();
	}

	List<Problem> sorted() {
		List<Problem> list = new ArrayList<>(problems);
		list.sort(ORDER);
		return List.copyOf(list);
	}

	void throwIfAny() {
		if (!problems.isEmpty()) {
			throw new InvalidDocumentException(InvalidDocumentException.Kind.INVALID, sorted());
		}
	}

}
