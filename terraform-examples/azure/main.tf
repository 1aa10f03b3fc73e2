locals {
  container_port = 8080

  # The shutdown phase of Spring (which lets a running apply finish) ends 10 s before the kill.
  shutdown_phase = "${var.termination_grace_period_seconds - 10}s"

  # Container Apps secrets, each a Key Vault reference resolved with the app's identity.
  secrets = concat(
    [{ name = "db-password", key_vault_secret_id = var.database_password_secret_id }],
    [for i, t in var.api_tokens : { name = "token-${i}-sha256", key_vault_secret_id = t.sha256_secret_id }],
  )

  # polyfence.security.tokens[i] in Spring's environment-variable form.
  token_environment = flatten([for i, t in var.api_tokens : [
    { name = "POLYFENCE_SECURITY_TOKENS_${i}_NAME", value = t.name, secret_name = null },
    { name = "POLYFENCE_SECURITY_TOKENS_${i}_RIGHTS", value = join(",", t.rights), secret_name = null },
    { name = "POLYFENCE_SECURITY_TOKENS_${i}_SHA256", value = null, secret_name = "token-${i}-sha256" },
  ]])

  # polyfence.security.jwt.issuers as SPRING_APPLICATION_JSON, claim names in Spring's bracket
  # notation so that names such as project_path or ref_protected are kept as they are.
  jwt_issuers = [for i in var.jwt_issuers : merge(
    { issuer = i.issuer, audience = i.audience },
    i.jwk_set_uri == null ? {} : { "jwk-set-uri" = i.jwk_set_uri },
    { rules = [for r in i.rules : { claims = { for k, v in r.claims : "[${trimsuffix(trimprefix(k, "["), "]")}]" => v }, rights = r.rights }] },
  )]
  jwt_environment = length(var.jwt_issuers) == 0 ? [] : [
    { name = "SPRING_APPLICATION_JSON", value = jsonencode({ polyfence = { security = { jwt = { issuers = local.jwt_issuers } } } }), secret_name = null },
  ]

  environment = concat([
    { name = "SERVER_PORT", value = tostring(local.container_port), secret_name = null },
    { name = "POLYFENCE_AZURE_ENABLED", value = "true", secret_name = null },
    { name = "POLYFENCE_AZURE_TENANT_ID", value = data.azurerm_client_config.current.tenant_id, secret_name = null },
    # Which managed identity DefaultAzureCredential uses.
    { name = "AZURE_CLIENT_ID", value = azurerm_user_assigned_identity.polyfence.client_id, secret_name = null },
    { name = "SPRING_DATASOURCE_URL", value = var.database_url, secret_name = null },
    { name = "SPRING_DATASOURCE_USERNAME", value = var.database_username, secret_name = null },
    { name = "SPRING_DATASOURCE_PASSWORD", value = null, secret_name = "db-password" },
    { name = "LOGGING_STRUCTURED_FORMAT_CONSOLE", value = "ecs", secret_name = null },
    # Nothing durable lives in the data dir once PostgreSQL and tokens are configured.
    { name = "POLYFENCE_DATA_DIR", value = "/tmp/polyfence", secret_name = null },
    { name = "SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE", value = local.shutdown_phase, secret_name = null },
  ], local.token_environment, local.jwt_environment)
}

resource "azurerm_log_analytics_workspace" "polyfence" {
  name                = "${var.name}-logs"
  location            = data.azurerm_resource_group.polyfence.location
  resource_group_name = data.azurerm_resource_group.polyfence.name
  sku                 = "PerGB2018"
  retention_in_days   = var.log_retention_days
  tags                = var.tags
}

resource "azurerm_container_app_environment" "polyfence" {
  name                           = "${var.name}-env"
  location                       = data.azurerm_resource_group.polyfence.location
  resource_group_name            = data.azurerm_resource_group.polyfence.name
  log_analytics_workspace_id     = azurerm_log_analytics_workspace.polyfence.id
  infrastructure_subnet_id       = var.infrastructure_subnet_id
  internal_load_balancer_enabled = true
  tags                           = var.tags
}

resource "azurerm_container_app" "polyfence" {
  name                         = var.name
  container_app_environment_id = azurerm_container_app_environment.polyfence.id
  resource_group_name          = data.azurerm_resource_group.polyfence.name
  revision_mode                = "Single"
  tags                         = var.tags

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.polyfence.id]
  }

  dynamic "registry" {
    for_each = var.container_registry == null ? [] : [var.container_registry]
    content {
      server   = registry.value.login_server
      identity = azurerm_user_assigned_identity.polyfence.id
    }
  }

  dynamic "secret" {
    for_each = local.secrets
    content {
      name                = secret.value.name
      key_vault_secret_id = secret.value.key_vault_secret_id
      identity            = azurerm_user_assigned_identity.polyfence.id
    }
  }

  # "External" to the environment, which itself has only an internal load balancer: reachable from
  # the virtual network, not from the internet.
  ingress {
    external_enabled = true
    target_port      = local.container_port
    transport        = "http"

    traffic_weight {
      latest_revision = true
      percentage      = 100
    }
  }

  template {
    min_replicas                     = var.min_replicas
    max_replicas                     = var.max_replicas
    termination_grace_period_seconds = var.termination_grace_period_seconds

    container {
      name   = "polyfence"
      image  = var.image
      cpu    = var.cpu
      memory = var.memory

      dynamic "env" {
        for_each = local.environment
        content {
          name        = env.value.name
          value       = env.value.value
          secret_name = env.value.secret_name
        }
      }

      # Flyway migrations run before the process answers; give it a minute and a half.
      startup_probe {
        transport               = "HTTP"
        port                    = local.container_port
        path                    = "/actuator/health/liveness"
        interval_seconds        = 5
        failure_count_threshold = 18
      }

      liveness_probe {
        transport               = "HTTP"
        port                    = local.container_port
        path                    = "/actuator/health/liveness"
        interval_seconds        = 10
        failure_count_threshold = 3
      }

      # Includes the database: a replica that cannot reach it gets no requests.
      readiness_probe {
        transport               = "HTTP"
        port                    = local.container_port
        path                    = "/actuator/health/readiness"
        interval_seconds        = 10
        failure_count_threshold = 3
      }
    }
  }

  depends_on = [azurerm_role_assignment.secrets, azurerm_role_assignment.acr_pull]

  lifecycle {
    precondition {
      condition     = length(var.api_tokens) > 0 || length(var.jwt_issuers) > 0
      error_message = "Configure api_tokens or jwt_issuers: without either, Polyfence writes a bootstrap token to its data dir, which nobody can read in a container app."
    }
    precondition {
      condition     = var.min_replicas <= var.max_replicas
      error_message = "min_replicas must not exceed max_replicas."
    }
  }
}
