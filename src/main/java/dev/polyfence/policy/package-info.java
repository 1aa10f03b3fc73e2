/**
 * The neutral policy model (spec sections 1 and 3) and
 * {@link dev.polyfence.policy.DocumentParser}, which reads policy documents, bindings
 * documents and request bodies into it.
 *
 * <p>
 * Decisions the spec leaves open, taken here:
 * <ul>
 * <li>A document starting with '{' or '[' is read as JSON first (YAML flow style falls
 * back to YAML); anything else is YAML. A request body is JSON or YAML as its caller
 * says.</li>
 * <li>Limits: 2 MiB (2,097,152 characters), 64 levels of nesting, 50 YAML aliases, 10,000
 * values reached through aliases. Aliases of lists and mappings are expanded; aliases of
 * single values are refused (Jackson's YAML parser does not report scalar anchors). One
 * document per text.</li>
 * <li>Duplicate keys are INVALID problems (with the pointer), not SYNTAX, so they come
 * with the rest.</li>
 * <li>Problems are sorted by pointer segment by segment, array indices numerically
 * (/rules/2 before /rules/10), then by message. A missing required field is reported at
 * the object that lacks it.</li>
 * <li>When a value breaks the schema, the semantic checks say nothing more about that
 * same value.</li>
 * <li>{@code spec.groups} is required and non-empty; {@code spec.rules} may be left out
 * (defaults only). {@code appliesTo} is required. An empty {@code services} or
 * {@code ports} list is an error: leave it out to mean all traffic or every port.</li>
 * <li>CIDR blocks: dotted-decimal IPv4 without leading zeros, or IPv6 without zone; a
 * prefix length is required ("10.0.0.1" is refused with "did you mean 10.0.0.1/32"); host
 * bits must be zero.</li>
 * <li>A JSON Schema integer is any number with a zero fraction, so protocol 6.0 is
 * protocol 6.</li>
 * <li>Standalone bindings may name any group; only a request, which has the policy too,
 * checks that bound groups are declared. In a request, {@code bindings: null} and
 * {@code targets: null} mean absent.</li>
 * </ul>
 */
package dev.polyfence.policy;
