package dev.polyfence.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may call the service ({@code polyfence.security.*}): static API tokens, known only
 * by the SHA-256 of their text, and the CI OIDC issuers whose JWTs are accepted, with the
 * claim rules that give their tokens rights. Checked as a whole when bound, so a mistake
 * stops the start with a message naming the property; no message ever repeats a
 * configured hash, in case someone put a token's text there by mistake.
 *
 * @param tokens the API tokens
 * @param jwt the trusted JWT issuers
 */
@ConfigurationProperties("polyfence.security")
record SecuritySettings(List<ApiToken> tokens, Jwt jwt) {

	private static final String PREFIX = "polyfence.security.";

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

	SecuritySettings {
		tokens = tokens == null ? List.of() : List.copyOf(tokens);
		jwt = jwt == null ? new Jwt(List.of()) : jwt;
		checkTokens(tokens);
		checkIssuers(jwt.issuers());
	}

	/**
	 * Nothing configured: the service then makes a bootstrap token (see
	 * {@link BootstrapToken}).
	 */
	boolean isEmpty() {
		return tokens.isEmpty() && jwt.issuers().isEmpty();
	}

	/**
	 * One API token.
	 *
	 * @param name the caller's name ({@code token:<name>} in the service's records)
	 * @param sha256 the hex SHA-256 of the token's text
	 * @param rights what the token may do
	 */
	record ApiToken(String name, String sha256, List<String> rights) {

		ApiToken {
			rights = rights == null ? List.of() : List.copyOf(rights);
		}

		byte[] digest() {
			return HexFormat.of().parseHex(sha256);
		}

		Set<Right> grantedRights() {
			return SecuritySettings.rights(rights);
		}
	}

	/**
	 * @param issuers the trusted issuers of CI OIDC tokens
	 */
	record Jwt(List<Issuer> issuers) {

		Jwt {
			issuers = issuers == null ? List.of() : List.copyOf(issuers);
		}
	}

	/**
	 * One trusted issuer.
	 *
	 * @param issuer the {@code iss} its tokens carry
	 * @param jwkSetUri where its signing keys are; discovered from the issuer when not
	 * given
	 * @param audience the value the tokens' {@code aud} must contain
	 * @param rules which tokens get which rights
	 */
	record Issuer(String issuer, URI jwkSetUri, String audience, List<Rule> rules) {

		Issuer {
			rules = rules == null ? List.of() : List.copyOf(rules);
		}
	}

	/**
	 * A claim rule: a token whose claims all match gets the rights.
	 *
	 * @param claims claim name to expected value; a trailing {@code *} matches any suffix
	 * @param rights the rights given
	 */
	record Rule(Map<String, String> claims, List<String> rights) {

		Rule {
			claims = claims == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(claims));
			rights = rights == null ? List.of() : List.copyOf(rights);
		}

		Set<Right> grantedRights() {
			return SecuritySettings.rights(rights);
		}
	}

	private static void checkTokens(List<ApiToken> tokens) {
		Map<String, Integer> names = new HashMap<>();
		Map<String, Integer> digests = new HashMap<>();
		for (int i = 0; i < tokens.size(); i++) {
			ApiToken token = tokens.get(i);
			String at = PREFIX + "tokens[" + i + "]";
			if (token.name() == null || !NAME.matcher(token.name()).matches()) {
				throw new IllegalArgumentException(at + ".name must be 1 to 64 letters, digits, '.', '_' or '-'");
			}
			Integer twin = names.putIfAbsent(token.name(), i);
			if (twin != null) {
				throw new IllegalArgumentException(
						at + ".name: the name '" + token.name() + "' is already used by tokens[" + twin + "]");
			}
			if (token.sha256() == null || !SHA256_HEX.matcher(token.sha256()).matches()) {
				int length = token.sha256() == null ? 0 : token.sha256().length();
				throw new IllegalArgumentException(at + ".sha256 (token '" + token.name()
						+ "') must be 64 hexadecimal digits, the SHA-256 of the token's text (printf %s \"$TOKEN\" | sha256sum); it has "
						+ length + " characters" + (length == 64 ? ", not all of them hexadecimal digits" : ""));
			}
			twin = digests.putIfAbsent(token.sha256().toLowerCase(Locale.ROOT), i);
			if (twin != null) {
				throw new IllegalArgumentException(at + ".sha256 (token '" + token.name()
						+ "') is the same as that of tokens[" + twin + "]: one token text cannot have two names");
			}
			checkRights(token.rights(), at + ".rights");
		}
	}

	private static void checkIssuers(List<Issuer> issuers) {
		Map<String, Integer> seen = new HashMap<>();
		for (int i = 0; i < issuers.size(); i++) {
			Issuer issuer = issuers.get(i);
			String at = PREFIX + "jwt.issuers[" + i + "]";
			if (issuer.issuer() == null || issuer.issuer().isBlank()) {
				throw new IllegalArgumentException(at + ".issuer is missing (the iss of its tokens, e.g. "
						+ "https://token.actions.githubusercontent.com)");
			}
			URI uri = uri(issuer.issuer(), at + ".issuer");
			if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
				throw new IllegalArgumentException(at + ".issuer '" + issuer.issuer() + "' is not an http(s) URL");
			}
			Integer twin = seen.putIfAbsent(issuer.issuer(), i);
			if (twin != null) {
				throw new IllegalArgumentException(
						at + ".issuer '" + issuer.issuer() + "' is already configured as jwt.issuers[" + twin + "]");
			}
			if (issuer.audience() == null || issuer.audience().isBlank()) {
				throw new IllegalArgumentException(
						at + ".audience is missing (the aud its tokens must carry, e.g. polyfence)");
			}
			if (issuer.rules().isEmpty()) {
				throw new IllegalArgumentException(at + ".rules is empty: the issuer's tokens would get no rights");
			}
			for (int j = 0; j < issuer.rules().size(); j++) {
				checkRule(issuer.rules().get(j), at + ".rules[" + j + "]");
			}
		}
	}

	/**
	 * A rule must pin at least one claim to something narrower than "anything": an issuer
	 * such as GitHub's signs tokens for every repository in the world, with any audience
	 * they ask for.
	 */
	private static void checkRule(Rule rule, String at) {
		if (rule.claims().values().stream().allMatch(v -> v == null || v.isBlank() || v.equals("*"))) {
			throw new IllegalArgumentException(at + ".claims must give at least one claim a value other than '*' "
					+ "(e.g. repository: my-org/my-repo); otherwise every token of the issuer would match");
		}
		rule.claims().forEach((claim, value) -> {
			if (value == null || value.isEmpty()) {
				throw new IllegalArgumentException(at + ".claims." + claim + " has no value");
			}
			if (value.indexOf('*') >= 0 && value.indexOf('*') != value.length() - 1) {
				throw new IllegalArgumentException(
						at + ".claims." + claim + " '" + value + "': '*' is only allowed at the end of a value");
			}
		});
		checkRights(rule.rights(), at + ".rights");
	}

	private static URI uri(String text, String at) {
		try {
			return new URI(text);
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException(at + " '" + text + "' is not a URL: " + ex.getReason());
		}
	}

	private static void checkRights(List<String> rights, String at) {
		if (rights.isEmpty()) {
			throw new IllegalArgumentException(at + " is empty; the rights are " + Right.names());
		}
		List<String> unknown = new ArrayList<>();
		for (String right : rights) {
			if (Right.parse(right).isEmpty()) {
				unknown.add("'" + right + "'");
			}
		}
		if (!unknown.isEmpty()) {
			throw new IllegalArgumentException(
					at + ": unknown right " + String.join(", ", unknown) + "; the rights are " + Right.names());
		}
	}

	private static Set<Right> rights(List<String> names) {
		Set<Right> rights = EnumSet.noneOf(Right.class);
		names.forEach(name -> rights.add(Right.parse(name).orElseThrow()));
		return rights;
	}
}
