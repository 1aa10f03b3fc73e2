# Two roles, as ECS intends: the execution role is used by the ECS agent to pull the image, write
# logs and read the secrets into the environment; the task role is what the Polyfence process itself
# gets through the container credentials endpoint, and holds only the EC2 calls Polyfence makes.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account   = data.aws_caller_identity.current.account_id
  partition = data.aws_partition.current.partition

  managed_vpc_arns    = [for v in var.managed_vpcs : "arn:${local.partition}:ec2:${v.region}:${local.account}:vpc/${v.vpc_id}"]
  managed_regions     = distinct([for v in var.managed_vpcs : v.region])
  security_group_arns = [for r in local.managed_regions : "arn:${local.partition}:ec2:${r}:${local.account}:security-group/*"]
  network_acl_arns    = [for r in local.managed_regions : "arn:${local.partition}:ec2:${r}:${local.account}:network-acl/*"]
  subnet_arns         = [for r in local.managed_regions : "arn:${local.partition}:ec2:${r}:${local.account}:subnet/*"]

  # The tag keys of dev.polyfence.plan.ManagedTags: Polyfence creates groups and ACLs with exactly
  # these and changes only resources that carry managed-by=polyfence.
  managed_by_tag = "polyfence:managed-by"
  managed_tags   = ["polyfence:managed-by", "polyfence:policy", "polyfence:group"]

  secret_arns         = concat([var.database_password_secret_arn], [for t in var.api_tokens : t.sha256_secret_arn])
  secretsmanager_arns = [for a in local.secret_arns : a if strcontains(a, ":secretsmanager:")]
  ssm_arns            = [for a in local.secret_arns : a if strcontains(a, ":ssm:")]
}

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

# --- execution role -------------------------------------------------------------------------

resource "aws_iam_role" "execution" {
  name               = "${var.name}-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "execution_secrets" {
  dynamic "statement" {
    for_each = length(local.secretsmanager_arns) > 0 ? [1] : []
    content {
      sid       = "ReadSecretsIntoEnvironment"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = local.secretsmanager_arns
    }
  }
  dynamic "statement" {
    for_each = length(local.ssm_arns) > 0 ? [1] : []
    content {
      sid       = "ReadParametersIntoEnvironment"
      actions   = ["ssm:GetParameters"]
      resources = local.ssm_arns
    }
  }
  dynamic "statement" {
    for_each = var.secrets_kms_key_arn == null ? [] : [var.secrets_kms_key_arn]
    content {
      sid       = "DecryptSecrets"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "execution_secrets" {
  name   = "read-polyfence-secrets"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution_secrets.json
}

# --- task role: exactly the EC2 calls of dev.polyfence.cloud.aws ----------------------------

resource "aws_iam_role" "task" {
  name               = "${var.name}-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "task_ec2" {
  # Ec2LiveStateReader: DescribeVpcs (does the VPC exist), then the security groups, their rules and
  # the network ACLs of the VPC. EC2's Describe* calls take no resource-level permissions, so "*".
  statement {
    sid = "ReadLiveState"
    actions = [
      "ec2:DescribeVpcs",
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeSecurityGroupRules",
      "ec2:DescribeNetworkAcls",
    ]
    resources = ["*"]
  }

  # Ec2ChangeExecutor creates security groups and network ACLs in a managed VPC. Creation is
  # authorized against the VPC (this statement) and against the new resource (the next one).
  statement {
    sid       = "CreateInManagedVpcs"
    actions   = ["ec2:CreateSecurityGroup", "ec2:CreateNetworkAcl"]
    resources = local.managed_vpc_arns
  }

  # ...and only when the request tags the new resource polyfence:managed-by=polyfence, with no tag
  # keys other than Polyfence's three.
  statement {
    sid       = "CreateOnlyManagedResources"
    actions   = ["ec2:CreateSecurityGroup", "ec2:CreateNetworkAcl"]
    resources = concat(local.security_group_arns, local.network_acl_arns)
    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/${local.managed_by_tag}"
      values   = ["polyfence"]
    }
    condition {
      test     = "ForAllValues:StringEquals"
      variable = "aws:TagKeys"
      values   = local.managed_tags
    }
  }

  # The tags go in the create call's TagSpecifications, which EC2 authorizes as CreateTags; this
  # allows CreateTags only as part of those two creations, never to (re)tag an existing resource.
  statement {
    sid       = "TagOnCreate"
    actions   = ["ec2:CreateTags"]
    resources = concat(local.security_group_arns, local.network_acl_arns)
    condition {
      test     = "StringEquals"
      variable = "ec2:CreateAction"
      values   = ["CreateSecurityGroup", "CreateNetworkAcl"]
    }
  }

  # Rule changes: only on security groups and network ACLs that are tagged managed-by=polyfence
  # and sit in a managed VPC.
  statement {
    sid = "ChangeManagedRules"
    actions = [
      "ec2:AuthorizeSecurityGroupIngress",
      "ec2:AuthorizeSecurityGroupEgress",
      "ec2:RevokeSecurityGroupIngress",
      "ec2:RevokeSecurityGroupEgress",
      "ec2:CreateNetworkAclEntry",
      "ec2:DeleteNetworkAclEntry",
    ]
    resources = concat(local.security_group_arns, local.network_acl_arns)
    condition {
      test     = "StringEquals"
      variable = "ec2:ResourceTag/${local.managed_by_tag}"
      values   = ["polyfence"]
    }
    condition {
      test     = "ArnEquals"
      variable = "ec2:Vpc"
      values   = local.managed_vpc_arns
    }
  }

  # Moving a subnet onto a group's managed ACL (ReplaceNetworkAclAssociation). The subnet's current
  # ACL is usually the VPC's default one, which Polyfence does not manage and cannot tag, so this is
  # limited by VPC only.
  statement {
    sid       = "MoveSubnetsToManagedAcls"
    actions   = ["ec2:ReplaceNetworkAclAssociation"]
    resources = concat(local.network_acl_arns, local.subnet_arns)
    condition {
      test     = "ArnEquals"
      variable = "ec2:Vpc"
      values   = local.managed_vpc_arns
    }
  }
}

resource "aws_iam_role_policy" "task_ec2" {
  name   = "polyfence-ec2"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task_ec2.json
}
