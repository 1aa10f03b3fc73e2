locals {
  container_port   = 8080
  managed_projects = length(var.managed_project_ids) == 0 ? [var.project_id] : var.managed_project_ids

  secrets = toset(concat([var.database_password_secret], [for t in var.api_tokens : t.sha256_secret]))

  # Plain values; the secrets follow in their own list, as Cloud Run v2 takes them differently.
  environment = concat([
    { name = "SERVER_PORT", value = tostring(local.container_port) },
    { name = "POLYFENCE_GCP_ENABLED", value = "true" },
    { name = "SPRING_DATASOURCE_URL", value = var.database_url },
    { name = "SPRING_DATASOURCE_USERNAME", value = var.database_username },
    { name = "LOGGING_STRUCTURED_FORMAT_CONSOLE", value = "ecs" },
    # Nothing durable lives in the data dir once PostgreSQL and tokens are configured.
    { name = "POLYFENCE_DATA_DIR", value = "/tmp/polyfence" },
    # Cloud Run kills an instance 10 s after SIGTERM, whatever it is doing.
    { name = "SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE", value = "8s" },
    ], flatten([for i, t in var.api_tokens : [
      { name = "POLYFENCE_SECURITY_TOKENS_${i}_NAME", value = t.name },
      { name = "POLYFENCE_SECURITY_TOKENS_${i}_RIGHTS", value = join(",", t.rights) },
    ]]),
    length(var.jwt_issuers) == 0 ? [] : [
      { name = "SPRING_APPLICATION_JSON", value = jsonencode({ polyfence = { security = { jwt = { issuers = local.jwt_issuers } } } }) },
  ])

  secret_environment = concat(
    [{ name = "SPRING_DATASOURCE_PASSWORD", secret = var.database_password_secret }],
    [for i, t in var.api_tokens : { name = "POLYFENCE_SECURITY_TOKENS_${i}_SHA256", secret = t.sha256_secret }],
  )

  # polyfence.security.jwt.issuers as SPRING_APPLICATION_JSON, claim names in Spring's bracket
  # notation so that names such as workflow_ref or project_path are kept as they are.
  jwt_issuers = [for i in var.jwt_issuers : merge(
    { issuer = i.issuer, audience = i.audience },
    i.jwk_set_uri == null ? {} : { "jwk-set-uri" = i.jwk_set_uri },
    { rules = [for r in i.rules : { claims = { for k, v in r.claims : "[${trimsuffix(trimprefix(k, "["), "]")}]" => v }, rights = r.rights }] },
  )]
}

resource "google_project_service" "apis" {
  for_each           = toset(["run.googleapis.com", "secretmanager.googleapis.com", "compute.googleapis.com"])
  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}

resource "google_service_account" "polyfence" {
  project      = var.project_id
  account_id   = "${var.name}-run"
  display_name = "Polyfence (Cloud Run)"
  description  = "Identity of the Polyfence service: manages VPC firewall rules in the managed projects."
}

# google-cloud-compute's FirewallsClient lists, gets, inserts, patches, updates and deletes
# firewall rules and waits on their global operations: compute.securityAdmin covers that (and
# creating a rule on a network needs compute.networks.updatePolicy, which it also holds).
resource "google_project_iam_member" "security_admin" {
  for_each = toset(local.managed_projects)
  project  = each.value
  role     = "roles/compute.securityAdmin"
  member   = "serviceAccount:${google_service_account.polyfence.email}"
}

resource "google_secret_manager_secret_iam_member" "access" {
  for_each  = local.secrets
  project   = var.project_id
  secret_id = each.value
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.polyfence.email}"
}

resource "google_cloud_run_v2_service" "polyfence" {
  name                = var.name
  project             = var.project_id
  location            = var.region
  ingress             = var.ingress
  deletion_protection = var.deletion_protection
  # Polyfence checks every request's bearer token itself (API token or CI OIDC token). Cloud Run's
  # own IAM check would want a Google identity token in the same Authorization header, so it is off;
  # the ingress setting keeps the service off the internet.
  invoker_iam_disabled = true

  template {
    service_account                  = google_service_account.polyfence.email
    max_instance_request_concurrency = 40
    # Plans of large networks and applies run within one request.
    timeout = "600s"

    scaling {
      min_instance_count = var.min_instances
      max_instance_count = var.max_instances
    }

    dynamic "vpc_access" {
      for_each = var.vpc_egress == null ? [] : [var.vpc_egress]
      content {
        egress = "PRIVATE_RANGES_ONLY"
        network_interfaces {
          network    = vpc_access.value.network
          subnetwork = vpc_access.value.subnetwork
        }
      }
    }

    containers {
      image = var.image

      ports {
        container_port = local.container_port
      }

      resources {
        limits = {
          cpu    = var.cpu
          memory = var.memory
        }
        # CPU also between requests: the connection pool and lock housekeeping run in the background.
        cpu_idle = false
      }

      dynamic "env" {
        for_each = local.environment
        content {
          name  = env.value.name
          value = env.value.value
        }
      }

      dynamic "env" {
        for_each = local.secret_environment
        content {
          name = env.value.name
          value_source {
            secret_key_ref {
              secret  = env.value.secret
              version = "latest"
            }
          }
        }
      }

      # Cloud Run has no readiness probe: the startup probe waits for readiness (database reachable,
      # migrations done) before the instance gets traffic.
      startup_probe {
        initial_delay_seconds = 5
        period_seconds        = 5
        timeout_seconds       = 3
        failure_threshold     = 24
        http_get {
          path = "/actuator/health/readiness"
          port = local.container_port
        }
      }

      liveness_probe {
        period_seconds    = 15
        timeout_seconds   = 3
        failure_threshold = 3
        http_get {
          path = "/actuator/health/liveness"
          port = local.container_port
        }
      }
    }
  }

  depends_on = [google_project_service.apis, google_secret_manager_secret_iam_member.access]

  lifecycle {
    precondition {
      condition     = length(var.api_tokens) > 0 || length(var.jwt_issuers) > 0
      error_message = "Configure api_tokens or jwt_issuers: without either, Polyfence writes a bootstrap token to its data dir, which nobody can read on Cloud Run."
    }
    precondition {
      condition     = var.min_instances <= var.max_instances
      error_message = "min_instances must not exceed max_instances."
    }
  }
}
