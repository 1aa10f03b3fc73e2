output "url" {
  description = "Base URL of the service inside the virtual network, for POLYFENCE_URL in pipelines."
  value       = "https://${azurerm_container_app.polyfence.ingress[0].fqdn}"
}

output "identity_client_id" {
  description = "Client id of the managed identity Polyfence calls Resource Manager with."
  value       = azurerm_user_assigned_identity.polyfence.client_id
}

output "identity_principal_id" {
  description = "Object id of that identity, e.g. to grant it a further resource group."
  value       = azurerm_user_assigned_identity.polyfence.principal_id
}

output "role_definition_id" {
  description = "The custom role (NSG read/write and ASG join, on the target resource group only)."
  value       = azurerm_role_definition.polyfence.role_definition_resource_id
}

output "environment_static_ip" {
  description = "Internal IP of the environment's load balancer: point a private DNS record for the app's FQDN at it."
  value       = azurerm_container_app_environment.polyfence.static_ip_address
}
