-- Argo CD health of an IntegrationPolicy: Degraded when a rule is invalid, Healthy otherwise; the
-- last audit's count of violations is in the message (violations are the objects' concern, not the
-- policy's health).
local ready = nil
if obj.status ~= nil then
  for _, condition in ipairs(obj.status.conditions or {}) do
    if condition.type == "Ready" then
      ready = condition
    end
  end
end
if ready ~= nil and ready.status == "False" then
  return { status = "Degraded", message = ready.message or ready.reason or "" }
end
local message = "No audit yet"
if obj.status ~= nil and obj.status.audit ~= nil then
  message = tostring(obj.status.audit.totalViolations or 0) .. " violation(s) at the last audit"
end
return { status = "Healthy", message = message }
