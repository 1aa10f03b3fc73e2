package dev.polyfence.cloud.aws;

/**
 * The VPC to read or change does not exist (or is not visible with these credentials in
 * this region).
 */
public final class VpcNotFound extends Ec2OperationException {

	private final String vpcId;

	public VpcNotFound(String vpcId, String message, Throwable cause) {
		super(Kind.NOT_FOUND, Ec2ErrorCodes.INVALID_VPC_ID_NOT_FOUND, vpcId, message, cause);
		this.vpcId = vpcId;
	}

	public String vpcId() {
		return vpcId;
	}

}
