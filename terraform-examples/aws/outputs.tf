output "url" {
  description = "Base URL of the service inside the VPC, for POLYFENCE_URL in pipelines."
  value       = "${var.certificate_arn == null ? "http" : "https"}://${aws_lb.polyfence.dns_name}"
}

output "task_role_arn" {
  description = "The role Polyfence calls EC2 with; review its policy before a first apply."
  value       = aws_iam_role.task.arn
}

output "execution_role_arn" {
  description = "The role ECS uses to pull the image, write logs and read the secrets."
  value       = aws_iam_role.execution.arn
}

output "service_security_group_id" {
  description = "Security group of the tasks: allow it on the database's security group (PostgreSQL port)."
  value       = aws_security_group.service.id
}

output "log_group_name" {
  description = "CloudWatch Logs group of the service's JSON (ECS format) logs."
  value       = aws_cloudwatch_log_group.polyfence.name
}
