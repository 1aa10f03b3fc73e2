locals {
  container_name = "polyfence"
  container_port = 8080
  listener_port  = var.certificate_arn == null ? 80 : 443

  # The shutdown phase of Spring (which lets a running apply finish) ends 10 s before ECS kills the
  # process, so that the JVM can still exit cleanly.
  shutdown_phase = "${var.stop_timeout_seconds - 10}s"

  # polyfence.security.tokens[i] in Spring's environment-variable form; the hashes come from secrets.
  token_environment = flatten([for i, t in var.api_tokens : [
    { name = "POLYFENCE_SECURITY_TOKENS_${i}_NAME", value = t.name },
    { name = "POLYFENCE_SECURITY_TOKENS_${i}_RIGHTS", value = join(",", t.rights) },
  ]])
  token_secrets = [for i, t in var.api_tokens : { name = "POLYFENCE_SECURITY_TOKENS_${i}_SHA256", valueFrom = t.sha256_secret_arn }]

  # polyfence.security.jwt.issuers as SPRING_APPLICATION_JSON: claim names such as workflow_ref or
  # project_path do not survive the environment-variable form, so the map keys are given in
  # Spring's bracket notation, which keeps them as they are.
  jwt_issuers = [for i in var.jwt_issuers : merge(
    { issuer = i.issuer, audience = i.audience },
    i.jwk_set_uri == null ? {} : { "jwk-set-uri" = i.jwk_set_uri },
    { rules = [for r in i.rules : { claims = { for k, v in r.claims : "[${trimsuffix(trimprefix(k, "["), "]")}]" => v }, rights = r.rights }] },
  )]
  jwt_environment = length(var.jwt_issuers) == 0 ? [] : [
    { name = "SPRING_APPLICATION_JSON", value = jsonencode({ polyfence = { security = { jwt = { issuers = local.jwt_issuers } } } }) },
  ]

  environment = concat([
    { name = "SERVER_PORT", value = tostring(local.container_port) },
    { name = "SPRING_DATASOURCE_URL", value = var.database_url },
    { name = "SPRING_DATASOURCE_USERNAME", value = var.database_username },
    { name = "LOGGING_STRUCTURED_FORMAT_CONSOLE", value = "ecs" },
    # Nothing durable lives in the data dir once PostgreSQL and tokens are configured; /tmp is the
    # task's only writable path (the root file system is read-only).
    { name = "POLYFENCE_DATA_DIR", value = "/tmp/polyfence" },
    { name = "SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE", value = local.shutdown_phase },
  ], local.token_environment, local.jwt_environment)

  secrets = concat([
    { name = "SPRING_DATASOURCE_PASSWORD", valueFrom = var.database_password_secret_arn },
  ], local.token_secrets)
}

resource "aws_cloudwatch_log_group" "polyfence" {
  name              = "/ecs/${var.name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_ecs_cluster" "polyfence" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }

  tags = var.tags
}

resource "aws_ecs_task_definition" "polyfence" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  # A task-local scratch volume for /tmp, since the root file system is read-only.
  volume {
    name = "tmp"
  }

  container_definitions = jsonencode([{
    name                   = local.container_name
    image                  = var.image
    essential              = true
    readonlyRootFilesystem = true
    stopTimeout            = var.stop_timeout_seconds
    portMappings           = [{ containerPort = local.container_port, protocol = "tcp" }]
    environment            = local.environment
    secrets                = local.secrets
    mountPoints            = [{ sourceVolume = "tmp", containerPath = "/tmp", readOnly = false }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.polyfence.name
        awslogs-region        = var.region
        awslogs-stream-prefix = "polyfence"
      }
    }
  }])

  tags = var.tags

  lifecycle {
    precondition {
      condition     = length(var.api_tokens) > 0 || length(var.jwt_issuers) > 0
      error_message = "Configure api_tokens or jwt_issuers: without either, Polyfence writes a bootstrap token to its data dir, which nobody can read in a Fargate task."
    }
  }
}

resource "aws_ecs_service" "polyfence" {
  name            = var.name
  cluster         = aws_ecs_cluster.polyfence.id
  task_definition = aws_ecs_task_definition.polyfence.arn
  desired_count   = var.desired_count
  launch_type     = "FARGATE"

  # Start new tasks before stopping old ones, and roll back a deployment whose tasks never get ready.
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
  # Flyway migrations and the first database connection run before readiness turns UP.
  health_check_grace_period_seconds = 120

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [aws_security_group.service.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.polyfence.arn
    container_name   = local.container_name
    container_port   = local.container_port
  }

  depends_on = [aws_lb_listener.https, aws_lb_listener.http, aws_iam_role_policy.execution_secrets]

  tags = var.tags
}
