// ml-facade on Azure: a Function App on Flex Consumption (FC1, Node.js 20) that uses ONE user-assigned managed
// identity for everything (host storage, the facade's storage, Key Vault, Application Insights ingestion), with no
// account keys, no connection strings holding secrets and no publishing credentials anywhere.
//
// Resource-group scope (azd: set AZURE_RESOURCE_GROUP; plain CLI: az deployment group create -g <rg> -f infra/main.bicep).
// Role definition GUIDs are Azure built-in role ids (the same in every tenant); the README ("Deploy to Azure") lists them
// with their scope and reason, and test/integration/infra-checkov.test.ts checks the two agree.
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(64)
@description('azd environment name; tags every resource and seeds the unique names.')
param environmentName string

@minLength(1)
@description('Region of every resource (must offer Flex Consumption: az functionapp list-flexconsumption-locations).')
param location string = resourceGroup().location

// A parameter, not a variable: ARM parameter defaults may use other parameters but never variables.
@description('Suffix of the default resource names; leave the default (unique per subscription, resource group, environment and region).')
param resourceToken string = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName, location))

@description('Function App name (global DNS name <name>.azurewebsites.net).')
param functionAppName string = 'func-facade-${resourceToken}'

@description('Flex Consumption plan name.')
param planName string = 'plan-facade-${resourceToken}'

@minLength(3)
@maxLength(24)
@description('Storage account name: 3-24 lower-case letters and digits, globally unique.')
param storageAccountName string = 'stfacade${take(resourceToken, 16)}'

@maxLength(24)
@description('Key Vault name: 3-24 characters, globally unique (a soft-deleted vault keeps its name for the retention period).')
param keyVaultName string = 'kv-facade-${take(resourceToken, 13)}'

@description('User-assigned managed identity name.')
param identityName string = 'id-facade-${resourceToken}'

@description('Log Analytics workspace name.')
param logAnalyticsName string = 'log-facade-${resourceToken}'

@description('Application Insights name.')
param applicationInsightsName string = 'appi-facade-${resourceToken}'

@allowed([
  'Enabled'
  'Disabled'
])
@description('Key Vault public network access. Disabled needs a private endpoint and VNet integration of the app, which this template does not create.')
param keyVaultPublicNetworkAccess string = 'Enabled'

@description('Object id of a user, group or service principal to get Key Vault Secrets Officer on the vault (puts the admin key, the credential key and backend keys in). Empty: none.')
param adminPrincipalId string = ''

@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
@description('Principal type of adminPrincipalId.')
param adminPrincipalType string = 'User'

@description('Extra app settings merged into the Function App settings, e.g. BES_ALLOWED_STORAGE_HOSTS, URL_SUFFIX, CORS_ALLOWED_ORIGINS. Values here are visible to anyone who can read the app configuration: put secrets in Key Vault, never here. Do not set FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION or WEBSITE_RUN_FROM_PACKAGE (Flex Consumption refuses them). The identity, storage, vault and telemetry settings below always win over a key of the same name.')
param appSettings object = {}

@minValue(40)
@maxValue(1000)
@description('Most instances the app scales out to.')
param maximumInstanceCount int = 100

@allowed([
  2048
  4096
])
@description('Memory of each instance (MB).')
param instanceMemoryMB int = 2048

@minValue(30)
@maxValue(730)
@description('Log Analytics retention (days); 30 is included in the ingestion price.')
param logRetentionDays int = 30

@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
@description('Storage redundancy.')
param storageSku string = 'Standard_LRS'

@minValue(1)
@maxValue(365)
@description('Blob and container soft-delete retention (days).')
param softDeleteRetentionDays int = 7

var tags = {
  'azd-env-name': environmentName
}
var deploymentContainerName = 'app-package'

// Azure built-in role definition ids (subscription-independent GUIDs).
var roleStorageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var roleStorageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var roleStorageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var roleStorageBlobDelegator = 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a'
var roleKeyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
var roleKeyVaultSecretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
var roleMonitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

// ---------------------------------------------------------------- identity

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: identityName
  location: location
  tags: tags
}

// ---------------------------------------------------------------- monitoring

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
    features: {
      disableLocalAuth: true
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    // Telemetry is accepted only with an Entra token (the app's identity, Monitoring Metrics Publisher below):
    // the instrumentation key in the connection string is then an address, not a credential.
    DisableLocalAuth: true
    IngestionMode: 'LogAnalytics'
  }
}

// ---------------------------------------------------------------- storage

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: storageSku
  }
  properties: {
    // checkov:skip=CKV_AZURE_35:Public endpoint by design: callers PUT BES inputs straight to this account with the facade's create-only SAS, and Azure ML batch compute reads inputs and writes outputs here with one-blob SAS URLs; neither comes from a known network. Every other request needs an Entra token (shared keys are off).
    // checkov:skip=CKV_AZURE_43:The name is a parameter (@minLength 3, @maxLength 24, default 'stfacade' + uniqueString: lower-case letters and digits); checkov cannot evaluate it.
    // checkov:skip=CKV_AZURE_206:Standard_LRS by default (storageSku): the account holds the facade's state and transient BES files, no data of record; pass Standard_ZRS or Standard_GZRS where a zone outage must not stop the facade.
    // checkov:skip=CKV_AZURE_59:Same reason as CKV_AZURE_35: SAS holders outside any known network must reach the blob endpoint; network rules cannot express that, and publicNetworkAccess Disabled would need private endpoints and VNet integration this template does not create.
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
    encryption: {
      keySource: 'Microsoft.Storage'
      requireInfrastructureEncryption: true
      services: {
        blob: {
          enabled: true
          keyType: 'Account'
        }
        file: {
          enabled: true
          keyType: 'Account'
        }
        queue: {
          enabled: true
          keyType: 'Account'
        }
        table: {
          enabled: true
          keyType: 'Account'
        }
      }
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: softDeleteRetentionDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: softDeleteRetentionDays
    }
  }
}

// The Flex Consumption deployment package lives here; the platform reads it with the user-assigned identity.
resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

// ---------------------------------------------------------------- key vault

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  tags: tags
  properties: {
    // checkov:skip=CKV_AZURE_109:No IP allow list: a Flex Consumption app without VNet integration calls the vault from shared, changing outbound addresses. Access is Entra ID + RBAC only (no access policies), the app holds Secrets User (read) and nothing else; set keyVaultPublicNetworkAccess=Disabled with a private endpoint where the network must be closed.
    // checkov:skip=CKV_AZURE_189:Public network access is a parameter (keyVaultPublicNetworkAccess), Enabled by default for the reason of CKV_AZURE_109.
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: keyVaultPublicNetworkAccess
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: keyVaultPublicNetworkAccess == 'Enabled' ? 'Allow' : 'Deny'
    }
  }
}

// ---------------------------------------------------------------- function app

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    // checkov:skip=CKV_AZURE_225:Zone redundancy on Flex Consumption needs always-ready instances (a cost at rest); opt in by setting zoneRedundant true where required.
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  tags: union(tags, {
    'azd-service-name': 'facade'
  })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    // checkov:skip=CKV_AZURE_17:Client certificates: classic Azure ML clients never present one; callers authenticate with subscription keys checked by the facade.
    // checkov:skip=CKV_AZURE_222:The facade is a public API (the classic web-service endpoint its clients already call); it cannot be reachable only from a private network.
    serverFarmId: plan.id
    // checkov:skip=CKV_AZURE_212:Flex Consumption has no minimum instance count: it scales from zero per function up to maximumInstanceCount (always-ready instances would be a cost at rest, the opposite of this deployment's aim).
    // checkov:skip=CKV_AZURE_213:Platform health check (healthCheckPath) is not supported on Flex Consumption; the anonymous GET /health is there for an Application Insights availability test or an external probe.
    httpsOnly: true
    clientCertEnabled: false
    publicNetworkAccess: 'Enabled'
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      remoteDebuggingEnabled: false
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'node'
        version: '20'
      }
    }
  }
}

// App settings. Everything identity-based: no setting holds a secret (the App Insights connection string carries an
// instrumentation key, which is no credential once local auth is disabled). The facade reads FACADE_STORAGE__* for
// its own tables and blobs, AZURE_CLIENT_ID to pick the user-assigned identity for Key Vault and storage.
resource functionAppSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  // checkov reads every sites/config resource as the site's web config; this one holds app settings only.
  // checkov:skip=CKV_AZURE_13:App Service Authentication (Easy Auth, site-wide) would refuse classic clients, which authenticate with subscription keys (Authorization: Bearer <key>, Ocp-Apim-Subscription-Key), not Entra tokens; the facade checks every key itself and /manage needs the admin key.
  // checkov:skip=CKV_AZURE_222:See the site: the facade is a public API.
  // checkov:skip=CKV_AZURE_88:Azure Files content shares do not exist on Flex Consumption (the app runs from its blob deployment package).
  parent: functionApp
  // checkov:skip=CKV_AZURE_80:.NET Framework version: the app is Node.js 20 (functionAppConfig.runtime).
  // checkov:skip=CKV_AZURE_63:App Service HTTP logs (file system) do not apply to Flex Consumption; requests are logged to Application Insights (host.json) and the facade writes one JSON line per call (USAGE_CALL_LOG).
  // checkov:skip=CKV_AZURE_65:Detailed error pages are an App Service (IIS) feature; the facade answers every error in the classic JSON shape and logs it with its request id to Application Insights.
  // checkov:skip=CKV_AZURE_66:Failed request tracing is an App Service (IIS) feature not available on Flex Consumption; failed requests are traced in Application Insights.
  name: 'appsettings'
  properties: union(appSettings, {
    AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
    AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
    AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identity.properties.clientId
    FACADE_STORAGE__blobServiceUri: storage.properties.primaryEndpoints.blob
    FACADE_STORAGE__tableServiceUri: storage.properties.primaryEndpoints.table
    FACADE_STORAGE__credential: 'managedidentity'
    FACADE_STORAGE__clientId: identity.properties.clientId
    KEY_VAULT_URL: keyVault.properties.vaultUri
    AZURE_CLIENT_ID: identity.properties.clientId
    ADMIN_KEY_SECRET_NAME: 'facade-admin-key'
    CREDENTIAL_KEY_SECRET_NAME: 'facade-credential-key'
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
  })
  dependsOn: [
    // The host starts as soon as its settings exist: give it its data-plane roles first.
    blobOwner
    queueContributor
    tableContributor
    blobDelegator
    secretsUser
    metricsPublisher
  ]
}

// No basic-auth (FTP, SCM/Kudu user-password) publishing: deployments use Entra ID (azd deploy, az functionapp
// deployment, func azure functionapp publish all sign in with the deployer's own token).
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

// ---------------------------------------------------------------- role assignments (least privilege)

// Storage Blob Data Owner on the account. Owner, not Data Contributor, because the Functions host's identity-based
// AzureWebJobsStorage is documented by Microsoft to need Blob Data Owner (host locks/leases, azure-webjobs-* containers
// it creates), and Flex Consumption reads the deployment package with this identity. For the facade's own blobs
// (inputs, staging, results) Data Contributor would suffice; one identity serves both, so Owner it is.
resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roleStorageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleStorageBlobDataOwner)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Storage Queue Data Contributor on the account: the Functions host's AzureWebJobsStorage queue service
// (AzureWebJobsStorage__queueServiceUri), as Microsoft's identity-based host storage guidance grants it. The facade
// itself uses no queue (HTTP and timer triggers only).
resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roleStorageQueueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleStorageQueueDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Storage Table Data Contributor on the account: the facade's tables (catalogue, products, subscriptions,
// subscriptionkeys, counters, jobs, openjobs, usage), which it creates on first use; account scope because it
// creates them (a table-scoped grant needs the table to exist first).
resource tableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roleStorageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleStorageTableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Storage Blob Delegator on the account (its narrowest possible scope: a user delegation key is per account): the
// facade signs its one-blob SAS URLs (BES inputs, staging outputs, result links) as user-delegation SAS
// (getUserDelegationKey), since shared keys are off. Blob Data Owner above includes this action too; the explicit
// grant keeps SAS signing working if Owner is ever narrowed to containers.
resource blobDelegator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roleStorageBlobDelegator)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleStorageBlobDelegator)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Key Vault Secrets User on the vault: read (never write) the admin key, the credential-sealing key and backend API
// keys. Vault scope because backend key names are added over time through the catalogue.
resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, identity.id, roleKeyVaultSecretsUser)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleKeyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Monitoring Metrics Publisher on the Application Insights component only: Entra-authenticated telemetry ingestion
// (APPLICATIONINSIGHTS_AUTHENTICATION_STRING), required because local (key) auth is disabled.
resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identity.id, roleMonitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleMonitoringMetricsPublisher)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Optional: Key Vault Secrets Officer on the vault for the deployer (a person or pipeline), to put the admin key,
// the credential-sealing key and the backend keys in. Not the app's identity.
resource adminSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(adminPrincipalId)) {
  name: guid(keyVault.id, adminPrincipalId, roleKeyVaultSecretsOfficer)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleKeyVaultSecretsOfficer)
    principalId: adminPrincipalId
    principalType: adminPrincipalType
  }
}

// ---------------------------------------------------------------- outputs (azd writes them to .azure/<env>/.env)

output FACADE_URL string = 'https://${functionApp.properties.defaultHostName}'
output AZURE_FUNCTION_APP_NAME string = functionApp.name
output AZURE_KEY_VAULT_NAME string = keyVault.name
output AZURE_KEY_VAULT_URI string = keyVault.properties.vaultUri
output AZURE_STORAGE_ACCOUNT_NAME string = storage.name
output AZURE_IDENTITY_CLIENT_ID string = identity.properties.clientId
output APPLICATIONINSIGHTS_NAME string = appInsights.name
