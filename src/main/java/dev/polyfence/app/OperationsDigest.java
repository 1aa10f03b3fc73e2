package dev.polyfence.app;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A SHA-256 digest of a list of operations, identical for equal operations in every JVM:
 * each operation is written as JSON with its kind, map keys and properties sorted (the
 * records' own {@code toString} would follow the unspecified order of their immutable
 * maps).
 */
final class OperationsDigest {

	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
		.enable(tools.jackson.databind.MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
		.build();

	private OperationsDigest() {
	}

	/**
	 * {@code order} (for example the waves of a GCP plan) is part of what is digested.
	 */
	static String of(List<?> operations, List<?> order) {
		List<Map<String, Object>> items = new ArrayList<>(operations.size());
		for (Object operation : operations) {
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("kind", operation.getClass().getName());
			item.put("operation", operation);
			items.add(item);
		}
		Map<String, Object> all = new LinkedHashMap<>();
		all.put("operations", items);
		all.put("order", order);
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsBytes(all));
			return HexFormat.of().formatHex(hash);
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("every Java platform has SHA-256", e);
		}
	}

	static String of(List<?> operations) {
		return of(operations, List.of());
	}

}
