// Validates Kubernetes objects with the npm kubernetes-models packages (an independent schema validator).
// Run from the directory whose node_modules holds them (the tests copy it into .tools/node).
// Input on stdin: a JSON list of objects. Output: one JSON line per object {kind, name, module, ok, error}.
// Exit 0 when every object validates, 1 when one does not, 2 when a kind has no model.
import { readFileSync } from "node:fs";

const CRD_PACKAGES = {
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
  "keda.sh": "@kubernetes-models/keda",
  "gateway.networking.k8s.io": "@kubernetes-models/gateway-api",
};

function modulePath(apiVersion) {
  const slash = apiVersion.indexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  return (CRD_PACKAGES[group] || "kubernetes-models") + "/" + apiVersion;
}

const objects = JSON.parse(readFileSync(0, "utf8"));
let status = 0;
for (const object of objects) {
  const result = { kind: object.kind, name: (object.metadata || {}).name, module: modulePath(object.apiVersion) };
  let Model;
  try {
    Model = (await import(result.module))[object.kind];
  } catch (e) {
    Model = undefined;
  }
  if (typeof Model !== "function") {
    result.ok = false;
    result.error = "no model for " + object.apiVersion + " " + object.kind;
    status = Math.max(status, 2);
  } else {
    try {
      new Model(object).validate();
      result.ok = true;
    } catch (e) {
      result.ok = false;
      result.error = String(e.message || e);
      status = Math.max(status, 1);
    }
  }
  process.stdout.write(JSON.stringify(result) + "\n");
}
process.exit(status);
