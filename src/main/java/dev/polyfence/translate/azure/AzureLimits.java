package dev.polyfence.translate.azure;

/**
 * Azure limits the translator checks. Sources: Azure networking limits
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits#azure-resource-manager-virtual-networking-limits)
 * and the NSG overview
 * (https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview).
 */
final class AzureLimits {

	/** User rule priorities; the lowest number wins. */
	static final int PRIORITY_MIN = 100;

	static final int PRIORITY_MAX = 4096;

	/**
	 * The policy's defaults sit at the end of the band, made explicit so Azure's own
	 * defaults never decide.
	 */
	static final int DEFAULTS_PRIORITY = PRIORITY_MAX;

	static final int PRIORITY_STEP = 10;

	static final int RULES_PER_NSG = 1000;

	/** Addresses and ranges per NSG, counted separately for source and destination. */
	static final int PREFIXES_PER_NSG_SIDE = 4000;

	/** Application security groups in one rule's source or destination. */
	static final int ASGS_PER_RULE = 10;

	/** Application security groups across all rules of one NSG. */
	static final int ASGS_PER_NSG = 100;

	/**
	 * NSG and rule names: 1-80 characters, a word character first, a word character or
	 * '_' last, then word characters, '.', '-', '_'.
	 */
	static final String NAME_PATTERN = "^\\w([\\w.\\-]{0,78}[\\w_])?$";

	private AzureLimits() {
	}

}
