variable "subscription_id" {
  type        = string
  description = "Subscription that holds both resource groups (azurerm 4 requires it to be explicit)."

  validation {
    condition     = can(regex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", var.subscription_id))
    error_message = "subscription_id must be a GUID."
  }
}

variable "name" {
  type        = string
  default     = "polyfence"
  description = "Name prefix of every resource this module creates."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,23}$", var.name))
    error_message = "name must be 2 to 24 characters: lower-case letters, digits and '-', starting with a letter."
  }
}

variable "resource_group_name" {
  type        = string
  description = "Existing resource group the service runs in (environment, app, identity, logs)."
}

variable "target_resource_group_name" {
  type        = string
  description = "Existing resource group whose NSGs Polyfence plans and applies (the bindings' azure.resourceGroup). The service's role is assigned on this group only."
}

variable "image" {
  type        = string
  description = "The Polyfence container image, e.g. myregistry.azurecr.io/polyfence:1.0.0. Pin a tag or digest, never latest."

  validation {
    condition     = length(var.image) > 0 && !endswith(var.image, ":latest")
    error_message = "image must be set and pinned to a tag or digest other than latest."
  }
}

variable "container_registry" {
  type = object({
    id           = string
    login_server = string
  })
  default     = null
  description = "Azure Container Registry the image comes from, if any: the app's identity gets AcrPull on it and pulls with that identity (no registry password)."
}

variable "infrastructure_subnet_id" {
  type        = string
  description = "Subnet for the Container Apps environment (a /23 or larger, delegated to nothing else). The environment gets an internal load balancer: the app is reachable from this virtual network and its peers only."
}

variable "key_vault_id" {
  type        = string
  description = "Resource id of the Key Vault (RBAC permission model) that holds the database password and the token hashes. The app's identity gets Key Vault Secrets User on it."
}

variable "database_url" {
  type        = string
  description = "JDBC URL of the PostgreSQL database, e.g. jdbc:postgresql://polyfence.postgres.database.azure.com:5432/polyfence?sslmode=require. Several replicas share plans, applies and locks through it."

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

variable "database_password_secret_id" {
  type        = string
  description = "Versionless id of the Key Vault secret holding the database password, e.g. https://myvault.vault.azure.net/secrets/polyfence-db-password."

  validation {
    condition     = can(regex("^https://[^/]+/secrets/[^/]+/?$", var.database_password_secret_id))
    error_message = "database_password_secret_id must be a versionless Key Vault secret id (https://<vault>/secrets/<name>)."
  }
}

variable "api_tokens" {
  type = list(object({
    name             = string
    sha256_secret_id = string
    rights           = list(string)
  }))
  default     = []
  description = "Static API tokens. Each Key Vault secret (versionless id) holds the lower-case hex SHA-256 of the token, never the token: printf %s \"$TOKEN\" | sha256sum. Rights: plan, apply."

  validation {
    condition = alltrue([for t in var.api_tokens :
      can(regex("^[a-z0-9-]+$", t.name))
      && length(t.rights) > 0
      && alltrue([for r in t.rights : contains(["plan", "apply"], r)])
      && can(regex("^https://[^/]+/secrets/[^/]+/?$", t.sha256_secret_id))
    ])
    error_message = "Each api_tokens entry needs a lower-case name, rights from [plan, apply] and a versionless Key Vault secret id."
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

variable "min_replicas" {
  type        = number
  default     = 2
  description = "Replicas always running. Keep at least 1: plans live in the database, but a cold start delays a pipeline."

  validation {
    condition     = var.min_replicas >= 1
    error_message = "min_replicas must be at least 1."
  }
}

variable "max_replicas" {
  type        = number
  default     = 4
  description = "Upper bound for HTTP-driven scale-out."

  validation {
    condition     = var.max_replicas >= 1
    error_message = "max_replicas must be at least 1."
  }
}

variable "cpu" {
  type        = number
  default     = 0.5
  description = "vCPU per replica (Container Apps pairs it with memory: 0.5 with 1Gi, 1.0 with 2Gi)."
}

variable "memory" {
  type        = string
  default     = "1Gi"
  description = "Memory per replica; the JVM takes 75% of it."
}

variable "termination_grace_period_seconds" {
  type        = number
  default     = 120
  description = "Seconds between SIGTERM and SIGKILL. Polyfence finishes a running apply within this time (its shutdown phase gets 10 s less)."

  validation {
    condition     = var.termination_grace_period_seconds >= 30 && var.termination_grace_period_seconds <= 600
    error_message = "termination_grace_period_seconds must be 30 to 600."
  }
}

variable "log_retention_days" {
  type        = number
  default     = 30
  description = "Log Analytics retention of the service's JSON logs."
}

variable "tags" {
  type        = map(string)
  default     = {}
  description = "Tags for every resource this module creates."
}
