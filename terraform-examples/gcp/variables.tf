variable "project_id" {
  type        = string
  description = "Project the service runs in (Cloud Run service, service account, secrets)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a GCP project id."
  }
}

variable "region" {
  type        = string
  description = "Cloud Run region, e.g. europe-west1."
}

variable "name" {
  type        = string
  default     = "polyfence"
  description = "Name of the Cloud Run service and prefix of the service account."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.name))
    error_message = "name must be 2 to 21 characters: lower-case letters, digits and '-', starting with a letter."
  }
}

variable "image" {
  type        = string
  description = "The Polyfence container image in Artifact Registry, e.g. europe-west1-docker.pkg.dev/my-project/images/polyfence:1.0.0. Pin a tag or digest, never latest."

  validation {
    condition     = length(var.image) > 0 && !endswith(var.image, ":latest")
    error_message = "image must be set and pinned to a tag or digest other than latest."
  }
}

variable "managed_project_ids" {
  type        = list(string)
  default     = []
  description = "Projects whose VPC firewall rules Polyfence plans and applies (the bindings' gcp.project). Empty means project_id only."
}

variable "ingress" {
  type        = string
  default     = "INGRESS_TRAFFIC_INTERNAL_ONLY"
  description = "Who can reach the service: INGRESS_TRAFFIC_INTERNAL_ONLY (default: VPC networks of the project and Shared VPC), INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER or INGRESS_TRAFFIC_ALL."

  validation {
    condition     = contains(["INGRESS_TRAFFIC_INTERNAL_ONLY", "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER", "INGRESS_TRAFFIC_ALL"], var.ingress)
    error_message = "ingress must be INGRESS_TRAFFIC_INTERNAL_ONLY, INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER or INGRESS_TRAFFIC_ALL."
  }
}

variable "vpc_egress" {
  type = object({
    network    = string
    subnetwork = string
  })
  default     = null
  description = "Direct VPC egress for private ranges, needed when the database has only a private IP (Cloud SQL private IP, or a database in the VPC)."
}

variable "database_url" {
  type        = string
  description = "JDBC URL of the PostgreSQL database, e.g. jdbc:postgresql://10.20.0.3:5432/polyfence. Several instances share plans, applies and locks through it."

  validation {
    condition     = startswith(var.database_url, "jdbc:postgresql://")
    error_message = "database_url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db): instances need a shared database."
  }
}

variable "database_username" {
  type        = string
  default     = "polyfence"
  description = "Database user."
}

variable "database_password_secret" {
  type        = string
  description = "Name of the Secret Manager secret (in project_id) holding the database password."

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,255}$", var.database_password_secret))
    error_message = "database_password_secret must be a secret name (not a path) in project_id."
  }
}

variable "api_tokens" {
  type = list(object({
    name          = string
    sha256_secret = string
    rights        = list(string)
  }))
  default     = []
  description = "Static API tokens. Each Secret Manager secret (name in project_id) holds the lower-case hex SHA-256 of the token, never the token: printf %s \"$TOKEN\" | sha256sum. Rights: plan, apply."

  validation {
    condition = alltrue([for t in var.api_tokens :
      can(regex("^[a-z0-9-]+$", t.name))
      && length(t.rights) > 0
      && alltrue([for r in t.rights : contains(["plan", "apply"], r)])
      && can(regex("^[A-Za-z0-9_-]{1,255}$", t.sha256_secret))
    ])
    error_message = "Each api_tokens entry needs a lower-case name, rights from [plan, apply] and a secret name in project_id."
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
  description = "CI OIDC issuers (polyfence.security.jwt.issuers): a JWT's rights are the union of the rights of every rule whose claims all match. Claim names plain (repository, event_name) or bracketed as in the claim files; the module passes them in Spring's bracket notation. See examples/pipelines/."

  validation {
    condition = alltrue([for i in var.jwt_issuers :
      startswith(i.issuer, "https://") && length(i.audience) > 0 && length(i.rules) > 0
      && alltrue([for r in i.rules : length(r.claims) > 0 && alltrue([for x in r.rights : contains(["plan", "apply"], x)])])
    ])
    error_message = "Each issuer needs an https issuer URL, an audience and at least one rule with claims and rights from [plan, apply]."
  }
}

variable "min_instances" {
  type        = number
  default     = 1
  description = "Instances kept warm, so that a pipeline does not wait for a JVM start."

  validation {
    condition     = var.min_instances >= 0
    error_message = "min_instances must not be negative."
  }
}

variable "max_instances" {
  type        = number
  default     = 4
  description = "Upper bound of instances."

  validation {
    condition     = var.max_instances >= 1
    error_message = "max_instances must be at least 1."
  }
}

variable "cpu" {
  type        = string
  default     = "1"
  description = "vCPU per instance."
}

variable "memory" {
  type        = string
  default     = "1Gi"
  description = "Memory per instance; the JVM takes 75% of it."
}

variable "deletion_protection" {
  type        = bool
  default     = true
  description = "Refuse terraform destroy of the service until set to false."
}
