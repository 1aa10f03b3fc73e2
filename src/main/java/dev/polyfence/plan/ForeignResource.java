package dev.polyfence.plan;

/**
 * A resource in a planned scope that this policy does not manage: reported, never
 * touched.
 */
public record ForeignResource(String cloud, String resourceType, String id, String name, String reason) {
}
