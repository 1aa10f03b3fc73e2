package dev.polyfence.plan.azure;

/** One-line descriptions of Azure changes, for apply records and logs. */
public final class AzureChanges {

	private AzureChanges() {
	}

	public static String describe(AzureChange change) {
		AzureChange.PutNetworkSecurityGroup put = (AzureChange.PutNetworkSecurityGroup) change;
		return "put network security group " + put.name() + " of group " + put.group() + " with " + put.rules().size()
				+ " rules";
	}

}
