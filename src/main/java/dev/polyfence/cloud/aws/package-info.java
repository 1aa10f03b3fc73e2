/**
 * The AWS edge: reads a VPC's security groups and network ACLs and executes planned
 * changes through the AWS SDK v2 EC2 client. The only package where SDK types appear;
 * what goes in and out is {@code plan.aws} and {@code translate.aws} records and this
 * package's own exceptions, which carry the EC2 error code and say what was being done to
 * which resource.
 */
package dev.polyfence.cloud.aws;
