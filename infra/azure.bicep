// A Linux App Service running the one Node server (tab, API and bot endpoint on one origin) on two
// instances or more, sharing their state on Azure Cache for Redis (TLS only): any instance may serve any
// request, so nothing depends on ARR affinity and an instance can be lost without a sign-in.
@maxLength(20)
@minLength(4)
param resourceBaseName string
// B1 allows up to 3 instances; two is the least for availability and deploy slots.
param webAppSku string = 'B1'
@minValue(2)
@maxValue(30)
param webAppInstances int = 2
// Standard: a replicated primary and replica with an SLA (Basic is a single node: losing it drains every instance).
@allowed([
  'Basic'
  'Standard'
  'Premium'
])
param redisSkuName string = 'Standard'
// C0 (250 MB) holds tens of thousands of users' tokens, bot state and caches; raise it with the tenant (Premium: 1 to 5).
@minValue(0)
@maxValue(6)
param redisCapacity int = 0
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
  // Multi-line objects: teamsapp.yml pins an older Bicep CLI (v0.9.1), which predates comma-separated single-line ones.
  sku: {
    name: webAppSku
    capacity: webAppInstances
  }
  properties: { reserved: true }
}

resource redis 'Microsoft.Cache/redis@2023-08-01' = {
  name: '${resourceBaseName}-redis'
  location: location
  properties: {
    sku: {
      name: redisSkuName
      family: redisSkuName == 'Premium' ? 'P' : 'C'
      capacity: redisCapacity
    }
    // TLS on 6380 only (rediss://); the plain port 6379 stays closed.
    enableNonSslPort: false
    minimumTlsVersion: '1.2'
    redisConfiguration: {
      // Caches, token partitions and bot state carry a TTL, conversation references and watches do not: under memory
      // pressure only keys with a TTL are evicted, never a watch.
      'maxmemory-policy': 'volatile-lru'
    }
  }
}

resource webApp 'Microsoft.Web/sites@2022-09-01' = {
  name: resourceBaseName
  kind: 'app,linux'
  location: location
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    // No ARR affinity cookie: the front end spreads requests over the instances as it likes.
    clientAffinityEnabled: false
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
    // The access key straight from the cache (listKeys), percent-encoded (it is base64: '/', '+', '='), never in a
    // parameter, an output or an env file. A Key Vault reference would need a vault and a role assignment for the
    // site's identity, which the Contributor role Agents Toolkit users usually have cannot create; regenerate the
    // key in the portal and provision again to rotate it.
    REDIS_URL: 'rediss://:${uriComponent(redis.listKeys().primaryKey)}@${redis.properties.hostName}:${redis.properties.sslPort}'
    // Health check (/api/health answers 503 while Redis is unreachable): an instance is taken out of the
    // rotation after 2 failed pings instead of the default 10.
    WEBSITE_HEALTHCHECK_MAXPINGFAILURES: '2'
  }
}

output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output TAB_DOMAIN string = webApp.properties.defaultHostName
output TAB_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
