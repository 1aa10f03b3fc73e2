/**
 * A fake of the Compute Engine v1 firewall API for tests (no emulator exists), and the
 * tests that hold it to what the real API and the real Java client
 * ({@code google-cloud-compute}, {@code FirewallsClient}) do.
 *
 * <p>
 * Use: <pre>{@code
 * try (ComputeFirewallFake fake = ComputeFirewallFake.start();
 *      FirewallsClient client = GceClients.client(fake)) {
 *     client.insertAsync("my-project", firewall).get();       // DONE at once (runningPolls 0)
 *     fake.firewall("my-project", "web-https");                // direct reads; seed(...) to set up
 *     fake.setRunningPolls(1);                                 // RUNNING once, DONE on the first poll
 *     fake.failNext(1, 503);                                   // the next request answers 503
 *     fake.failNextOperation(403, "QUOTA_EXCEEDED", "...");    // the next operation ends in an error
 *     fake.setFirewallQuota(100);                              // 403 quotaExceeded past 100 rules
 *     fake.requests();                                         // what the client sent
 *     fake.reset();
 * }
 * }</pre>
 *
 * <p>
 * Known differences from the real API: changes are made when a mutation is accepted, not
 * when its operation is DONE; {@code filter} and {@code orderBy} other than {@code name}
 * are refused rather than implemented; networks are not checked to exist;
 * {@code logConfig.metadata} gets no server default when logging is enabled (the default
 * is not documented where we looked); error messages are close to, not copies of, the
 * real ones; only the global firewall and operation paths are served (no
 * {@code testIamPermissions}, {@code aggregated}, {@code getEffectiveFirewalls}).
 */
package dev.polyfence.testing.gce;
