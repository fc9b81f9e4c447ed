// One Linux App Service running the one Node server (tab, API and bot endpoint on one origin).
@maxLength(20)
@minLength(4)
param resourceBaseName string
param webAppSku string = 'B1'
param aadAppClientId string
@secure()
param aadAppClientSecret string
param aadAppTenantId string
param aadAppOauthAuthorityHost string
param location string = resourceGroup().location

resource serverfarm 'Microsoft.Web/serverfarms@2022-09-01' = {
  name: resourceBaseName
  kind: 'linux'
  location: location
  sku: { name: webAppSku }
  properties: { reserved: true }
}

resource webApp 'Microsoft.Web/sites@2022-09-01' = {
  name: resourceBaseName
  kind: 'app,linux'
  location: location
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      alwaysOn: true
      ftpsState: 'FtpsOnly'
      appCommandLine: 'npm run serve'
      appSettings: [
        { name: 'WEBSITE_RUN_FROM_PACKAGE', value: '1' }
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'false' }
        { name: 'AAD_APP_CLIENT_ID', value: aadAppClientId }
        { name: 'AAD_APP_CLIENT_SECRET', value: aadAppClientSecret }
        { name: 'AAD_APP_TENANT_ID', value: aadAppTenantId }
        { name: 'AAD_APP_OAUTH_AUTHORITY_HOST', value: aadAppOauthAuthorityHost }
        { name: 'BOT_ID', value: aadAppClientId }
        { name: 'BOT_PASSWORD', value: aadAppClientSecret }
        { name: 'BOT_TENANT_ID', value: aadAppTenantId }
        { name: 'BOT_TYPE', value: 'SingleTenant' }
        { name: 'TAB_DOMAIN', value: webApp.properties.defaultHostName }
      ]
    }
  }
}

output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output TAB_DOMAIN string = webApp.properties.defaultHostName
output TAB_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
