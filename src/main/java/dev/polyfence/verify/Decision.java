package dev.polyfence.verify;

/**
 * What the policy decides for a flow. {@code ingressRule} and {@code egressRule} name the
 * rules that decided each side; null when the default decided, or when that side is an
 * outside address and so was not judged.
 */
public record Decision(boolean allowed, String ingressRule, String egressRule) {
}
