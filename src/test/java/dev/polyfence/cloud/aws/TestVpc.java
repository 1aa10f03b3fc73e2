package dev.polyfence.cloud.aws;

import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** A VPC with two subnets, made with the SDK directly, for tests. */
record TestVpc(String vpcId, List<String> subnetIds) {

	static TestVpc create(Ec2Client ec2) {
		String vpcId = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
		String a = ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock("10.0.1.0/24")).subnet().subnetId();
		String b = ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock("10.0.2.0/24")).subnet().subnetId();
		return new TestVpc(vpcId, List.of(a, b));
	}
}
