output "url" {
  description = "URL of the service (reachable per the ingress setting), for POLYFENCE_URL in pipelines."
  value       = google_cloud_run_v2_service.polyfence.uri
}

output "service_account_email" {
  description = "The identity Polyfence calls the Compute API with."
  value       = google_service_account.polyfence.email
}

output "managed_projects" {
  description = "Projects where that identity holds roles/compute.securityAdmin."
  value       = local.managed_projects
}
