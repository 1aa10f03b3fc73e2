package dev.polyfence.translate;

/**
 * Every finding code the translators emit, with its severity. The names are a public
 * contract: pipelines match on them, so a code is never renamed or reused.
 */
public enum FindingCode {

	/** A rule opens SSH, RDP or similar administrative ports to every address. */
	RISKY_RULE(Severity.WARNING),
	/**
	 * A cloud cannot express part of a rule exactly; the result errs closed as the
	 * message says.
	 */
	APPROXIMATED(Severity.WARNING),
	/** Per-rule logging was asked for where the cloud only logs per resource. */
	LOG_UNSUPPORTED(Severity.INFO),
	/**
	 * A group has no addresses bound in this cloud; address-based peers are assumed not
	 * to hold its workloads.
	 */
	GROUP_ADDRESSES_UNBOUND(Severity.INFO),
	/**
	 * A group must be named by address here, and no cidrs are bound for it: that part of
	 * the rule is left out.
	 */
	GROUP_UNRESOLVED(Severity.ERROR),
	/**
	 * Two groups' bound addresses overlap, so address-based output cannot tell their
	 * workloads apart.
	 */
	GROUP_ADDRESSES_OVERLAP(Severity.ERROR),
	/** Two groups are bound to the same subnet, which can carry only one network ACL. */
	SUBNET_SHARED(Severity.ERROR),
	/** No bindings for this cloud: default names were used. */
	BINDINGS_MISSING(Severity.INFO),
	/**
	 * A security group has more rules in one direction and address family than the quota.
	 */
	AWS_SG_RULE_QUOTA(Severity.ERROR),
	/**
	 * A security group uses more than 80% of its rules quota in one direction and address
	 * family: the next policy change may not fit.
	 */
	AWS_SG_RULE_QUOTA_NEAR(Severity.WARNING),
	/**
	 * A network ACL has more entries in one direction and address family than the quota.
	 */
	AWS_NACL_ENTRY_QUOTA(Severity.ERROR),
	/**
	 * Part of a deny rule stays in the security group because the network ACL, which is
	 * stateless, would cut off replies of traffic the other direction allows.
	 */
	AWS_NACL_REPLY_OVERLAP(Severity.INFO),
	/**
	 * A network ACL is full: some deny rules stay in the security group, which subtracts
	 * them from its allows.
	 */
	AWS_NACL_BUDGET_FULL(Severity.INFO),
	/** The rule numbers needed do not fit in 1-32766. */
	AWS_NACL_RULE_NUMBERS(Severity.ERROR),
	/** An NSG holds more rules than Azure allows. */
	AZURE_NSG_RULE_QUOTA(Severity.ERROR),
	/** An NSG holds more source or destination prefixes than Azure allows. */
	AZURE_NSG_PREFIX_QUOTA(Severity.ERROR),
	/** An NSG references more application security groups than Azure allows. */
	AZURE_NSG_ASG_QUOTA(Severity.ERROR),
	/** The rules do not fit in the priority band from priorityBase to 4095. */
	AZURE_PRIORITY_BAND(Severity.ERROR),
	/** The firewall rules do not fit in the priorities from priorityBase to 65533. */
	GCP_PRIORITY_BAND(Severity.ERROR),
	/**
	 * More firewall rules than the smallest per-project quota seen; check the project's
	 * FIREWALLS quota.
	 */
	GCP_FIREWALL_QUOTA(Severity.WARNING),
	/** A generated name was too long or collided and was shortened with a stable hash. */
	NAME_SHORTENED(Severity.INFO),
	/** A name from the bindings breaks the cloud's naming rules. */
	NAME_INVALID(Severity.ERROR);

	private final Severity severity;

	FindingCode(Severity severity) {
		this.severity = severity;
	}

	public Severity severity() {
		return severity;
	}

}
