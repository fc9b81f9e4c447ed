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
      // The site root is the deployed dist/ folder (teamsapp.yml): server/, tab/, package.json, node_modules/.
      appCommandLine: 'node server/main.js'
      healthCheckPath: '/api/health'
    }
  }
}

// App settings in their own resource: TAB_DOMAIN needs the site's host name, which the site's own
// declaration cannot reference (Bicep refuses a resource that refers to itself).
resource webAppSettings 'Microsoft.Web/sites/config@2022-09-01' = {
  parent: webApp
  name: 'appsettings'
  properties: {
    NODE_ENV: 'production'
    WEBSITE_RUN_FROM_PACKAGE: '1'
    // The zip already holds node_modules (npm ci --omit=dev in dist at deploy): no build on App Service.
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
    AAD_APP_CLIENT_ID: aadAppClientId
    AAD_APP_CLIENT_SECRET: aadAppClientSecret
    AAD_APP_TENANT_ID: aadAppTenantId
    AAD_APP_OAUTH_AUTHORITY_HOST: aadAppOauthAuthorityHost
    BOT_ID: aadAppClientId
    BOT_PASSWORD: aadAppClientSecret
    TAB_DOMAIN: webApp.properties.defaultHostName
  }
}

output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output TAB_DOMAIN string = webApp.properties.defaultHostName
output TAB_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
