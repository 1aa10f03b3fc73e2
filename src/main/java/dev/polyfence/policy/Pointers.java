package dev.polyfence.policy;

import java.util.Comparator;

/**
 * JSON Pointers (RFC 6901) as plain strings: building them, and ordering them as a reader
 * expects.
 */
final class Pointers {

	/**
	 * Segment by segment; two numeric segments (array indices) compare as numbers, so
	 * /rules/2 precedes /rules/10.
	 */
	static final Comparator<String> ORDER = Pointers::compare;

	private Pointers() {
	}

	static String child(String parent, String key) {
		return parent + "/" + key.replace("~", "~0").replace("/", "~1");
	}

	static String child(String parent, int index) {
		return parent + "/" + index;
	}

	private static int compare(String a, String b) {
		String[] left = a.split("/", -1);
		String[] right = b.split("/", -1);
		for (int i = 0; i < Math.min(left.length, right.length); i++) {
			int c = compareSegment(left[i], right[i]);
			if (c != 0) {
				return c;
			}
		}
		return Integer.compare(left.length, right.length);
	}

	private static int compareSegment(String a, String b) {
		if (isIndex(a) && isIndex(b)) {
			int c = Integer.compare(a.length(), b.length());
			return c != 0 ? c : a.compareTo(b);
		}
		return a.compareTo(b);
	}

	private static boolean isIndex(String segment) {
		if (segment.isEmpty() || (segment.length() > 1 && segment.charAt(0) == '0')) {
			return false;
		}
		for (int i = 0; i < segment.length(); i++) {
			char c = segment.charAt(i);
			if (c < '0' || c > '9') {
				return false;
			}
		}
		return true;
	}

}
