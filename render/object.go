// Package render encodes emitted objects as bytes: Kubernetes-style YAML and JSON manifests
// (scalars quoted so every YAML reader reads them back as strings) and Envoy protos. Writing them
// to an --out-dir is package outdir's job; diagnostics are formatted by package report. Every
// output is deterministic.
package render

import "google.golang.org/protobuf/proto"

// Object is one emitted Kubernetes object: Istio's types as their istio.io/api spec message.
type Object struct {
	APIVersion string
	Kind       string
	Name       string
	Namespace  string
	Labels     map[string]string
	// Annotations: a RouteTable's virtualServiceAnnotations on its VirtualServices;
	// `meshroute krm` adds the KRM file path.
	Annotations map[string]string
	Spec        proto.Message
}
