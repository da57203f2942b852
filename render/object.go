// Package render turns meshroute's results into bytes: Kubernetes-style YAML and JSON manifests,
// out-dir trees written atomically, and diagnostics in text, JSON, SARIF and GitHub formats.
// Every output is deterministic.
package render

import "google.golang.org/protobuf/proto"

// Object is one emitted Kubernetes object: Istio's types as their istio.io/api spec message.
type Object struct {
	APIVersion string
	Kind       string
	Name       string
	Namespace  string
	Labels     map[string]string
	// Annotations: meshroute's emitters set none; `meshroute krm` adds the KRM file path.
	Annotations map[string]string
	Spec        proto.Message
}
