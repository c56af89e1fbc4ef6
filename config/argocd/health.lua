-- Argo CD health of Switchboard's Integration, Connector, ClusterConnector and Credential, read as
-- kstatus reads it: the Ready condition, Stalled, and whether the operator has seen this generation.
local hs = { status = "Progressing", message = "Waiting for the Switchboard operator" }
if obj.spec ~= nil and obj.spec.suspend == true then
  return { status = "Suspended", message = "Suspended: spec.suspend is true" }
end
if obj.status == nil then
  return hs
end
local generation = obj.metadata ~= nil and obj.metadata.generation or nil
local observed = obj.status.observedGeneration
if generation ~= nil and observed ~= nil and observed < generation then
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation)
  return hs
end
local ready = nil
local stalled = nil
for _, condition in ipairs(obj.status.conditions or {}) do
  if condition.type == "Ready" then
    ready = condition
  elseif condition.type == "Stalled" then
    stalled = condition
  end
end
if stalled ~= nil and stalled.status == "True" then
  return { status = "Degraded", message = stalled.message or stalled.reason or "Stalled" }
end
if ready == nil then
  return hs
end
local message = ready.message or ready.reason or ""
if ready.status == "True" then
  return { status = "Healthy", message = message }
end
if ready.reason == "Suspended" then
  return { status = "Suspended", message = message }
end
-- Reasons that clear by themselves: a rollout, a dependency on its way, a retried failure.
local transient = {
  Progressing = true,
  DeploymentNotReady = true,
  ConnectorNotReady = true,
  CredentialNotReady = true,
  TokenEndpointUnreachable = true,
  ReconcileFailed = true,
}
if ready.status == "Unknown" or transient[ready.reason] then
  return { status = "Progressing", message = message }
end
return { status = "Degraded", message = message }
