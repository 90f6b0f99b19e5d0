// The app's user-assigned identity, as in the Flex Consumption azd quickstart. It exists before the function
// app, so rbac.bicep grants it every role before the site's first start instead of racing it (a system-assigned
// identity only exists once the site does). Key Vault can still take minutes to honour a grant: the app retries
// its first read and the postprovision hook waits.

param location string
param tags object
param name string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
