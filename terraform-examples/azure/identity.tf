# The app runs as a user-assigned managed identity. DefaultAzureCredential inside Polyfence picks it
# up through AZURE_CLIENT_ID; no client secret exists anywhere.

data "azurerm_resource_group" "polyfence" {
  name = var.resource_group_name
}

data "azurerm_resource_group" "target" {
  name = var.target_resource_group_name
}

data "azurerm_client_config" "current" {}

resource "azurerm_user_assigned_identity" "polyfence" {
  name                = "${var.name}-identity"
  location            = data.azurerm_resource_group.polyfence.location
  resource_group_name = data.azurerm_resource_group.polyfence.name
  tags                = var.tags
}

# Exactly what dev.polyfence.cloud.azure.ArmAzureEnvironment does:
# - read: list the NSGs of the resource group, with their rules (one GET per plan and apply);
# - write: one PUT per NSG with its whole rule list (create or replace; rules ride inside the NSG);
# - join: a rule that names application security groups (peers bound to ASGs) must be allowed to
#   join those ASGs, a linked-access check ARM makes on every ASG the PUT references.
# No delete: Polyfence removes a rule by PUTting the NSG without it and never deletes an NSG.
resource "azurerm_role_definition" "polyfence" {
  name        = "${var.name}-nsg-manager-${data.azurerm_resource_group.target.name}"
  scope       = data.azurerm_resource_group.target.id
  description = "Polyfence: read and write the NSGs of one resource group, and let their rules reference its ASGs."

  permissions {
    actions = [
      "Microsoft.Network/networkSecurityGroups/read",
      "Microsoft.Network/networkSecurityGroups/write",
      "Microsoft.Network/networkSecurityGroups/securityRules/read",
      "Microsoft.Network/applicationSecurityGroups/read",
      "Microsoft.Network/applicationSecurityGroups/joinNetworkSecurityRule/action",
    ]
    not_actions = []
  }

  assignable_scopes = [data.azurerm_resource_group.target.id]
}

resource "azurerm_role_assignment" "nsg_manager" {
  scope              = data.azurerm_resource_group.target.id
  role_definition_id = azurerm_role_definition.polyfence.role_definition_resource_id
  principal_id       = azurerm_user_assigned_identity.polyfence.principal_id
  principal_type     = "ServicePrincipal"
}

# Container Apps resolves Key Vault references with the app's identity at revision start.
resource "azurerm_role_assignment" "secrets" {
  scope                = var.key_vault_id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_user_assigned_identity.polyfence.principal_id
  principal_type       = "ServicePrincipal"
}

resource "azurerm_role_assignment" "acr_pull" {
  count                = var.container_registry == null ? 0 : 1
  scope                = var.container_registry.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_user_assigned_identity.polyfence.principal_id
  principal_type       = "ServicePrincipal"
}
