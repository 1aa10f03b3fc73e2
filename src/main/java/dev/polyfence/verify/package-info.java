/**
 * The proof of correctness: independent evaluators of the neutral semantics (spec section
 * 2) and of each cloud's own evaluation of the emitted objects, over one model of a flow.
 *
 * <p>
 * A {@link dev.polyfence.verify.Flow} goes from one {@link dev.polyfence.verify.Endpoint}
 * to another. {@link dev.polyfence.verify.PolicyEvaluator} says what the policy decides
 * for it; {@link dev.polyfence.verify.AwsEvaluator},
 * {@link dev.polyfence.verify.AzureEvaluator} and
 * {@link dev.polyfence.verify.GcpEvaluator} say what each cloud does with a translation's
 * output objects. The cloud evaluators read only the output records (and the bindings, to
 * know where workloads live); they share no code with the translators, and do their
 * address arithmetic with the IPAddress library directly.
 *
 * <h2>Model assumptions</h2>
 * <ul>
 * <li>A workload of group G has an address inside G's bound {@code cidrs} for the cloud
 * being evaluated. (The generators always bind cidrs, the same blocks in every
 * cloud.)</li>
 * <li>An outside address lies outside every group's bound cidrs.</li>
 * <li>The bound cidrs of different groups do not overlap, so an address names at most one
 * group.</li>
 * <li>A workload of group G carries exactly G's cloud objects: on AWS the one security
 * group whose {@code group} is G, and the network ACL whose {@code group} is G when there
 * is one. Workloads of two groups sit in different subnets, so their packets cross both
 * ACLs; two workloads of one group may share a subnet (no ACL crossed) or not (the ACL
 * crossed both ways), and both cases are judged; on Azure the NSG whose {@code group} is
 * G and membership of G's application security group; on GCP G's target tags or service
 * account.</li>
 * <li>Only new connections are judged; replies are free on stateful filters (security
 * groups, NSGs, GCP firewalls) and must pass the network ACLs on AWS.</li>
 * </ul>
 *
 * <p>
 * Where an output object has no defined meaning (an unknown protocol name, two NACL
 * entries with one rule number, two NSG rules with one priority, a source port range in
 * an NSG rule, a missing peer), the evaluators fail loudly with an
 * {@link java.lang.IllegalArgumentException} naming the object, rather than guess what
 * the cloud would do. Output that only breaks a quota, a numbering band or a naming rule
 * is still evaluated as written: the translator reports those with findings, and a
 * translation always holds its whole result.
 */
package dev.polyfence.verify;
