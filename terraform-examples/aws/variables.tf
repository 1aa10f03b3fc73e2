variable "region" {
  type        = string
  description = "AWS region the service runs in (ECS, ALB, logs). The VPCs it manages may be in other regions: see managed_vpcs."
}

variable "name" {
  type        = string
  default     = "polyfence"
  description = "Name prefix of every resource this module creates."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.name))
    error_message = "name must be 2 to 21 characters: lower-case letters, digits and '-', starting with a letter (it prefixes the ALB and target group names, which AWS caps at 32)."
  }
}

variable "image" {
  type        = string
  description = "The Polyfence container image (built from the repository's Dockerfile), e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/polyfence:1.4.0. Pin a tag or digest, never latest."

  validation {
    condition     = length(var.image) > 0 && !endswith(var.image, ":latest")
    error_message = "image must be set and pinned to a tag or digest other than latest."
  }
}

variable "vpc_id" {
  type        = string
  description = "VPC the service itself runs in (its tasks, the internal ALB and their security groups)."

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123abcd."
  }
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets (at least two, in different availability zones) for the tasks and the internal ALB. They need a route to the EC2, Secrets Manager, CloudWatch Logs and ECR endpoints (NAT or VPC endpoints) and to the database."

  validation {
    condition     = length(var.subnet_ids) >= 2 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))])
    error_message = "subnet_ids must hold at least two subnet ids (an ALB needs two availability zones)."
  }
}

variable "allowed_cidr_blocks" {
  type        = list(string)
  description = "Networks allowed to reach the ALB (CI runners, operators). Nothing else can."

  validation {
    condition     = length(var.allowed_cidr_blocks) > 0 && alltrue([for c in var.allowed_cidr_blocks : can(cidrhost(c, 0))])
    error_message = "allowed_cidr_blocks must hold at least one valid CIDR block."
  }
}

variable "certificate_arn" {
  type        = string
  default     = null
  description = "ACM certificate for an HTTPS listener on 443. Without it the ALB listens on plain HTTP on 80: only acceptable inside a private network, since bearer tokens cross it."
}

variable "managed_vpcs" {
  type = list(object({
    region = string
    vpc_id = string
  }))
  description = "The VPCs Polyfence may plan and apply in (the bindings' aws.region and aws.vpcId). Every mutating EC2 permission is limited to these VPCs."

  validation {
    condition     = length(var.managed_vpcs) > 0 && alltrue([for v in var.managed_vpcs : can(regex("^vpc-[0-9a-f]+$", v.vpc_id)) && can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", v.region))])
    error_message = "managed_vpcs must hold at least one {region, vpc_id}, e.g. {region = \"eu-west-1\", vpc_id = \"vpc-0123abcd\"}."
  }
}

variable "database_url" {
  type        = string
  description = "JDBC URL of the PostgreSQL database, e.g. jdbc:postgresql://polyfence.cluster-abc.eu-west-1.rds.amazonaws.com:5432/polyfence. Several replicas share plans, applies and locks through it; the embedded H2 database is for one process only."

  validation {
    condition     = startswith(var.database_url, "jdbc:postgresql://")
    error_message = "database_url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db): replicas need a shared database."
  }
}

variable "database_username" {
  type        = string
  default     = "polyfence"
  description = "Database user."
}

variable "database_password_secret_arn" {
  type        = string
  description = "ARN of the Secrets Manager secret (plain string) or SSM SecureString parameter holding the database password."

  validation {
    condition     = can(regex("^arn:[^:]+:(secretsmanager:[^:]+:[0-9]{12}:secret:[^:]+|ssm:[^:]+:[0-9]{12}:parameter/.+)$", var.database_password_secret_arn))
    error_message = "database_password_secret_arn must be the ARN of a whole Secrets Manager secret or of an SSM parameter."
  }
}

variable "api_tokens" {
  type = list(object({
    name              = string
    sha256_secret_arn = string
    rights            = list(string)
  }))
  default     = []
  description = "Static API tokens. Each secret (Secrets Manager, plain string, or SSM SecureString) holds the lower-case hex SHA-256 of the token, never the token: printf %s \"$TOKEN\" | sha256sum. Rights: plan, apply."

  validation {
    condition = alltrue([for t in var.api_tokens :
      can(regex("^[a-z0-9-]+$", t.name))
      && length(t.rights) > 0
      && alltrue([for r in t.rights : contains(["plan", "apply"], r)])
      && can(regex("^arn:[^:]+:(secretsmanager:[^:]+:[0-9]{12}:secret:[^:]+|ssm:[^:]+:[0-9]{12}:parameter/.+)$", t.sha256_secret_arn))
    ])
    error_message = "Each api_tokens entry needs a lower-case name, rights from [plan, apply] and the ARN of a secret or SSM parameter with the token's SHA-256."
  }
}

variable "jwt_issuers" {
  type = list(object({
    issuer      = string
    audience    = string
    jwk_set_uri = optional(string)
    rules = list(object({
      claims = map(string)
      rights = list(string)
    }))
  }))
  default     = []
  description = "CI OIDC issuers (polyfence.security.jwt.issuers): a JWT's rights are the union of the rights of every rule whose claims all match. Claim names plain (repository, event_name) or bracketed as in the claim files; the module passes them in Spring's bracket notation. See examples/pipelines/ for GitHub and GitLab rules."

  validation {
    condition = alltrue([for i in var.jwt_issuers :
      startswith(i.issuer, "https://") && length(i.audience) > 0 && length(i.rules) > 0
      && alltrue([for r in i.rules : length(r.claims) > 0 && alltrue([for x in r.rights : contains(["plan", "apply"], x)])])
    ])
    error_message = "Each issuer needs an https issuer URL, an audience and at least one rule with claims and rights from [plan, apply]."
  }
}

variable "desired_count" {
  type        = number
  default     = 2
  description = "Number of tasks. More than one needs the PostgreSQL database (which this module requires anyway)."

  validation {
    condition     = var.desired_count >= 1
    error_message = "desired_count must be at least 1."
  }
}

variable "cpu" {
  type        = number
  default     = 512
  description = "Fargate CPU units per task."
}

variable "memory" {
  type        = number
  default     = 1024
  description = "Fargate memory (MiB) per task; the JVM takes 75% of it."
}

variable "stop_timeout_seconds" {
  type        = number
  default     = 120
  description = "Seconds ECS waits after SIGTERM before SIGKILL. Polyfence finishes a running apply within this time (its shutdown phase gets 10 s less). Fargate allows at most 120."

  validation {
    condition     = var.stop_timeout_seconds >= 30 && var.stop_timeout_seconds <= 120
    error_message = "stop_timeout_seconds must be 30 to 120 (the Fargate maximum)."
  }
}

variable "log_retention_days" {
  type        = number
  default     = 30
  description = "CloudWatch Logs retention of the service's JSON logs."
}

variable "tags" {
  type        = map(string)
  default     = {}
  description = "Tags for every resource this module creates."
}

variable "secrets_kms_key_arn" {
  type        = string
  default     = null
  description = "Customer-managed KMS key that encrypts the secrets, if any; the execution role then gets kms:Decrypt on it. Leave null for the AWS-managed keys."
}
